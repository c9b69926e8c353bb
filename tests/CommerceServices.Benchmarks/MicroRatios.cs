using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using CommerceServices.Encryption;
using CommerceServices.Keys;
using CommerceServices.Php;
using CommerceServices.Testing;

namespace CommerceServices.Benchmarks
{
    /// <summary>
    /// Per-operation speed of the core against the PHP peers Magento runs: encryption against
    /// ext-sodium as Magento's Encryptor uses it, env.php reading against PHP's <c>include</c>, and
    /// gateway signing against <c>openssl_sign</c>. Each side loops the same number of operations in
    /// its own process and times itself (PHP with hrtime(), so its start-up is not counted); after a
    /// warm-up round, the two take turns for <see cref="Rounds"/> rounds; each side's median time per operation
    /// is printed with the median of the rounds' ratios (PHP time per operation / ours: above 1 means the core
    /// is faster), one line per comparison. Figures, not assertions.
    /// </summary>
    public static class MicroRatios
    {
        private const int Rounds = 15;

        public static void Run(TextWriter output)
        {
            output.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "Per-operation ratios against PHP ({0}), {1} cores, medians of {2} rounds; ratio = PHP time / ours, round by round (above 1: ours is faster)",
                PhpPeer.Version(), Environment.ProcessorCount, Rounds));

            using var folder = new TempFolder();
            string cryptKey = "base64" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            string cryptKeyFile = folder.Write("crypt-key.txt", cryptKey);
            var encryptor = new MagentoEncryptor(cryptKey);
            using RSA rsa = RSA.Create(2048);
            string privateKeyPem = rsa.ExportPkcs8PrivateKeyPem() + "\n";
            string shortValue = "sk_live_7Hq2Vx9Lm4Rt8Kp3Zb6Nw1Yc5Fd0Gj2A";

            CompareEncryption(output, folder, encryptor, cryptKeyFile, privateKeyPem, 20_000);
            CompareEncryption(output, folder, encryptor, cryptKeyFile, shortValue, 100_000);

            string envPhp = folder.Write("env.php", ProductionEnvPhp(cryptKey, encryptor, privateKeyPem));
            Compare(
                output,
                string.Format(CultureInfo.InvariantCulture, "parse env.php {0:F1} KB", new FileInfo(envPhp).Length / 1024.0),
                "PHP include",
                5_000,
                () => PhpConfigReader.ReadFile(envPhp),
                "micro-include.php",
                envPhp);

            using ApiKeyPair keyPair = ApiKeyPairReader.Read(TestKeys.ApiKey, privateKeyPem.ToCharArray(), GatewayEnvironment.Production).KeyPair
                ?? throw new InvalidOperationException("The generated key pair does not read.");
            Compare(
                output,
                "sign RS256 token",
                "PHP openssl_sign",
                1_000,
                () => keyPair.CreateGatewaySignature(),
                "micro-sign.php",
                folder.Write("private-key.pem", privateKeyPem));
        }

        private static void CompareEncryption(TextWriter output, TempFolder folder, MagentoEncryptor encryptor, string cryptKeyFile, string plaintext, int operations)
        {
            string size = plaintext.Length >= 1024
                ? string.Format(CultureInfo.InvariantCulture, "{0:F1} KB", plaintext.Length / 1024.0)
                : plaintext.Length.ToString(CultureInfo.InvariantCulture) + " B";
            string plaintextFile = folder.Write("plaintext-" + plaintext.Length.ToString(CultureInfo.InvariantCulture) + ".txt", plaintext);
            string ciphertext = encryptor.Encrypt(plaintext);
            string ciphertextFile = folder.Write("ciphertext-" + plaintext.Length.ToString(CultureInfo.InvariantCulture) + ".txt", ciphertext);
            if (encryptor.Decrypt(ciphertext) != plaintext.Trim())
            {
                throw new InvalidOperationException("Encryption does not round-trip.");
            }

            Compare(output, "encrypt " + size, "PHP sodium", operations, () => encryptor.Encrypt(plaintext), "micro-encryption.php", "encrypt", cryptKeyFile, plaintextFile);
            Compare(output, "decrypt " + size, "PHP sodium", operations, () => encryptor.Decrypt(ciphertext), "micro-encryption.php", "decrypt", cryptKeyFile, ciphertextFile);
        }

        /// <summary>Times both sides, alternating round by round so that a busy moment hits both, and prints the medians.</summary>
        private static void Compare(TextWriter output, string label, string peer, int operations, Func<object> operation, string phpScript, params string[] phpArguments)
        {
            string[] arguments = phpArguments.Append(operations.ToString(CultureInfo.InvariantCulture)).ToArray();
            TimeOurs(operation, operations);
            PhpPeer.Time(phpScript, arguments);

            var ours = new List<double>();
            var php = new List<double>();
            for (int round = 0; round < Rounds; round++)
            {
                // Who goes first changes every round, so neither side always runs right after the other's process.
                if (round % 2 == 0)
                {
                    ours.Add(TimeOurs(operation, operations));
                    php.Add(PhpPeer.Time(phpScript, arguments));
                }
                else
                {
                    php.Add(PhpPeer.Time(phpScript, arguments));
                    ours.Add(TimeOurs(operation, operations));
                }
            }

            // The ratio is the median of each round's own ratio: the two sides of a round run back to back, so a
            // moment when the machine is slow (other work, a neighbour on the host) weighs on both alike.
            double oursMedian = Statistics.Median(ours);
            double phpMedian = Statistics.Median(php);
            double ratio = Statistics.Median(ours.Select((time, round) => php[round] / time).ToList());
            output.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "  {0,-22} ours {1,9:F2} µs/op   {2,-17} {3,9:F2} µs/op   ratio {4,5:F2}x",
                label, oursMedian, peer, phpMedian, ratio));
        }

        /// <summary>Microseconds per operation over <paramref name="operations"/> calls in this process.</summary>
        private static double TimeOurs(Func<object> operation, int operations)
        {
            object? last = null;
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < operations; i++)
            {
                last = operation();
            }

            watch.Stop();
            GC.KeepAlive(last);
            return watch.Elapsed.TotalMilliseconds * 1000 / operations;
        }

        /// <summary>
        /// An env.php as a production instance has it after setup:install, a Redis cache and session setup and
        /// config:set --lock-env of both API key pairs (encrypted, as the connector stores them) and the SaaS identifier.
        /// </summary>
        private static string ProductionEnvPhp(string cryptKey, MagentoEncryptor encryptor, string privateKeyPem)
        {
            string Encrypted(string value) => encryptor.Encrypt(value);
            return "<?php\n"
                + "return [\n"
                + "    'backend' => [\n        'frontName' => 'admin_k2v9r'\n    ],\n"
                + "    'remote_storage' => [\n        'driver' => 'file'\n    ],\n"
                + "    'queue' => [\n        'consumers_wait_for_messages' => 1\n    ],\n"
                + "    'crypt' => [\n        'key' => '" + cryptKey + "'\n    ],\n"
                + "    'db' => [\n        'table_prefix' => '',\n        'connection' => [\n            'default' => [\n"
                + "                'host' => '10.0.3.7:3306',\n                'dbname' => 'magento',\n                'username' => 'magento',\n"
                + "                'password' => 'Xq7!vR2#pL9\\'mN4\\\\z',\n                'model' => 'mysql4',\n                'engine' => 'innodb',\n"
                + "                'initStatements' => 'SET NAMES utf8;',\n                'active' => '1',\n                'driver_options' => [\n"
                + "                    1014 => false\n                ]\n            ]\n        ]\n    ],\n"
                + "    'resource' => [\n        'default_setup' => [\n            'connection' => 'default'\n        ]\n    ],\n"
                + "    'x-frame-options' => 'SAMEORIGIN',\n"
                + "    'MAGE_MODE' => 'production',\n"
                + "    'session' => [\n        'save' => 'redis',\n        'redis' => [\n            'host' => '10.0.3.9',\n            'port' => '6379',\n"
                + "            'password' => '',\n            'timeout' => '2.5',\n            'persistent_identifier' => '',\n            'database' => '2',\n"
                + "            'compression_threshold' => '2048',\n            'compression_library' => 'gzip',\n            'log_level' => '1',\n"
                + "            'max_concurrency' => '6',\n            'break_after_frontend' => '5',\n            'break_after_adminhtml' => '30',\n"
                + "            'first_lifetime' => '600',\n            'bot_first_lifetime' => '60',\n            'bot_lifetime' => '7200',\n"
                + "            'disable_locking' => '0',\n            'min_lifetime' => '60',\n            'max_lifetime' => '2592000',\n"
                + "            'sentinel_master' => '',\n            'sentinel_servers' => '',\n            'sentinel_connect_retries' => '5',\n"
                + "            'sentinel_verify_master' => '0'\n        ]\n    ],\n"
                + "    'cache' => [\n        'frontend' => [\n            'default' => [\n                'id_prefix' => '9a1_',\n"
                + "                'backend' => 'Magento\\\\Framework\\\\Cache\\\\Backend\\\\Redis',\n                'backend_options' => [\n"
                + "                    'server' => '10.0.3.9',\n                    'database' => '0',\n                    'port' => '6379',\n"
                + "                    'password' => '',\n                    'compress_data' => '1',\n                    'compression_lib' => ''\n"
                + "                ]\n            ],\n            'page_cache' => [\n                'id_prefix' => '9a1_',\n"
                + "                'backend' => 'Magento\\\\Framework\\\\Cache\\\\Backend\\\\Redis',\n                'backend_options' => [\n"
                + "                    'server' => '10.0.3.9',\n                    'database' => '1',\n                    'port' => '6379',\n"
                + "                    'password' => '',\n                    'compress_data' => '0',\n                    'compression_lib' => ''\n"
                + "                ]\n            ]\n        ],\n        'allow_parallel_generation' => false\n    ],\n"
                + "    'lock' => [\n        'provider' => 'db'\n    ],\n"
                + "    'directories' => [\n        'document_root_is_pub' => true\n    ],\n"
                + "    'cache_types' => [\n"
                + string.Concat(new[]
                    {
                        "config", "layout", "block_html", "collections", "reflection", "db_ddl", "compiled_config", "eav", "customer_notification",
                        "config_integration", "config_integration_api", "full_page", "config_webservice", "translate", "graphql_query_resolver_result",
                    }.Select(type => "        '" + type + "' => 1,\n"))
                + "        'vertex' => 0\n    ],\n"
                + "    'downloadable_domains' => [\n        'shop.example.com',\n        'media.example.com'\n    ],\n"
                + "    'install' => [\n        'date' => 'Tue, 14 May 2024 08:30:00 +0000'\n    ],\n"
                + "    'system' => [\n        'default' => [\n"
                + "            'web' => [\n                'secure' => [\n                    'base_url' => 'https://shop.example.com/',\n"
                + "                    'use_in_frontend' => '1'\n                ],\n                'unsecure' => [\n"
                + "                    'base_url' => 'https://shop.example.com/'\n                ]\n            ],\n"
                + "            'magento_saas' => [\n                'environment' => 'production'\n            ],\n"
                + "            'services_connector' => [\n                'services_connector_integration' => [\n"
                + "                    'production_api_key' => '" + Encrypted(TestKeys.ApiKey) + "',\n"
                + "                    'production_private_key' => '" + Encrypted(privateKeyPem) + "',\n"
                + "                    'sandbox_api_key' => '" + Encrypted(TestKeys.ApiKey) + "',\n"
                + "                    'sandbox_private_key' => '" + Encrypted(privateKeyPem) + "'\n"
                + "                ],\n                'services_id' => [\n"
                + "                    'project_id' => 'a8b3f1c2-7d4e-4f6a-9b0c-1d2e3f4a5b6c',\n"
                + "                    'project_name' => 'Main store',\n"
                + "                    'environment_id' => '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',\n"
                + "                    'environment_name' => 'Production 1',\n"
                + "                    'environment' => 'Production',\n"
                + "                    'ims_organization_id' => null\n"
                + "                ]\n            ]\n        ]\n    ]\n"
                + "];\n";
        }

        /// <summary>Runs the PHP scripts copied beside the benchmark (Php/*.php) with the <c>php</c> on the PATH.</summary>
        private static class PhpPeer
        {
            public static string Version() => Run("-r", "echo 'PHP ', PHP_VERSION, ', sodium ', SODIUM_LIBRARY_VERSION, ', ', OPENSSL_VERSION_TEXT;").Trim();

            /// <summary>Microseconds per operation, as the script measured them.</summary>
            public static double Time(string script, string[] arguments)
            {
                string path = Path.Combine(AppContext.BaseDirectory, "Php", script);
                string printed = Run(new[] { path }.Concat(arguments).ToArray());
                return double.Parse(printed.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture) / 1000;
            }

            private static string Run(params string[] arguments)
            {
                var start = new ProcessStartInfo("php") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (string argument in arguments)
                {
                    start.ArgumentList.Add(argument);
                }

                using Process process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start php.");
                var error = process.StandardError.ReadToEndAsync();
                string printed = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException("php " + string.Join(" ", arguments) + " failed (" + process.ExitCode.ToString(CultureInfo.InvariantCulture) + "): " + error.Result);
                }

                return printed;
            }
        }
    }
}
