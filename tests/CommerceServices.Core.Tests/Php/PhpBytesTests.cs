using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Php;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Php
{
    /// <summary>
    /// Bytes that are not UTF-8 (issue 11 item 3): a password <c>p\xE9ss</c> in a single-quoted string, "\xFF",
    /// "\377" and "\u{D800}" escapes. PHP keeps them as bytes; so must the reader, the writer and var_export, byte
    /// for byte, compared as hex with PHP 8.2 (bytes.php), and json_encode refuses them as PHP's does.
    /// </summary>
    public class PhpBytesTests
    {
        /// <summary>UTF-8 text and raw bytes, joined.</summary>
        private static byte[] Bytes(params object[] parts)
        {
            var bytes = new List<byte>();
            foreach (object part in parts)
            {
                bytes.AddRange(part is byte[] raw ? raw : new UTF8Encoding(false).GetBytes((string)part));
            }

            return bytes.ToArray();
        }

        private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

        /// <summary>An env.php holding bytes that are not UTF-8 every way PHP makes them, and some that are.</summary>
        internal static byte[] EnvPhpWithBytesNotUtf8() => Bytes(
            "<?php\nreturn [\n    'db' => [\n        'connection' => [\n            'default' => [\n                'host' => 'localhost',\n                'password' => 'p",
            new byte[] { 0xE9 },
            "ss'\n            ]\n        ]\n    ],\n",
            "    'hex' => \"\\xFF\",\n",
            "    'octal' => \"\\377 and \\101\",\n",
            "    'surrogate' => \"\\u{D800}\",\n",
            "    'heredoc' => <<<EOT\n\\u{DFFF} and \\xC3\\xA9\nEOT,\n",
            "    'utf8' => \"\\xC3\\xA9 é \\u{1F600}\",\n",
            "    'mixed' => \"é\\xFF\\xC3",
            new byte[] { 0xA9 },
            "\",\n    'raw' => '",
            new byte[] { 0xC3, 0x28, 0xF0, 0x9F, 0x98, 0x80, 0xED, 0xA0, 0x80, 0xE0, 0x80, 0xAF, 0xF4, 0x90, 0x80, 0x80, 0xFF },
            "',\n    '",
            new byte[] { 0xFF, 0xFE },
            "' => 'a key that is not UTF-8',\n    'list' => ['",
            new byte[] { 0xE9 },
            "', \"\\x80\"]\n];\n");

        /// <summary>Each leaf as bytes.php values prints it: hex of the path, the type, hex of var_export of the value.</summary>
        private static string Leaves(PhpArray array)
        {
            var lines = new StringBuilder();
            Leaves(array, string.Empty, lines);
            return lines.ToString();
        }

        private static void Leaves(PhpArray array, string path, StringBuilder lines)
        {
            foreach (var pair in array)
            {
                string at = (path.Length == 0 ? string.Empty : path + "/") + (pair.Key is long l ? l.ToString(System.Globalization.CultureInfo.InvariantCulture) : (string)pair.Key);
                if (pair.Value is PhpArray nested)
                {
                    Leaves(nested, at, lines);
                }
                else
                {
                    string type = pair.Value switch { string _ => "string", long _ => "integer", double _ => "double", bool _ => "boolean", _ => "NULL" };
                    lines.Append(Hex(PhpBytes.Encode(at))).Append('\t').Append(type).Append('\t').Append(Hex(PhpBytes.Encode(PhpVarExport.Export(pair.Value)))).Append('\n');
                }
            }
        }

        [Fact]
        public void TheReaderKeepsEveryByteAsPhpReadsIt()
        {
            using var folder = new TempFolder();
            string file = Path.Combine(folder.Path, "env.php");
            File.WriteAllBytes(file, EnvPhpWithBytesNotUtf8());

            PhpArray ours = PhpConfigReader.ReadFile(file);

            // var_export of what we read is PHP's, byte for byte.
            Assert.Equal(PhpCli.Run("bytes.php", "var-export", file), Hex(PhpBytes.Encode(PhpVarExport.Export(ours))));
            Assert.Equal(PhpCli.Run("bytes.php", "values", file), Leaves(ours));
            Assert.Equal("70e97373", Hex(PhpBytes.Encode((string)ours.GetPath("db/connection/default/password")!)));
            Assert.Equal("ff", Hex(PhpBytes.Encode((string)ours["hex"]!)));
            Assert.Equal("eda080", Hex(PhpBytes.Encode((string)ours["surrogate"]!)));
            // Escapes that together are UTF-8 are the character they encode, as in PHP.
            Assert.Equal("é é \U0001F600", ours["utf8"]);
        }

        [Fact]
        public void WhatTheFormatterWritesPhpReadsAsTheSameBytesInBothLayouts()
        {
            using var folder = new TempFolder();
            string file = Path.Combine(folder.Path, "env.php");
            File.WriteAllBytes(file, EnvPhpWithBytesNotUtf8());
            PhpArray config = PhpConfigReader.ReadFile(file);
            var comments = new PhpArray();
            comments["db"] = "Managed by the deployment.";
            string expected = PhpCli.Run("bytes.php", "values", file);

            byte[] shortLayout = PhpBytes.Encode(MagentoPhpFormatter.Format(config));
            byte[] longLayout = PhpBytes.Encode(MagentoPhpFormatter.Format(config, comments));

            // Magento's writer (re-stated in PHP) writes exactly these bytes from the file.
            Assert.Equal(PhpCli.Run("bytes.php", "run", "magento-deployment-writer.php", "rewrite", file), Hex(shortLayout));
            foreach (byte[] written in new[] { shortLayout, longLayout })
            {
                string rewritten = Path.Combine(folder.Path, "rewritten.php");
                File.WriteAllBytes(rewritten, written);
                Assert.Equal(expected, PhpCli.Run("bytes.php", "values", rewritten));
                Assert.Equal(PhpVarExport.Export(config), PhpVarExport.Export(PhpConfigReader.ReadFile(rewritten)));
            }
        }

        [Fact]
        public void JsonEncodeRefusesBytesThatAreNotUtf8AsPhpDoes()
        {
            using var folder = new TempFolder();
            string file = Path.Combine(folder.Path, "env.php");
            File.WriteAllBytes(file, EnvPhpWithBytesNotUtf8());
            PhpArray config = PhpConfigReader.ReadFile(file);

            Assert.Equal("false Malformed UTF-8 characters, possibly incorrectly encoded", PhpCli.Run("bytes.php", "json", file));
            Assert.Throws<PhpJsonMalformedUtf8Exception>(() => PhpJson.Encode(config));
            Assert.Throws<PhpJsonMalformedUtf8Exception>(() => PhpJson.Sha1OfJson(config["hex"]));
            Assert.Equal("db/connection/default/password", PhpJson.FindMalformedUtf8(config));

            // Only a key that is not UTF-8: json_encode fails too.
            var key = new PhpArray();
            key.Set(config.Keys.Single(k => k is string s && s.StartsWith(PhpBytes.ByteChar(0xFF).ToString(), StringComparison.Ordinal)), "a");
            Assert.Equal(key.Keys[0], PhpJson.FindMalformedUtf8(key));
            Assert.Throws<PhpJsonMalformedUtf8Exception>(() => PhpJson.Encode(key));

            // What is UTF-8 is encoded as before, and as PHP does.
            string utf8 = Path.Combine(folder.Path, "utf8.php");
            File.WriteAllText(utf8, "<?php\nreturn ['utf8' => \"\\xC3\\xA9 é \\u{1F600}\", 'host' => 'localhost'];\n");
            Assert.Null(PhpJson.FindMalformedUtf8(PhpConfigReader.ReadFile(utf8)));
            Assert.Equal(PhpCli.Run("bytes.php", "json", utf8), Hex(Encoding.UTF8.GetBytes(PhpJson.Encode(PhpConfigReader.ReadFile(utf8)))));
        }

        /// <summary>A random literal: single-quoted random bytes, or double-quoted raw bytes and \x, octal and \u{...} escapes.</summary>
        private static byte[] RandomLiteral(Random random)
        {
            var bytes = new List<byte>();
            bool single = random.Next(2) == 0;
            bytes.Add((byte)(single ? '\'' : '"'));
            for (int n = random.Next(0, 8); n > 0; n--)
            {
                int kind = single ? 0 : random.Next(5);
                if (kind <= 1)
                {
                    byte b = random.Next(3) == 0 ? (byte)random.Next(0x20, 0x7F) : (byte)random.Next(0x80, 0x100);
                    if (b == '\'' || b == '\\' || b == '"' || b == '$' || b == '{')
                    {
                        b = (byte)'a';
                    }

                    bytes.Add(b);
                }
                else if (kind == 2)
                {
                    // Not NUL: var_export writes it as a concatenation, which is no plain literal.
                    bytes.AddRange(Encoding.ASCII.GetBytes("\\x" + random.Next(1, 256).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
                }
                else if (kind == 3)
                {
                    bytes.AddRange(Encoding.ASCII.GetBytes("\\" + Convert.ToString(random.Next(0x80, 0x100), 8)));
                }
                else
                {
                    int[] points = { random.Next(0x80, 0x800), random.Next(0xD800, 0xE000), random.Next(0xE000, 0x10000), random.Next(0x10000, 0x110000) };
                    bytes.AddRange(Encoding.ASCII.GetBytes("\\u{" + points[random.Next(points.Length)].ToString("X", System.Globalization.CultureInfo.InvariantCulture) + "}"));
                }
            }

            bytes.Add((byte)(single ? '\'' : '"'));
            return bytes.ToArray();
        }

        /// <summary>PHP's var_export bytes of each file (fuzz-include.php, one process).</summary>
        private static List<byte[]> PhpVarExports(string folder, IReadOnlyList<string> files)
        {
            string list = Path.Combine(folder, "list-" + Guid.NewGuid().ToString("N") + ".txt");
            File.WriteAllLines(list, files);
            var exports = new List<byte[]>();
            foreach (string line in PhpCli.Run("fuzz-include.php", list).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = line.Split('\t');
                if (parts[1] != "start")
                {
                    Assert.True(parts[1] == "array", "PHP did not read " + files[exports.Count] + " as an array: " + line);
                    exports.Add(Convert.FromBase64String(parts[2]));
                }
            }

            Assert.Equal(files.Count, exports.Count);
            return exports;
        }

        [Fact]
        public void RandomBytesAndEscapesAreReadAndWrittenBackAsPhpReadsThem()
        {
            using var folder = new TempFolder();
            var random = new Random(20261201);
            var files = new List<string>();
            for (int i = 0; i < 300; i++)
            {
                var content = new List<byte>(Encoding.ASCII.GetBytes("<?php\nreturn [\n"));
                for (int e = random.Next(1, 6); e > 0; e--)
                {
                    content.AddRange(RandomLiteral(random));
                    content.AddRange(Encoding.ASCII.GetBytes(" => "));
                    content.AddRange(RandomLiteral(random));
                    content.AddRange(Encoding.ASCII.GetBytes(",\n"));
                }

                content.AddRange(Encoding.ASCII.GetBytes("];\n"));
                string file = Path.Combine(folder.Path, i.ToString("D3") + ".php");
                File.WriteAllBytes(file, content.ToArray());
                files.Add(file);
            }

            List<byte[]> php = PhpVarExports(folder.Path, files);
            var rewritten = new List<string>();
            int notUtf8 = 0;
            for (int i = 0; i < files.Count; i++)
            {
                PhpArray ours = PhpConfigReader.ReadFile(files[i]);
                string export = PhpVarExport.Export(ours);
                Assert.True(Hex(php[i]) == Hex(PhpBytes.Encode(export)), "input " + files[i] + ": PHP reads " + Hex(php[i]) + ", we read " + Hex(PhpBytes.Encode(export)));
                notUtf8 += PhpBytes.IsUtf8(export) ? 0 : 1;
                string written = Path.Combine(folder.Path, "w" + i.ToString("D3") + ".php");
                File.WriteAllBytes(written, PhpBytes.Encode(MagentoPhpFormatter.Format(ours)));
                rewritten.Add(written);
            }

            Assert.True(notUtf8 > 200, "Too few inputs with bytes that are not UTF-8: " + notUtf8);

            // What the formatter wrote, PHP reads as the same bytes.
            List<byte[]> again = PhpVarExports(folder.Path, rewritten);
            for (int i = 0; i < files.Count; i++)
            {
                Assert.True(Hex(php[i]) == Hex(again[i]), "input " + files[i] + " written back: PHP reads " + Hex(again[i]) + ", not " + Hex(php[i]));
            }
        }

        [Fact]
        public void TheCodecGivesBackEveryByteAndDecodesUtf8AsUtf8()
        {
            var random = new Random(20261201);
            var strict = new UTF8Encoding(false, true);
            for (int i = 0; i < 20_000; i++)
            {
                var bytes = new byte[random.Next(0, 12)];
                for (int b = 0; b < bytes.Length; b++)
                {
                    // Mostly bytes near UTF-8's boundaries, so that valid and invalid sequences both occur.
                    bytes[b] = random.Next(3) switch
                    {
                        0 => (byte)random.Next(256),
                        1 => (byte)(0x80 + random.Next(64)),
                        _ => new byte[] { 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xC0, 0x41 }[random.Next(10)],
                    };
                }

                string text = PhpBytes.Decode(bytes);
                Assert.Equal(bytes, PhpBytes.Encode(text));
                Assert.Equal(text, PhpBytes.Normalize(text));
                string? valid = null;
                try
                {
                    valid = strict.GetString(bytes);
                }
                catch (DecoderFallbackException)
                {
                }

                Assert.Equal(valid != null, PhpBytes.IsUtf8(text));
                if (valid != null)
                {
                    Assert.Equal(valid, text);
                }
            }

            // A lone surrogate that is no escaped byte is neither text nor a byte: refused, never U+FFFD.
            Assert.Throws<ArgumentException>(() => PhpBytes.Encode("a\uD800b"));
            Assert.Throws<ArgumentException>(() => PhpBytes.Encode("a\uDC7Fb"));
        }
    }
}
