using System;
using System.Management.Automation;
using CommerceServices.Gateway;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Test-CommerceApiKey cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "CommerceApiKey")]
    [OutputType(typeof(ApiKeyTestResult))]
    [OutputType(typeof(bool))]
    public sealed class TestCommerceApiKeyCommand : ApiKeyInputCmdlet
    {
        /// <summary>Also ask the gateway whether it accepts the pair.</summary>
        [Parameter]
        public SwitchParameter Online { get; set; }

        /// <summary>The gateway to ask with -Online, instead of Adobe's (an emulator, for example).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public Uri? GatewayUri { get; set; }

        /// <summary>A proxy for -Online, instead of the system proxy.</summary>
        [Parameter]
        public Uri? Proxy { get; set; }

        /// <summary>Return only true or false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ApiKeyPairReadResult? read = ReadInput();
            if (read == null)
            {
                return;
            }

            using (read.KeyPair)
            {
                Report(read, Online && read.KeyPair != null ? CheckOnline(read.KeyPair) : null);
            }
        }

        private OnlineCheck? CheckOnline(ApiKeyPair keyPair)
        {
            var caller = new GatewayCaller(this) { Proxy = Proxy };
            Uri gateway = caller.Validate(GatewayUri, Environment);
            WriteVerbose("Asking " + gateway + " whether it accepts the " + Environment + " key pair.");
            try
            {
                return new OnlineCheck(caller.Call(keyPair, gateway, null, (client, token) => client.CheckApiKeyAsync(token)), null);
            }
            catch (GatewayException ex)
            {
                WriteError(ErrorRecords.ForGateway(ex, gateway));
                return new OnlineCheck(null, ex.ErrorId);
            }
        }

        private void Report(ApiKeyPairReadResult read, OnlineCheck? online)
        {
            foreach (PemRepair repair in read.Repairs)
            {
                WriteVerbose("Repaired in the " + Environment + " private key: " + DescribeRepair(repair));
            }

            WarnIfPkcs1(read);

            foreach (ApiKeyProblem problem in read.Problems)
            {
                WriteVerbose(problem.Id + ": " + problem.Message);
            }

            var result = new ApiKeyTestResult(read, online?.Accepted, online?.ProblemId);
            if (result.IsValid)
            {
                WriteVerbose("The " + Environment + " key pair is valid: RSA " + read.KeySize + ", SHA256:" + read.Fingerprint + (Online ? ", accepted by the gateway." : "."));
            }

            if (Quiet)
            {
                WriteObject(result.IsValid);
            }
            else
            {
                WriteObject(result);
            }
        }

        private static string DescribeRepair(PemRepair repair)
        {
            switch (repair)
            {
                case PemRepair.ByteOrderMark: return "a byte order mark was removed.";
                case PemRepair.LineEndings: return "CR/CRLF line endings were read as LF.";
                case PemRepair.EscapedNewlines: return "literal \\n sequences were read as line breaks.";
                case PemRepair.SingleLine: return "the key was on a single line.";
                case PemRepair.SpacesForNewlines: return "spaces stood where line breaks belong.";
                case PemRepair.Indentation: return "indented lines were read without the indentation.";
                case PemRepair.TrailingWhitespace: return "trailing spaces and blank lines were ignored.";
                case PemRepair.MarkerDashes: return "BEGIN/END lines with the wrong number of dashes were accepted.";
                case PemRepair.SurroundingText: return "text before or after the key was ignored.";
                case PemRepair.MarkerSpacing: return "extra spaces in the BEGIN/END lines were ignored.";
                case PemRepair.HeaderLines: return "header lines (such as Comment:) above the key were ignored.";
                default: return repair.ToString();
            }
        }

        private sealed class OnlineCheck
        {
            public OnlineCheck(bool? accepted, string? problemId)
            {
                Accepted = accepted;
                ProblemId = problemId;
            }

            public bool? Accepted { get; }

            public string? ProblemId { get; }
        }
    }
}
