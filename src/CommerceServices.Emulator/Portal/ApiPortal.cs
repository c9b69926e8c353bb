using System;
using System.Linq;
using System.Security.Cryptography;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// Plays Adobe's API Portal: issues key pairs for an account and environment, keeping only the
    /// public half in the state, and revokes them.
    /// </summary>
    internal sealed class ApiPortal
    {
        private readonly EmulatorState state;

        public ApiPortal(EmulatorState state)
        {
            this.state = state;
        }

        /// <summary>See <see cref="GatewayEmulator.IssueKeyPair"/>.</summary>
        public IssuedKeyPair Issue(string mageId, CommerceEdition edition, EmulatorEnvironment environment, Uri gatewayUri)
        {
            if (string.IsNullOrWhiteSpace(mageId))
            {
                throw new ArgumentException("A MageID is needed to issue a key pair.", nameof(mageId));
            }

            using RSA rsa = RSA.Create(2048);
            string apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            lock (state.Gate)
            {
                EmulatedAccount? account = state.Data.Accounts.FirstOrDefault(a => a.MageId == mageId);
                if (account == null)
                {
                    state.Data.Accounts.Add(new EmulatedAccount { MageId = mageId, Edition = edition });
                }
                else if (account.Edition != edition)
                {
                    throw new InvalidOperationException("The account " + mageId + " is " + account.Edition + ", not " + edition + ".");
                }

                foreach (EmulatedKey old in state.Data.Keys.Where(k => k.MageId == mageId && k.Environment == environment))
                {
                    old.Revoked = true;
                }

                state.Data.Keys.Add(new EmulatedKey
                {
                    ApiKey = apiKey,
                    MageId = mageId,
                    Environment = environment,
                    PublicKeyPem = rsa.ExportSubjectPublicKeyInfoPem(),
                    IssuedAt = DateTimeOffset.UtcNow,
                });
                state.Save();
            }

            return new IssuedKeyPair(mageId, edition, environment, apiKey, rsa.ExportPkcs8PrivateKeyPem() + "\n", gatewayUri);
        }

        /// <summary>Revokes a key without issuing a new one.</summary>
        public void Revoke(string apiKey)
        {
            lock (state.Gate)
            {
                foreach (EmulatedKey key in state.Data.Keys.Where(k => k.ApiKey == apiKey))
                {
                    key.Revoked = true;
                }

                state.Save();
            }
        }
    }
}
