using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CommerceServices.Instances;
using CommerceServices.Saas;
using CommerceServices.State;
using Xunit;

namespace CommerceServices.Core.Tests.State
{
    /// <summary>Reading desired states, finding what they name among the registry's projects, and the JSON line for configuration tools.</summary>
    public sealed class CommerceServicesStateTests
    {
        private const string ApiKey = "0123456789abcdef0123456789abcdef";

        private static Hashtable Pair(params (string Key, object? Value)[] entries)
        {
            var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in entries)
            {
                table[key] = value;
            }

            return table;
        }

        [Fact]
        public void ReadsEveryKeyInAnyLetterCase()
        {
            CommerceServicesState state = CommerceServicesState.FromDictionary(
                Pair(("instance", "/var/www/shop"), ("CONFIGSTORE", "envphp"), ("Role", "Production"), ("GatewayEnvironment", "Sandbox"), ("ImsOrganizationId", " 0123456789ABCDEF01234567@AdobeOrg "),
                    ("KeyPairs", Pair(("production", Pair(("ApiKey", ApiKey), ("PrivateKeyPath", "keys/p.pem"))), ("Sandbox", Pair(("ApiKey", ApiKey), ("PrivateKeySecret", "sandbox"), ("PrivateKeyVault", "Vault"))))),
                    ("Project", "Storefront"), ("DataSpace", "Testing 1"), ("Description", "the live shop")),
                "/etc/shop.psd1");

            Assert.Equal("/var/www/shop", state.Instance);
            Assert.Equal(ConfigStore.EnvPhp, state.ConfigStore);
            Assert.Equal(InstanceRole.Production, state.Role);
            Assert.Equal(GatewayEnvironment.Sandbox, state.GatewayEnvironment);
            Assert.True(state.ManagesImsOrganizationId);
            Assert.Equal("0123456789ABCDEF01234567@AdobeOrg", state.ImsOrganizationId);
            Assert.Equal(new[] { "Production File keys/p.pem", "Sandbox Secret sandbox Vault" }, state.KeyPairs.OrderBy(p => p.Environment).Select(p => p.Environment + " " + p.Kind + " " + p.Reference + (p.Vault == null ? string.Empty : " " + p.Vault)));
            Assert.Equal("Storefront", state.Project);
            Assert.Equal("Testing 1", state.DataSpace);
            Assert.DoesNotContain(ApiKey, state.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void WhatIsLeftOutIsNotManagedAndAnEmptyImsOrganizationClearsIt()
        {
            CommerceServicesState state = CommerceServicesState.FromDictionary(Pair(("ImsOrganizationId", null)), null);

            Assert.Null(state.Instance);
            Assert.Null(state.Role);
            Assert.Null(state.GatewayEnvironment);
            Assert.Empty(state.KeyPairs);
            Assert.Null(state.Project);
            Assert.True(state.ManagesImsOrganizationId);
            Assert.Null(state.ImsOrganizationId);
            Assert.False(CommerceServicesState.FromDictionary(Pair(), null).ManagesImsOrganizationId);
        }

        [Fact]
        public void EveryProblemIsNamedAndAPrivateKeyIsNeverRepeated()
        {
            const string Pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";
            var ex = Assert.Throws<CommerceServicesStateException>(() => CommerceServicesState.FromDictionary(
                Pair(("Rol", "Staging"), ("Role", "Live"), ("GatewayEnvironment", "1"), ("ImsOrganizationId", "not-an-org"), ("Project", "  "),
                    ("KeyPairs", Pair(("Production", Pair(("ApiKey", ApiKey), ("PrivateKeyPath", "a.pem"), ("PrivateKeySecret", "b"))), ("Sandbox", Pair(("PrivateKeyEnvironmentVariable", Pem))), ("Staging", Pair())))),
                "/etc/shop.psd1"));

            Assert.Equal("/etc/shop.psd1", ex.File);
            string[] expected =
            {
                "Rol is not a key",
                "Role 'Live' is not one of Undeclared, Production, Staging, Development",
                "GatewayEnvironment '1' is not one of Production, Sandbox",
                "ImsOrganizationId:",
                "Project is empty",
                "KeyPairs.Production needs exactly one of PrivateKeyPath, PrivateKeyEnvironmentVariable and PrivateKeySecret, not PrivateKeyPath and PrivateKeySecret",
                "KeyPairs.Sandbox.ApiKey is missing",
                "KeyPairs.Staging is not a key",
                "KeyPairs.Sandbox.PrivateKeyEnvironmentVariable holds a PEM key",
            };
            foreach (string problem in expected)
            {
                Assert.Contains(ex.Problems, p => p.StartsWith(problem, StringComparison.Ordinal));
            }

            Assert.DoesNotContain("MIIEvQ", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AKeyWhereANameOrAChoiceBelongsIsNeverRepeated()
        {
            const string Pem = "-----BEGIN PRIVATE KEY-----MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-----END PRIVATE KEY-----";
            var ex = Assert.Throws<CommerceServicesStateException>(() => CommerceServicesState.FromDictionary(Pair(("Role", Pem), ("ImsOrganizationId", Pem), ("Project", Pem)), null));

            Assert.DoesNotContain("MIIEvQ", ex.Message, StringComparison.Ordinal);
            Assert.Equal(new[] { "ImsOrganizationId holds a PEM key", "Project holds a PEM key", "Role holds a PEM key" }, ex.Problems.Select(p => p.Substring(0, p.IndexOf('.'))).OrderBy(p => p, StringComparer.Ordinal));
            Assert.Contains("Role is given twice", Assert.Throws<CommerceServicesStateException>(() => CommerceServicesState.FromJson("{ \"Role\": \"Staging\", \"Role\": \"Production\" }", "a.json")).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void JsonReadsAsTheDataFileWithCommentsAndRefusesWhatIsNotOneObject()
        {
            CommerceServicesState state = CommerceServicesState.FromJson(
                "{ // the live shop\n \"Instance\": \"shop\", \"KeyPairs\": { \"Production\": { \"ApiKey\": \"" + ApiKey + "\", \"PrivateKeyEnvironmentVariable\": \"CS_KEY\" } }, \"ImsOrganizationId\": null, }",
                "shop.json");

            Assert.Equal("shop", state.Instance);
            Assert.Equal(PrivateKeySourceKind.EnvironmentVariable, Assert.Single(state.KeyPairs).Kind);
            Assert.True(state.ManagesImsOrganizationId);
            Assert.Contains("one JSON object", Assert.Throws<CommerceServicesStateException>(() => CommerceServicesState.FromJson("[1]", "a.json")).Message, StringComparison.Ordinal);
            Assert.Contains("not valid JSON", Assert.Throws<CommerceServicesStateException>(() => CommerceServicesState.FromJson("{ \"Instance\": ", "a.json")).Message, StringComparison.Ordinal);
            Assert.Contains("Instance must be one text value", Assert.Throws<CommerceServicesStateException>(() => CommerceServicesState.FromJson("{ \"Instance\": [\"a\", \"b\"] }", "a.json")).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ProjectsAndDataSpacesAreFoundByIdThenByTheOnlyName()
        {
            SaasProject storefront = Project("p-1", "Storefront", "Production", "Testing 1");
            SaasProject copy = Project("p-2", "storefront", "Production");
            SaasProject backoffice = Project("p-3", "Backoffice", "Production");
            var projects = new[] { storefront, copy, backoffice };

            Assert.Same(storefront, CommerceServicesStatePlan.FindProject(projects, "p-1", GatewayEnvironment.Production, out _));
            Assert.Same(backoffice, CommerceServicesStatePlan.FindProject(projects, "BACKOFFICE", GatewayEnvironment.Production, out _));
            Assert.Null(CommerceServicesStatePlan.FindProject(projects, "Storefront", GatewayEnvironment.Production, out string? ambiguous));
            Assert.Contains("p-1, p-2", ambiguous, StringComparison.Ordinal);
            Assert.Null(CommerceServicesStatePlan.FindProject(projects, "Shop", GatewayEnvironment.Production, out string? missing));
            Assert.Contains("New-SaasProject -Name 'Shop'", missing, StringComparison.Ordinal);

            Assert.Equal("p-1-testing-1", CommerceServicesStatePlan.FindDataSpace(storefront.DataSpaces, "testing 1", "project 'Storefront'", out _)!.DataSpaceId);
            Assert.Equal("p-3-production", CommerceServicesStatePlan.FindDataSpace(projects.SelectMany(p => p.DataSpaces), "p-3-production", "all", out _)!.DataSpaceId);
            Assert.Null(CommerceServicesStatePlan.FindDataSpace(projects.SelectMany(p => p.DataSpaces), "Production", "all", out string? several));
            Assert.Contains("3 data spaces", several, StringComparison.Ordinal);
        }

        [Fact]
        public void TheJsonLineSaysChangedFailedAndEachInstance()
        {
            var unchanged = new CommerceServicesStateResult(null, "/var/www/a", "a.psd1", CommerceServicesStateStatus.Unchanged, Array.Empty<CommerceServicesStateDifference>(), Array.Empty<string>(), Array.Empty<string>());
            var changed = new CommerceServicesStateResult(null, "/var/www/b", "b.psd1", CommerceServicesStateStatus.Changed, new[] { new CommerceServicesStateDifference(CommerceServicesStateSetting.DataSpace, "(none)", "Testing 1") }, Array.Empty<string>(), new[] { "the cache was not cleaned" });
            var wouldChange = new CommerceServicesStateResult(null, "/var/www/c", "c.psd1", CommerceServicesStateStatus.WouldChange, Array.Empty<CommerceServicesStateDifference>(), Array.Empty<string>(), Array.Empty<string>());
            var toldNot = new CommerceServicesStateResult(null, "/var/www/d", "d.psd1", CommerceServicesStateStatus.Changed, Array.Empty<CommerceServicesStateDifference>(), new[] { "the registry could not be told" }, Array.Empty<string>());

            Assert.Equal((false, false, "Unchanged"), Read(unchanged));
            Assert.Equal((true, false, "Changed"), Read(unchanged, changed));
            Assert.Equal((true, false, "WouldChange"), Read(unchanged, wouldChange));
            Assert.Equal((true, true, "Changed"), Read(changed, toldNot));
            using JsonDocument json = JsonDocument.Parse(CommerceServicesStateJson.Summary(new[] { changed }));
            JsonElement instance = json.RootElement.GetProperty("instances")[0];
            Assert.Equal("/var/www/b", instance.GetProperty("path").GetString());
            Assert.Equal("DataSpace", instance.GetProperty("differences")[0].GetProperty("setting").GetString());
            Assert.Equal("Testing 1", instance.GetProperty("differences")[0].GetProperty("desired").GetString());
            Assert.Equal("the cache was not cleaned", instance.GetProperty("warnings")[0].GetString());
        }

        private static (bool Changed, bool Failed, string Status) Read(params CommerceServicesStateResult[] results)
        {
            string line = CommerceServicesStateJson.Summary(results);
            Assert.DoesNotContain('\n', line);
            using JsonDocument json = JsonDocument.Parse(line);
            return (json.RootElement.GetProperty("changed").GetBoolean(), json.RootElement.GetProperty("failed").GetBoolean(), json.RootElement.GetProperty("status").GetString()!);
        }

        private static SaasProject Project(string id, string name, params string[] dataSpaces) =>
            new SaasProject(id, name, dataSpaces.Select(d => new SaasDataSpace(id + "-" + d.ToLowerInvariant().Replace(' ', '-'), d, d.StartsWith("Testing", StringComparison.Ordinal) ? "Testing" : "Production", id, name, null, null)).ToArray(), null, null);
    }
}
