namespace CommerceServices.Keys
{
    /// <summary>The PEM form a private key was supplied in.</summary>
    public enum PrivateKeyFormat
    {
        /// <summary><c>-----BEGIN PRIVATE KEY-----</c>: the form Adobe documents (rule R4).</summary>
        Pkcs8 = 0,

        /// <summary><c>-----BEGIN RSA PRIVATE KEY-----</c>: accepted and converted to PKCS#8.</summary>
        Pkcs1 = 1,
    }
}
