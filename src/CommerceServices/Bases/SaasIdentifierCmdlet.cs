using System;
using System.Management.Automation;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// The parameters Set-CommerceDataSpace and Set-CommerceProject share, and nothing else: what they do
    /// around the rules is <see cref="SaasIdentifierChoice"/>, which <see cref="Choice"/> gives them.
    /// </summary>
    public abstract class SaasIdentifierCmdlet : InstanceWriterCmdlet
    {
        private SaasIdentifierChoice? choice;

        /// <summary>The gateway to ask instead of the instance's configured one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public Uri? GatewayUri { get; set; }

        /// <summary>A proxy to use instead of the system proxy.</summary>
        [Parameter]
        public Uri? Proxy { get; set; }

        /// <summary>Write the instance's SaaS identifier settings afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Override the guard rails (R6 each instance its own data space, R7 Production only on production, R8 no key and identifier change together).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>With the env.php store: write even when Magento's configuration hash cannot be brought up to date from here.</summary>
        [Parameter]
        public SwitchParameter DeferConfigImport { get; set; }

        /// <summary>Asks the gateway, reads the current identifier, applies the guard rails and writes, with this command's switches.</summary>
        internal SaasIdentifierChoice Choice => choice ?? throw new InvalidOperationException("BeginProcessing has not run.");

        /// <inheritdoc />
        protected override void BeginProcessing() => choice = new SaasIdentifierChoice(this, Proxy, Force, PassThru, DeferConfigImport);
    }
}
