namespace CommerceServices.Stores
{
    /// <summary>How the instance's config cache was cleaned after a change.</summary>
    public enum CacheCleanMethod
    {
        /// <summary>The instance's own bin/magento cache:clean config ran.</summary>
        BinMagento,

        /// <summary>The config entries of the file cache (var/cache) were removed.</summary>
        FileCache,

        /// <summary>Nothing could be cleaned from here; the message says what to run.</summary>
        NotCleaned,
    }
}
