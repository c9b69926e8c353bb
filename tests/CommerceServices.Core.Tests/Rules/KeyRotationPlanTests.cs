using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CommerceServices.Gateway;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Rules
{
    /// <summary>R3 (one active key pair per gateway environment): a rotation checks each pair once per key-check URL, and a pair refused anywhere is stored nowhere.</summary>
    public sealed class KeyRotationPlanTests : IDisposable
    {
        private static readonly Uri Gateway = new Uri("https://commerce.adobe.io/");
        private static readonly Uri OtherGateway = new Uri("https://gateway.example.test/");
        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        private CommerceInstance Instance(string name) => CommerceInstanceReader.Open(new SampleInstance().WriteTo(Path.Combine(folder.Path, name)));

        private static ApiKeyPair Pair(System.Security.Cryptography.RSA key, GatewayEnvironment environment = GatewayEnvironment.Production) =>
            ApiKeyPairReader.Read(TestKeys.ApiKey, TestKeys.Pkcs8Pem(key).ToCharArray(), environment).KeyPair!;

        [Fact]
        public void EachPairIsCheckedOncePerKeyCheckUrlAndEveryInstanceIsStoredWhenAccepted()
        {
            var plan = new KeyRotationPlan();
            ApiKeyPair pair = Pair(TestKeys.Main);
            CommerceInstance[] shops = { Instance("a"), Instance("b"), Instance("c") };
            plan.Add(pair, shops[0], Gateway, GatewayRoutes.Default);
            plan.Add(pair, shops[1], Gateway, GatewayRoutes.Default);
            plan.Add(pair, shops[2], OtherGateway, GatewayRoutes.Default);
            var asked = new List<Uri>();

            KeyRotationDecision decision = plan.Decide(target =>
            {
                asked.Add(target.Gateway);
                return true;
            });

            Assert.Equal(new[] { Gateway, OtherGateway }, asked);
            Assert.Equal(shops, decision.ToStore.Select(t => t.Instance));
            Assert.Empty(decision.Refused);
        }

        [Fact]
        public void APairRefusedAtOneGatewayIsStoredNowhereAndNotAskedAgain()
        {
            var plan = new KeyRotationPlan();
            ApiKeyPair refused = Pair(TestKeys.Main);
            ApiKeyPair accepted = Pair(TestKeys.Other, GatewayEnvironment.Sandbox);
            CommerceInstance a = Instance("a"), b = Instance("b"), c = Instance("c");
            plan.Add(refused, a, OtherGateway, GatewayRoutes.Default);
            plan.Add(refused, b, Gateway, GatewayRoutes.Default);
            plan.Add(accepted, c, Gateway, GatewayRoutes.Default);
            int asked = 0;

            KeyRotationDecision decision = plan.Decide(target =>
            {
                asked++;
                return target.KeyPair == accepted;
            });

            Assert.Equal(2, asked);
            Assert.Equal(new[] { c }, decision.ToStore.Select(t => t.Instance));
            Assert.Equal(new[] { a, b }, decision.Refused.Select(r => r.Target.Instance));
            Assert.All(decision.Refused, r =>
            {
                Assert.Equal("ApiKeyRejected", r.ErrorId);
                Assert.IsType<ApiKeyRejectedException>(r.Reason);
                Assert.StartsWith(r.Target.Instance.Path + " was not changed: ", r.Reason.Message, StringComparison.Ordinal);
                Assert.Contains("SHA256:" + refused.Fingerprint.Substring(0, 16), r.Reason.Message, StringComparison.Ordinal);
            });
        }

        [Fact]
        public void APairWhoseCheckFailedIsNotStoredEither()
        {
            var plan = new KeyRotationPlan();
            CommerceInstance a = Instance("a");
            plan.Add(Pair(TestKeys.Main), a, Gateway, GatewayRoutes.Default);

            KeyRotationDecision decision = plan.Decide(_ => null);

            Assert.Empty(decision.ToStore);
            KeyRotationRefusal refusal = Assert.Single(decision.Refused);
            Assert.Equal("ApiKeyNotChecked", refusal.ErrorId);
            Assert.Contains("-SkipOnlineCheck", refusal.Reason.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void WithoutAnOnlineCheckEveryInstanceIsStoredInInputOrder()
        {
            var plan = new KeyRotationPlan();
            CommerceInstance a = Instance("a"), b = Instance("b");
            plan.Add(Pair(TestKeys.Main), b, Gateway, GatewayRoutes.Default);
            plan.Add(Pair(TestKeys.Other), a, OtherGateway, GatewayRoutes.Default);

            KeyRotationDecision decision = plan.Decide(null);

            Assert.Equal(new[] { b, a }, decision.ToStore.Select(t => t.Instance));
            Assert.Empty(decision.Refused);
        }

        [Fact]
        public void InstancesWithOtherKeyCheckSettingsAtTheSameGatewayAreCheckedOnTheirOwn()
        {
            var plan = new KeyRotationPlan();
            ApiKeyPair pair = Pair(TestKeys.Main);
            var custom = new GatewayRoutes("/custom/ping", "/custom/ping", null, null, GatewayRoutes.DefaultRegistryApiPath);
            plan.Add(pair, Instance("a"), Gateway, GatewayRoutes.Default);
            plan.Add(pair, Instance("b"), Gateway, custom);
            int asked = 0;

            plan.Decide(_ =>
            {
                asked++;
                return true;
            });

            Assert.Equal(2, asked);
        }
    }
}
