namespace CommerceServices.Tests.Support
{
    /// <summary>
    /// Runs work with variables of this process set (null removes one), then puts back what they were. For the
    /// variables that only the Cloud application has (MAGENTO_CLOUD_*), which no other test sets or reads for its own
    /// folders: the Cloud rule counts them only for the folder MAGENTO_CLOUD_APP_DIR names, a folder of one test.
    /// </summary>
    internal static class ProcessEnvironment
    {
        public static T With<T>(IReadOnlyDictionary<string, string?> variables, Func<T> work)
        {
            var before = variables.Keys.ToDictionary(name => name, Environment.GetEnvironmentVariable);
            try
            {
                foreach (KeyValuePair<string, string?> variable in variables)
                {
                    Environment.SetEnvironmentVariable(variable.Key, variable.Value);
                }

                return work();
            }
            finally
            {
                foreach (KeyValuePair<string, string?> variable in before)
                {
                    Environment.SetEnvironmentVariable(variable.Key, variable.Value);
                }
            }
        }
    }
}
