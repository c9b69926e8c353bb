using System;

namespace CommerceServices.Php
{
    /// <summary>
    /// The host part of a URL as PHP's <c>parse_url($url, PHP_URL_HOST)</c> returns it: as written
    /// (letter case kept, no IDN mapping, IPv6 literals with their brackets). The connector compares
    /// it with its list of CloudFront domains, so .NET's normalised <see cref="Uri.Host"/> would not do.
    /// </summary>
    public static class PhpUrl
    {
        /// <summary>The host, or null when PHP finds none (no "//" authority, an empty host, a port that is not a number).</summary>
        public static string? Host(string? url)
        {
            if (string.IsNullOrEmpty(url))
            {
                return null;
            }

            // A scheme is letters, digits, "+", "-" and "." before the first ":"; then "//" starts the authority.
            int start;
            int colon = url!.IndexOf(':');
            if (colon > 0 && IsScheme(url, colon) && string.CompareOrdinal(url, colon + 1, "//", 0, 2) == 0)
            {
                start = colon + 3;
            }
            else if (url.StartsWith("//", StringComparison.Ordinal))
            {
                start = 2;
            }
            else
            {
                return null;
            }

            int end = url.IndexOfAny(new[] { '/', '?', '#' }, start);
            string authority = end < 0 ? url.Substring(start) : url.Substring(start, end - start);
            int at = authority.LastIndexOf('@');
            string hostAndPort = at < 0 ? authority : authority.Substring(at + 1);

            string host = hostAndPort;
            int bracket = hostAndPort.LastIndexOf(']');
            int portColon = hostAndPort.LastIndexOf(':');
            if (portColon > bracket)
            {
                string port = hostAndPort.Substring(portColon + 1);
                if (port.Length > 5 || !IsDigits(port) || (port.Length > 0 && int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) > 65535))
                {
                    return null;
                }

                host = hostAndPort.Substring(0, portColon);
            }

            return host.Length == 0 ? null : host;
        }

        private static bool IsScheme(string url, int colon)
        {
            for (int i = 0; i < colon; i++)
            {
                char c = url[i];
                if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsDigits(string text)
        {
            foreach (char c in text)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
