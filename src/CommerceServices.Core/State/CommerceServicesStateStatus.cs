namespace CommerceServices.State
{
    /// <summary>What Set-CommerceServicesState did to one instance.</summary>
    public enum CommerceServicesStateStatus
    {
        /// <summary>The instance was in the desired state already: nothing was written.</summary>
        Unchanged,

        /// <summary>The differences were written, in one write.</summary>
        Changed,

        /// <summary>The instance differs, and nothing was written: -WhatIf, or the confirmation was declined.</summary>
        WouldChange,

        /// <summary>
        /// The state could not be applied (see the errors): nothing was written. (When the registry cannot be told of a
        /// data space after the write, the result is Changed, with the error.)
        /// </summary>
        Failed,
    }
}
