namespace CommerceServices.Stores
{
    /// <summary>The outcome of cleaning the config cache.</summary>
    public sealed class CacheCleanResult
    {
        internal CacheCleanResult(CacheCleanMethod method, string message)
        {
            Method = method;
            Message = message;
        }

        public CacheCleanMethod Method { get; }

        public string Message { get; }
    }
}
