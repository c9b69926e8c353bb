namespace CommerceServices.Php
{
    /// <summary>How PHP judges a string in a condition: the one rule the connector's and Magento's <c>empty()</c> and <c>if (!$x)</c> tests share.</summary>
    public static class PhpTruth
    {
        /// <summary>PHP's <c>empty()</c> on a string (and its falseness): null, "" and "0".</summary>
        public static bool IsEmpty(string? value) => string.IsNullOrEmpty(value) || value == "0";
    }
}
