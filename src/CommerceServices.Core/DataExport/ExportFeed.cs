using System;
using System.Collections.Generic;
using System.Linq;

namespace CommerceServices.DataExport
{
    /// <summary>How a feed reaches the service.</summary>
    public enum ExportMode
    {
        /// <summary>Collected and sent in the same indexer run; each item's outcome is kept in its row (status, errors).</summary>
        Immediate,

        /// <summary>Collected into the feed table first, sent later by a cron job; what was sent is known only from a flag timestamp.</summary>
        Legacy,
    }

    /// <summary>
    /// One feed of the SaaS data export: its --feed name, indexer, module and tables in every layout
    /// it has had (facts: shared/reference/data-export.md §1 and §2).
    /// </summary>
    public sealed class ExportFeed
    {
        internal ExportFeed(string name, string indexerId, string module, ExportMode mode, string table, string? olderTable = null, string? legacyFlag = null, bool byIds = false, string[]? identity = null)
        {
            Name = name;
            IndexerId = indexerId;
            Module = module;
            Mode = mode;
            Table = table;
            OlderTable = olderTable;
            LegacyFlag = legacyFlag;
            SupportsByIds = byIds;
            Identity = identity ?? Array.Empty<string>();
        }

        /// <summary>The name saas:resync --feed takes, e.g. productAttributes.</summary>
        public string Name { get; }

        /// <summary>The feed's indexer (indexer_state.indexer_id), e.g. catalog_data_exporter_products.</summary>
        public string IndexerId { get; }

        /// <summary>The Magento module that exports the feed; the feed exists only where it is enabled.</summary>
        public string Module { get; }

        /// <summary>The mode of the current exporter (103.3.0 and later).</summary>
        public ExportMode Mode { get; }

        /// <summary>The feed table of the current exporter, which is also its mview view id (its changelog adds _cl).</summary>
        public string Table { get; }

        /// <summary>
        /// The table before 103.3.0 renamed it (catalog_data_exporter_products, …), which was also the
        /// indexer's view id then; null when the name never changed.
        /// </summary>
        public string? OlderTable { get; }

        /// <summary>
        /// The flag (flag.flag_code) holding when the cron last sent the feed while it was exported the legacy
        /// way: rows modified after it are still to be sent. Null where no source names it.
        /// </summary>
        public string? LegacyFlag { get; }

        /// <summary>Whether saas:resync --by-ids supports the feed.</summary>
        public bool SupportsByIds { get; }

        /// <summary>The fields of feed_data that name an item (feedItemIdentifiers), e.g. sku and storeViewCode.</summary>
        public IReadOnlyList<string> Identity { get; }

        public override string ToString() => Name;
    }

    /// <summary>Every feed this module knows, and the module that all feeds need.</summary>
    public static class ExportFeeds
    {
        /// <summary>The exporter's base module: without it no feed exports.</summary>
        public const string DataExporterModule = "Magento_DataExporter";

        /// <summary>
        /// The feeds, in the order of the Admin's Data Feed Sync Status page and the docs' feed table. Flags: the
        /// KB and the scopes di.xml name products-, product-attributes-, scopes-website-, scopes-customergroup-,
        /// product-overrides- and variants-feed-version; the others follow the same pattern (an inference).
        /// </summary>
        public static IReadOnlyList<ExportFeed> All { get; } = new[]
        {
            new ExportFeed("products", "catalog_data_exporter_products", "Magento_CatalogDataExporter", ExportMode.Immediate, "cde_products_feed", "catalog_data_exporter_products", "products-feed-version", true, new[] { "sku", "storeViewCode" }),
            new ExportFeed("productAttributes", "catalog_data_exporter_product_attributes", "Magento_CatalogDataExporter", ExportMode.Immediate, "cde_product_attributes_feed", "catalog_data_exporter_product_attributes", "product-attributes-feed-version", true, new[] { "attributeCode", "storeViewCode" }),
            new ExportFeed("categories", "catalog_data_exporter_categories", "Magento_CatalogDataExporter", ExportMode.Immediate, "cde_categories_feed", "catalog_data_exporter_categories", "categories-feed-version", false, new[] { "urlPath", "storeViewCode" }),
            new ExportFeed("productOverrides", "catalog_data_exporter_product_overrides", "Magento_ProductOverrideDataExporter", ExportMode.Immediate, "cde_product_overrides_feed", "catalog_data_exporter_product_overrides", "product-overrides-feed-version", true, new[] { "sku", "websiteCode", "customerGroupCode" }),
            new ExportFeed("prices", "catalog_data_exporter_product_prices", "Magento_ProductPriceDataExporter", ExportMode.Immediate, "cde_product_prices_feed", "catalog_data_exporter_product_prices", "prices-feed-version", true, new[] { "sku", "customerGroupCode", "websiteCode" }),
            new ExportFeed("variants", "catalog_data_exporter_product_variants", "Magento_ProductVariantDataExporter", ExportMode.Immediate, "cde_product_variants_feed", "catalog_data_exporter_product_variants", "variants-feed-version", true, new[] { "parentSku", "productSku" }),
            new ExportFeed("inventoryStockStatus", "inventory_data_exporter_stock_status", "Magento_InventoryDataExporter", ExportMode.Immediate, "inventory_data_exporter_stock_status_feed", "inventory_data_exporter_stock_status", null, true, new[] { "stockId", "sku" }),
            new ExportFeed("categoryPermissions", "catalog_data_exporter_category_permissions", "Magento_CategoryPermissionDataExporter", ExportMode.Immediate, "cde_category_permissions_feed", null, null, true),
            new ExportFeed("scopesWebsite", "scopes_website_data_exporter", "Magento_ScopesDataExporter", ExportMode.Legacy, "scopes_website_data_exporter", null, "scopes-website-feed-version"),
            new ExportFeed("scopesCustomerGroup", "scopes_customergroup_data_exporter", "Magento_ScopesDataExporter", ExportMode.Legacy, "scopes_customergroup_data_exporter", null, "scopes-customergroup-feed-version"),
            new ExportFeed("orders", "sales_order_data_exporter_v2", "Magento_SalesOrdersDataExporter", ExportMode.Legacy, "sales_data_exporter_orders_v2"),
            new ExportFeed("reviews", "catalog_data_exporter_product_reviews", "Magento_ProductReviewDataExporter", ExportMode.Legacy, "catalog_data_exporter_product_reviews"),
            new ExportFeed("ratingMetadata", "catalog_data_exporter_rating_metadata", "Magento_ProductReviewDataExporter", ExportMode.Legacy, "catalog_data_exporter_rating_metadata"),
        };

        /// <summary>The feed named <paramref name="name"/> as saas:resync accepts it: any case (productattributes is productAttributes).</summary>
        public static ExportFeed? Find(string name) =>
            All.FirstOrDefault(feed => string.Equals(feed.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

        /// <summary>The names, for messages and completion.</summary>
        public static string Names => string.Join(", ", All.Select(feed => feed.Name));
    }
}
