using System;
using System.Collections.Generic;
using System.Linq;
using CommerceServices.Gateway;
using CommerceServices.Instances;

namespace CommerceServices.Keys
{
    /// <summary>One instance of a key rotation: the pair to store in it, and where its connector would check that pair.</summary>
    public sealed class KeyRotationTarget
    {
        internal KeyRotationTarget(ApiKeyPair keyPair, CommerceInstance instance, Uri gateway, GatewayRoutes routes)
        {
            KeyPair = keyPair;
            Instance = instance;
            Gateway = gateway;
            Routes = routes;
        }

        /// <summary>The pair to store.</summary>
        public ApiKeyPair KeyPair { get; }

        /// <summary>The instance to store it in.</summary>
        public CommerceInstance Instance { get; }

        /// <summary>The gateway the instance's connector sends the pair to.</summary>
        public Uri Gateway { get; }

        /// <summary>The instance's key-check and registry settings.</summary>
        public GatewayRoutes Routes { get; }

        /// <summary>The pair and the key-check URL it is checked at: instances that share it need one online check.</summary>
        internal string CheckKey => PairKey + " " + Gateway + " " + Routes.DescribeKeyCheck(KeyPair.Environment, Gateway);

        internal string PairKey => KeyPair.Environment + " " + KeyPair.Fingerprint;

        internal string ShortFingerprint => "SHA256:" + KeyPair.Fingerprint.Substring(0, 16) + "...";
    }

    /// <summary>Why one instance of a rotation keeps its old pair.</summary>
    public sealed class KeyRotationRefusal
    {
        internal KeyRotationRefusal(KeyRotationTarget target, string errorId, Exception reason)
        {
            Target = target;
            ErrorId = errorId;
            Reason = reason;
        }

        /// <summary>The instance that is not changed, with the pair it would have got.</summary>
        public KeyRotationTarget Target { get; }

        /// <summary>ApiKeyRejected (the gateway refused the pair) or ApiKeyNotChecked (the check itself failed).</summary>
        public string ErrorId { get; }

        /// <summary>What the instance is left with and why (an <see cref="ApiKeyRejectedException"/> when the gateway refused the pair).</summary>
        public Exception Reason { get; }
    }

    /// <summary>
    /// R3, only one key pair per gateway environment is active: when new keys are issued, every
    /// instance must get them at once. A rotation therefore checks every pair at every key-check URL
    /// its instances use (the gateway URL and the key-check settings, as the connector builds them),
    /// once each, before the first instance is touched; a pair refused anywhere is stored nowhere, so
    /// no instance is left with a pair its siblings could not get. What passes is stored in each
    /// instance on its own.
    /// </summary>
    public sealed class KeyRotationPlan
    {
        private readonly List<KeyRotationTarget> targets = new List<KeyRotationTarget>();

        /// <summary>The instances of the rotation, in the order they were added.</summary>
        public IReadOnlyList<KeyRotationTarget> Targets => targets;

        /// <summary>Adds an instance to the rotation.</summary>
        public KeyRotationTarget Add(ApiKeyPair keyPair, CommerceInstance instance, Uri gateway, GatewayRoutes routes)
        {
            var target = new KeyRotationTarget(keyPair, instance, gateway, routes);
            targets.Add(target);
            return target;
        }

        /// <summary>
        /// Decides which instances get their pair. <paramref name="checkOnline"/> asks the gateway of a
        /// target whether it accepts the target's pair (true, false, or null when the check itself failed),
        /// and is called once per pair and key-check URL, never again for a pair already refused; without
        /// it (-SkipOnlineCheck) every target is stored.
        /// </summary>
        public KeyRotationDecision Decide(Func<KeyRotationTarget, bool?>? checkOnline)
        {
            var refusedPairs = new Dictionary<string, (string ErrorId, string Why)>(StringComparer.Ordinal);
            if (checkOnline != null)
            {
                foreach (KeyRotationTarget check in targets.GroupBy(t => t.CheckKey, StringComparer.Ordinal).Select(g => g.First()))
                {
                    if (refusedPairs.ContainsKey(check.PairKey))
                    {
                        continue;
                    }

                    bool? accepted = checkOnline(check);
                    if (accepted == null)
                    {
                        refusedPairs[check.PairKey] = ("ApiKeyNotChecked", "the online check of key pair " + check.ShortFingerprint + " at " + check.Gateway + " failed (see the error before). Fix the cause and run again, or add -SkipOnlineCheck.");
                    }
                    else if (accepted == false)
                    {
                        refusedPairs[check.PairKey] = ("ApiKeyRejected", "the " + check.KeyPair.Environment + " gateway " + check.Gateway + " refused key pair " + check.ShortFingerprint + ". If new keys were generated in the API Portal, use the pair it issued last; if you must store this one anyway, add -SkipOnlineCheck.");
                    }
                }
            }

            var refusals = new List<KeyRotationRefusal>();
            var toStore = new List<KeyRotationTarget>();
            foreach (KeyRotationTarget target in targets)
            {
                if (!refusedPairs.TryGetValue(target.PairKey, out var refused))
                {
                    toStore.Add(target);
                    continue;
                }

                string message = target.Instance.Path + " was not changed: " + refused.Why;
                Exception reason = refused.ErrorId == "ApiKeyRejected"
                    ? new ApiKeyRejectedException(message, target.KeyPair.Environment, System.Net.HttpStatusCode.Forbidden, null)
                    : new InvalidOperationException(message);
                refusals.Add(new KeyRotationRefusal(target, refused.ErrorId, reason));
            }

            return new KeyRotationDecision(toStore, refusals);
        }
    }

    /// <summary>The outcome of <see cref="KeyRotationPlan.Decide"/>: the instances to write, and those left as they are.</summary>
    public sealed class KeyRotationDecision
    {
        internal KeyRotationDecision(IReadOnlyList<KeyRotationTarget> toStore, IReadOnlyList<KeyRotationRefusal> refused)
        {
            ToStore = toStore;
            Refused = refused;
        }

        /// <summary>The instances whose pair passed (or was not checked, with -SkipOnlineCheck), in input order.</summary>
        public IReadOnlyList<KeyRotationTarget> ToStore { get; }

        /// <summary>The instances left as they are, in input order.</summary>
        public IReadOnlyList<KeyRotationRefusal> Refused { get; }
    }
}
