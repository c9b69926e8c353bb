# Shared setup for the Pester tests: import the built module (out/CommerceServices), never an
# installed copy. Build first: ./build.ps1 (or dotnet build CommerceServicesPS.sln -c Release).
$script:RepositoryRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = Join-Path $script:RepositoryRoot 'out/CommerceServices/CommerceServices.psd1'
$script:EmulatorManifest = Join-Path $script:RepositoryRoot 'out/CommerceServices.Emulator/CommerceServices.Emulator.psd1'
if (-not (Test-Path -LiteralPath $script:ModuleManifest)) {
    throw "The module is not built: $script:ModuleManifest is missing. Run './build.ps1' first."
}
Import-Module -Name $script:ModuleManifest -Force -ErrorAction Stop
# The demo instances of the examples (New-DemoInstance, Initialize-DemoInstance), as the examples use them.
. (Join-Path $script:RepositoryRoot 'examples/Support/DemoFleet.ps1')

function New-TestSecureString([string] $Text) {
    # Test-only: real scripts get the key from a vault, Read-Host -AsSecureString or a file.
    ConvertTo-SecureString -String $Text -AsPlainText -Force
}

function Get-TestKeyFingerprint([System.Security.Cryptography.RSA] $Rsa) {
    [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($Rsa.ExportSubjectPublicKeyInfo())).ToLowerInvariant()
}

function New-TestInstance {
    <#
      Writes a sample Magento root folder, $TestDrive/<Name>, and returns its path; with -ConfigStore,
      connects it (with -Role when given) and returns the connected instance, which then holds -Keys
      when given (Set-CommerceApiKey).

      Without -Emulator, the files a reader sees: env.php with a crypt key, the database (-DbHost,
      -TablePrefix; '' leaves the prefix out) and MAGE_MODE (-MageMode; '' leaves it out), install/date
      with -Installed, and the system/default values of -EnvPhpSystem (PHP source); config.php with the
      connector's modules; composer.lock of -Package 2.4.7-p3.
      With -Emulator, the demo instance of the examples (New-DemoInstance): a crypt key of its own and
      the emulator's gateways locked in env.php, installed on -DbHost when given, else not installed.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Files')]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [string] $DbHost,
        [Parameter(ParameterSetName = 'Files')] [string] $Package = 'magento/product-enterprise-edition',
        [Parameter(ParameterSetName = 'Files')] [AllowEmptyString()] [string] $TablePrefix = 'mg_',
        [Parameter(ParameterSetName = 'Files')] [AllowEmptyString()] [string] $MageMode = 'production',
        [Parameter(ParameterSetName = 'Files')] [switch] $Installed,
        [Parameter(ParameterSetName = 'Files')] [string] $EnvPhpSystem,
        [Parameter(Mandatory, ParameterSetName = 'Demo')] $Emulator,
        [ValidateSet('Database', 'EnvPhp')] [string] $ConfigStore,
        [string] $Role,
        [object[]] $Keys
    )

    $root = Join-Path $TestDrive $Name
    if ($PSCmdlet.ParameterSetName -eq 'Demo') {
        $demo = @{ Path = $root; Emulator = $Emulator }
        if ($DbHost) { $demo.DatabaseHost = $DbHost }
        $null = New-DemoInstance @demo
    }
    else {
        if (-not $PSBoundParameters.ContainsKey('DbHost')) { $DbHost = 'db.internal:3307' }
        $etc = New-Item -ItemType Directory -Path (Join-Path $root 'app/etc') -Force
        Set-Content -Path (Join-Path $etc 'config.php') -Value "<?php`nreturn ['modules' => ['Magento_ServicesConnector' => 1, 'Magento_ServicesId' => 1]];"
        $prefix = if ($TablePrefix) { "'table_prefix' => '$TablePrefix', " } else { '' }
        $settings = @(
            "    'crypt' => ['key' => 'base64AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=']"
            "    'db' => [$($prefix)'connection' => ['default' => ['host' => '$DbHost', 'dbname' => 'magento', 'username' => 'magento', 'password' => 'DbSecret']]]"
            if ($MageMode) { "    'MAGE_MODE' => '$MageMode'" }
            if ($Installed) { "    'install' => ['date' => 'Mon, 02 Sep 2024 10:11:12 +0000']" }
            if ($EnvPhpSystem) { "    'system' => ['default' => [$EnvPhpSystem]]" }
        )
        Set-Content -Path (Join-Path $etc 'env.php') -Value "<?php`nreturn [`n$($settings -join ",`n")`n];"
        Set-Content -Path (Join-Path $root 'composer.lock') -Value "{`"packages`": [{`"name`": `"$Package`", `"version`": `"2.4.7-p3`"}]}"
    }
    if (-not $ConfigStore) {
        return $root
    }

    $connect = @{ Path = $root; ConfigStore = $ConfigStore; PassThru = $true }
    if ($Role) { $connect.Role = $Role }
    $instance = Connect-CommerceInstance @connect
    if ($Keys) {
        $Keys | Set-CommerceApiKey -Instance $instance
    }
    $instance
}

function Get-EnvPhp($Instance) {
    # The text of app/etc/env.php of an instance: a connected one, or the path of its root folder.
    $root = if ($Instance -is [string]) { $Instance } else { $Instance.Path }
    Get-Content -Raw -LiteralPath (Join-Path $root 'app/etc/env.php')
}

function Invoke-Pwsh {
    <#
      Runs the pwsh that runs these tests in a new process, as a user starts it, and returns its
      exit code and what it wrote (colour sequences removed): Output (stdout), Errors (stderr) and
      Text (both). -Environment sets variables of the new process; a $null value removes one. A
      process still running after -TimeoutSeconds is killed with its children, and that is an error
      that shows what it wrote.
    #>
    param(
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $script:RepositoryRoot,
        [int] $TimeoutSeconds = 300
    )

    # The pwsh .NET tool runs as 'dotnet pwsh.dll'; an installed pwsh is its own executable.
    $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    if ([System.IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
        $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll'))
    }
    foreach ($argument in $ArgumentList) {
        $start.ArgumentList.Add($argument)
    }
    $start.WorkingDirectory = $WorkingDirectory
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $null = $start.Environment.Remove($name) } else { $start.Environment[$name] = [string] $Environment[$name] }
    }

    $process = [System.Diagnostics.Process]::Start($start)
    try {
        $errors = $process.StandardError.ReadToEndAsync()
        $output = $process.StandardOutput.ReadToEndAsync()
        $ansi = '\x1b\[[0-9;?]*[A-Za-z]'
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            $process.WaitForExit()
            throw "pwsh $($ArgumentList -join ' ') did not end within $TimeoutSeconds s and was stopped. It wrote:`n" + (($output.Result + $errors.Result) -replace $ansi)
        }
        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Output   = $output.Result -replace $ansi
            Errors   = $errors.Result -replace $ansi
            Text     = ($output.Result + $errors.Result) -replace $ansi
        }
    }
    finally {
        $process.Dispose()
    }
}

# ---------------------------------------------------------------------------------------------
# A private MariaDB server and instances that export their catalog to it: the Pester side of
# tests/Shared/MariaDbServer.cs, ExportTables.cs and FakeBinMagento.cs (CI installs mariadb-server
# and php-cli: tests/run.sh).

function Get-MariaDbProgram([string] $Name) {
    # A MariaDB program from PATH, or from /usr/sbin and /usr/bin where Debian puts them.
    $found = Get-Command -Name $Name -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($found) { return $found.Source }
    foreach ($folder in '/usr/sbin', '/usr/bin') {
        if (Test-Path -LiteralPath (Join-Path $folder $Name)) { return (Join-Path $folder $Name) }
    }
    throw "$Name is needed by the database tests: install mariadb-server (tests/run.sh does)."
}

function Invoke-TestProgram {
    # Runs a program with its arguments (no shell), optionally with $InputText on stdin, and returns
    # its stdout; a non-zero exit code is an error with what it wrote on stderr.
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @(), [string] $InputText)
    $start = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $PSBoundParameters.ContainsKey('InputText')
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    try {
        if ($start.RedirectStandardInput) {
            $process.StandardInput.Write($InputText)
            $process.StandardInput.Close()
        }
        $errors = $process.StandardError.ReadToEndAsync()
        $output = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        if ($process.ExitCode -ne 0) {
            throw "$([System.IO.Path]::GetFileName($FilePath)) failed ($($process.ExitCode)): $($errors.Result)"
        }
        $output
    }
    finally {
        $process.Dispose()
    }
}

function Get-FreeTcpPort([string] $Address = '127.0.0.1') {
    # A TCP port that is free on $Address now: the system picks it for a listener that stops at once.
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Parse($Address), 0)
    $probe.Start()
    try { $probe.LocalEndpoint.Port } finally { $probe.Stop() }
}

function Start-TestMariaDb {
    <#
      Starts a private MariaDB server: its own data folder (in the temp folder: a unix socket path
      must stay short), unix socket and loopback port, and a user 'magento' with a password of its
      own who may do anything. Returns the server: Folder, Socket, Port, User, Password, and the
      methods Sql(sql[, database]) (runs SQL through the mariadb client, returns what it printed,
      tab-separated without column names) and Stop() (Stop-TestMariaDb).
    #>
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('cs-mariadb-' + [guid]::NewGuid().ToString('n').Substring(0, 12))
    $data = Join-Path $folder 'data'
    $null = New-Item -ItemType Directory -Path $data -Force
    $socket = Join-Path $folder 'mysqld.sock'
    $user = [Environment]::UserName
    $password = 'Db-Pa55-' + [guid]::NewGuid().ToString('n').Substring(0, 16)

    $null = Invoke-TestProgram (Get-MariaDbProgram 'mariadb-install-db') @("--no-defaults", "--datadir=$data", "--user=$user", '--auth-root-authentication-method=socket', '--skip-test-db')
    $init = Join-Path $folder 'init.sql'
    Set-Content -LiteralPath $init -Value @(
        "CREATE USER 'magento'@'localhost' IDENTIFIED BY '$password';"
        "CREATE USER 'magento'@'127.0.0.1' IDENTIFIED BY '$password';"
        "GRANT ALL PRIVILEGES ON *.* TO 'magento'@'localhost' WITH GRANT OPTION;"
        "GRANT ALL PRIVILEGES ON *.* TO 'magento'@'127.0.0.1';"
    )

    $port = Get-FreeTcpPort

    $start = [System.Diagnostics.ProcessStartInfo]::new((Get-MariaDbProgram 'mariadbd'))
    foreach ($argument in "--no-defaults", "--datadir=$data", "--socket=$socket", "--port=$port", '--bind-address=127.0.0.1',
        "--pid-file=$(Join-Path $folder 'mysqld.pid')", "--user=$user", "--init-file=$init",
        '--skip-log-bin', '--innodb-buffer-pool-size=16M', "--log-error=$(Join-Path $folder 'error.log')") {
        $start.ArgumentList.Add($argument)
    }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while (-not (Test-Path -LiteralPath $socket)) {
        if ($process.HasExited -or $watch.Elapsed.TotalSeconds -gt 60) {
            $log = Get-Content -Raw -LiteralPath (Join-Path $folder 'error.log') -ErrorAction Ignore
            if (-not $process.HasExited) { $process.Kill($true) }
            Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore
            throw "mariadbd did not come up: $log"
        }
        Start-Sleep -Milliseconds 100
    }

    $server = [pscustomobject]@{
        PSTypeName = 'CommerceServices.Tests.MariaDb'
        Folder     = $folder
        Socket     = $socket
        Port       = $port
        User       = 'magento'
        Password   = $password
        Process    = $process
    }
    $server | Add-Member -MemberType ScriptMethod -Name Sql -Value {
        param([string] $Sql, [string] $Database)
        $arguments = @('--no-defaults', "--socket=$($this.Socket)", "--user=$($this.User)", "--password=$($this.Password)", '--batch', '--skip-column-names')
        if ($Database) { $arguments += $Database }
        # The SQL on stdin: statements of any length, none of them on a command line.
        Invoke-TestProgram (Get-MariaDbProgram 'mariadb') $arguments -InputText $Sql
    }
    $server | Add-Member -MemberType ScriptMethod -Name Stop -Value { Stop-TestMariaDb -Server $this }
    $server
}

function Stop-TestMariaDb {
    # Stops a server of Start-TestMariaDb (its process only, by its own handle) and deletes its folder.
    param([Parameter(Mandatory, ValueFromPipeline)] $Server)
    process {
        if (-not $Server) { return }
        try {
            if (-not $Server.Process.HasExited) {
                $Server.Process.Kill($true)
                $null = $Server.Process.WaitForExit(10000)
            }
        }
        finally {
            $Server.Process.Dispose()
            Remove-Item -LiteralPath $Server.Folder -Recurse -Force -ErrorAction Ignore
        }
    }
}

# The tables of Magento's SaaS data export (tests/Shared/ExportTables.cs, from their db_schema.xml),
# in the current layout (exporter 103.3.0 and later), and rows to seed them with. $Prefix is the
# table prefix. Every seeding statement writes timestamps in UTC, as Magento does.
$script:ExportUtc = "SET time_zone = '+00:00';"

function ConvertTo-SqlLiteral([AllowNull()] [string] $Value) {
    if ($null -eq $Value) { 'NULL' } else { "'" + $Value.Replace('\', '\\').Replace("'", "''") + "'" }
}

function Get-MagentoTablesSql([string] $Prefix) {
    # core_config_data, flag and queue_poison_pill (tests/Shared/MagentoDatabase.cs) and the base URL the installer stores.
    "CREATE TABLE ${Prefix}core_config_data (config_id int unsigned NOT NULL AUTO_INCREMENT, scope varchar(8) NOT NULL DEFAULT 'default', scope_id int NOT NULL DEFAULT 0," +
    " path varchar(255) NOT NULL DEFAULT 'general', value text, updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP," +
    " PRIMARY KEY (config_id), UNIQUE KEY CORE_CONFIG_DATA_SCOPE_SCOPE_ID_PATH (scope, scope_id, path)) ENGINE=InnoDB;" +
    "CREATE TABLE ${Prefix}flag (flag_id int unsigned NOT NULL AUTO_INCREMENT, flag_code varchar(255) NOT NULL, state smallint unsigned NOT NULL DEFAULT 0, flag_data mediumtext," +
    " last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (flag_id), KEY FLAG_LAST_UPDATE (last_update)) ENGINE=InnoDB;" +
    "CREATE TABLE ${Prefix}queue_poison_pill (version varchar(255) NOT NULL) ENGINE=InnoDB;" +
    "INSERT INTO ${Prefix}core_config_data (scope, scope_id, path, value) VALUES ('default', 0, 'web/secure/base_url', 'https://shop.test/');"
}

function Get-ExportStateTablesSql([string] $Prefix) {
    # indexer_state, mview_state (module-indexer) and cron_schedule (module-cron).
    "CREATE TABLE ${Prefix}indexer_state (state_id int unsigned NOT NULL AUTO_INCREMENT, indexer_id varchar(255) DEFAULT NULL," +
    " status varchar(16) DEFAULT 'invalid', updated datetime DEFAULT NULL, hash_config varchar(32) NOT NULL DEFAULT ''," +
    " PRIMARY KEY (state_id), KEY INDEXER_STATE_INDEXER_ID (indexer_id)) ENGINE=InnoDB;" +
    "CREATE TABLE ${Prefix}mview_state (state_id int unsigned NOT NULL AUTO_INCREMENT, view_id varchar(255) DEFAULT NULL," +
    " mode varchar(16) DEFAULT 'disabled', status varchar(16) DEFAULT 'idle', updated datetime DEFAULT NULL, version_id int unsigned DEFAULT NULL," +
    " PRIMARY KEY (state_id), UNIQUE KEY MVIEW_STATE_VIEW_ID (view_id), KEY MVIEW_STATE_MODE (mode)) ENGINE=InnoDB;" +
    "CREATE TABLE ${Prefix}cron_schedule (schedule_id int unsigned NOT NULL AUTO_INCREMENT, job_code varchar(255) NOT NULL DEFAULT '0'," +
    " status varchar(7) NOT NULL DEFAULT 'pending', messages text, created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP," +
    " scheduled_at timestamp NULL DEFAULT NULL, executed_at timestamp NULL DEFAULT NULL, finished_at timestamp NULL DEFAULT NULL," +
    " PRIMARY KEY (schedule_id), KEY CRON_SCHEDULE_JOB_CODE_STATUS_SCHEDULED_AT (job_code, status, scheduled_at), KEY CRON_SCHEDULE_SCHEDULED_AT_STATUS (scheduled_at, status)) ENGINE=InnoDB;"
}

function Get-ExportFeedTableSql([string] $Prefix, [string] $Table) {
    # A feed table of 103.3.0 and later (cde_*_feed).
    $key = $Table.ToUpperInvariant()
    "CREATE TABLE $Prefix$Table (id int unsigned NOT NULL AUTO_INCREMENT, source_entity_id int unsigned NOT NULL," +
    " feed_id varchar(64) NOT NULL, modified_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP," +
    " is_deleted tinyint NOT NULL DEFAULT 0, status smallint NOT NULL DEFAULT 0, feed_data mediumtext NOT NULL," +
    " feed_hash varchar(64) NOT NULL, errors text, metadata text," +
    " PRIMARY KEY (id), UNIQUE KEY ${key}_FEED_ID (feed_id), KEY ${key}_SOURCE_ENTITY_ID_MODIFIED_AT (source_entity_id, modified_at), KEY ${key}_STATUS (status)) ENGINE=InnoDB;"
}

function Get-ExportChangelogSql([string] $Prefix, [string] $ViewId) {
    # A view's changelog (Magento\Framework\Mview\View\Changelog): <view>_cl.
    "CREATE TABLE $Prefix${ViewId}_cl (version_id int unsigned NOT NULL AUTO_INCREMENT, entity_id int unsigned NOT NULL DEFAULT 0," +
    " PRIMARY KEY (version_id), KEY $($ViewId.ToUpperInvariant())_CL_ENTITY_ID (entity_id)) ENGINE=InnoDB;"
}

function Get-ExportFeedRowsSql {
    # $Count products (sku SKU-<n>, store view default) from entity $First on, with $Status, $Errors and
    # $Metadata, last written $MinutesAgo minutes ago: one statement, from MariaDB's sequence engine.
    param([string] $Prefix, [string] $Table, [int] $First, [int] $Count, [int] $Status, [string] $Errors, [string] $Metadata, [int] $MinutesAgo = 10, [switch] $Deleted)
    $last = $First + $Count - 1
    $ExportUtc + "INSERT INTO $Prefix$Table (source_entity_id, feed_id, modified_at, is_deleted, status, feed_data, feed_hash, errors, metadata)" +
    " SELECT seq, SHA1(CONCAT('SKU-', seq, '\0default')), UTC_TIMESTAMP() - INTERVAL $MinutesAgo MINUTE, $([int] [bool] $Deleted), $Status," +
    " CONCAT('{`"sku`":`"SKU-', seq, '`",`"storeViewCode`":`"default`"}'), 'hash', $(ConvertTo-SqlLiteral $Errors), $(ConvertTo-SqlLiteral $Metadata)" +
    " FROM seq_${First}_to_$last;"
}

function Get-ExportChangelogRowsSql([string] $Prefix, [string] $ViewId, [int] $First, [int] $Count) {
    # Changelog entries for entities $First.. (one version each).
    "INSERT INTO $Prefix${ViewId}_cl (entity_id) SELECT seq FROM seq_${First}_to_$($First + $Count - 1);"
}

function Get-ExportIndexerStateSql {
    # The indexer's and its view's state: mode 'enabled' is Update by Schedule; the view has processed its changelog up to $Version.
    param([string] $Prefix, [string] $IndexerId, [string] $ViewId, [string] $IndexerStatus = 'valid', [string] $ViewMode = 'enabled', [long] $Version = 0)
    $ExportUtc + "INSERT INTO ${Prefix}indexer_state (indexer_id, status, updated, hash_config) VALUES ($(ConvertTo-SqlLiteral $IndexerId), $(ConvertTo-SqlLiteral $IndexerStatus), UTC_TIMESTAMP(), '');" +
    "INSERT INTO ${Prefix}mview_state (view_id, mode, status, updated, version_id) VALUES ($(ConvertTo-SqlLiteral $ViewId), $(ConvertTo-SqlLiteral $ViewMode), 'idle', UTC_TIMESTAMP(), $Version);"
}

function Get-ExportCronRunSql([string] $Prefix, [string] $JobCode, [int] $MinutesAgo, [string] $Status = 'success') {
    # A cron_schedule row of $JobCode that finished $MinutesAgo minutes ago with $Status.
    $at = "UTC_TIMESTAMP() - INTERVAL $MinutesAgo MINUTE"
    $finished = if ($Status -in 'success', 'error') { $at } else { 'NULL' }
    $ExportUtc + "INSERT INTO ${Prefix}cron_schedule (job_code, status, created_at, scheduled_at, executed_at, finished_at) VALUES (" +
    "$(ConvertTo-SqlLiteral $JobCode), $(ConvertTo-SqlLiteral $Status), UTC_TIMESTAMP() - INTERVAL $($MinutesAgo + 1) MINUTE, $at, $at, $finished);"
}

# The catalog feeds an exporting test instance has: feed name, table (also its view id) and indexer.
$script:TestExportFeeds = @(
    @{ Feed = 'products'; Table = 'cde_products_feed'; Indexer = 'catalog_data_exporter_products' }
    @{ Feed = 'productAttributes'; Table = 'cde_product_attributes_feed'; Indexer = 'catalog_data_exporter_product_attributes' }
    @{ Feed = 'categories'; Table = 'cde_categories_feed'; Indexer = 'catalog_data_exporter_categories' }
    @{ Feed = 'prices'; Table = 'cde_product_prices_feed'; Indexer = 'catalog_data_exporter_product_prices' }
)

function New-TestExportInstance {
    <#
      Writes a sample Magento root folder, $TestDrive/<Name> (or <Directory>/<Name>), that exports
      its catalog to Commerce Services: Magento_DataExporter, Magento_SaaSCommon,
      Magento_CatalogDataExporter and Magento_ProductPriceDataExporter enabled in config.php
      (-NoExportModules: none of them), and
      env.php with a crypt key of its own and a database of its own on $Server, over its socket.
      The database holds Magento's core_config_data and flag, and the export's tables (tests/Shared/
      ExportTables.cs) of products, productAttributes, categories and prices, each indexer valid and on
      Update by Schedule, seeded healthy: 40 products, 5 attributes, 3 categories and 40 prices
      exported 10 minutes ago, indexer_update_all_views run a minute ago and the retry job 3 minutes
      ago. Seed a situation on top with the returned object's Sql(). -Emulator names its gateways in
      core_config_data. -BinMagento writes the fake bin/magento (Write-FakeBinMagento).

      Returns Root, Database, Prefix, CryptKey, the server and Sql(sql) (in the instance's database).
    #>
    param(
        [Parameter(Mandatory)] $Server,
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [string] $Prefix = 'mg_',
        [switch] $NoExportModules,
        [switch] $BinMagento,
        $Emulator,
        [string] $Directory = $TestDrive
    )

    $root = Join-Path $Directory $Name
    $database = 'magento_' + [guid]::NewGuid().ToString('n').Substring(0, 10)
    $null = $Server.Sql("CREATE DATABASE $database CHARACTER SET utf8mb4")
    $sql = [System.Text.StringBuilder]::new()
    $null = $sql.Append((Get-MagentoTablesSql $Prefix))
    if ($Emulator) {
        foreach ($gateway in @{ Path = 'production_gateway_url'; Uri = $Emulator.ProductionUri }, @{ Path = 'sandbox_gateway_url'; Uri = $Emulator.SandboxUri }) {
            $null = $sql.Append("INSERT INTO ${Prefix}core_config_data (scope, scope_id, path, value) VALUES ('default', 0, 'services_connector/$($gateway.Path)', $(ConvertTo-SqlLiteral ([string] $gateway.Uri)));")
        }
    }
    $modules = @('Magento_Store', 'Magento_ServicesConnector', 'Magento_ServicesId')
    if (-not $NoExportModules) {
        $modules += 'Magento_DataExporter', 'Magento_SaaSCommon', 'Magento_CatalogDataExporter', 'Magento_ProductPriceDataExporter'
        $null = $sql.Append((Get-ExportStateTablesSql $Prefix))
        foreach ($feed in $TestExportFeeds) {
            $null = $sql.Append((Get-ExportFeedTableSql $Prefix $feed.Table)).Append((Get-ExportChangelogSql $Prefix $feed.Table))
            $null = $sql.Append((Get-ExportIndexerStateSql -Prefix $Prefix -IndexerId $feed.Indexer -ViewId $feed.Table))
        }
        $null = $sql.Append((Get-ExportFeedRowsSql -Prefix $Prefix -Table 'cde_products_feed' -First 1 -Count 40 -Status 200))
        $null = $sql.Append((Get-ExportFeedRowsSql -Prefix $Prefix -Table 'cde_product_attributes_feed' -First 1 -Count 5 -Status 200))
        $null = $sql.Append((Get-ExportFeedRowsSql -Prefix $Prefix -Table 'cde_categories_feed' -First 1 -Count 3 -Status 200))
        $null = $sql.Append((Get-ExportFeedRowsSql -Prefix $Prefix -Table 'cde_product_prices_feed' -First 1 -Count 40 -Status 200))
        $null = $sql.Append((Get-ExportCronRunSql $Prefix 'indexer_update_all_views' 1)).Append((Get-ExportCronRunSql $Prefix 'products_feed_resend_failed_items' 3))
    }
    $null = $Server.Sql($sql.ToString(), $database)

    $cryptKey = [Convert]::ToBase64String([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32))
    $etc = New-Item -ItemType Directory -Path (Join-Path $root 'app/etc') -Force
    Set-Content -LiteralPath (Join-Path $etc 'config.php') -Value "<?php`nreturn ['modules' => [$(($modules | ForEach-Object { "'$_' => 1" }) -join ', ')]];"
    Set-Content -LiteralPath (Join-Path $etc 'env.php') -Value @"
<?php
return [
    'crypt' => ['key' => 'base64$cryptKey'],
    'db' => ['table_prefix' => '$Prefix', 'connection' => ['default' => ['host' => '$($Server.Socket)', 'dbname' => '$database', 'username' => '$($Server.User)', 'password' => '$($Server.Password)', 'active' => '1']]],
    'MAGE_MODE' => 'production',
    'install' => ['date' => 'Mon, 02 Sep 2024 10:11:12 +0000']
];
"@
    Set-Content -LiteralPath (Join-Path $root 'composer.lock') -Value '{"packages": [{"name": "magento/product-enterprise-edition", "version": "2.4.7-p3"}]}'
    if ($BinMagento) { $null = Write-FakeBinMagento -Root $root }

    $instance = [pscustomobject]@{
        Root     = $root
        Database = $database
        Prefix   = $Prefix
        CryptKey = $cryptKey
        Server   = $Server
    }
    $instance | Add-Member -MemberType ScriptMethod -Name Sql -Value { param([string] $Sql) $this.Server.Sql($Sql, $this.Database) }
    $instance
}

# What the fake bin/magento writes (tests/Shared/FakeBinMagento.cs): its first line, a progress line
# per step as saas:resync writes them, a notice on stderr, and its last line.
$script:FakeBinMagentoLines = @{
    First    = 'Executing resync'
    Progress = @('Progress 1/3, processed 100, synced 100', 'Progress 2/3, processed 200, synced 200', 'Progress 3/3, processed 300, synced 300')
    Error    = 'Notice: written to stderr'
    Last     = 'Resync finished'
}

function Write-FakeBinMagento {
    <#
      Writes bin/magento into the instance $Root: a PHP script that records each call (its arguments and
      working folder) in var/fake-bin-magento/calls.jsonl, writes the lines of $FakeBinMagentoLines
      (flushing each), and exits with the code in var/fake-bin-magento/exit-code (-ExitCode), else 0.
      Returns its path.
    #>
    param([Parameter(Mandatory)] [string] $Root, [int] $ExitCode)
    $lines = @($FakeBinMagentoLines.First) + $FakeBinMagentoLines.Progress | ForEach-Object { "say('$_');" }
    $script = @"
#!/usr/bin/env php
<?php
`$state = __DIR__ . '/../var/fake-bin-magento';
@mkdir(`$state, 0777, true);
file_put_contents(`$state . '/calls.jsonl', json_encode(['argv' => array_slice(`$argv, 1), 'cwd' => getcwd()]) . "\n", FILE_APPEND | LOCK_EX);
function say(`$line) { echo `$line, "\n"; flush(); }
$($lines -join "`n")
fwrite(STDERR, '$($FakeBinMagentoLines.Error)' . "\n");
fflush(STDERR);
say('$($FakeBinMagentoLines.Last)');
`$code = is_file(`$state . '/exit-code') ? trim(file_get_contents(`$state . '/exit-code')) : 0;
exit((int)`$code);
"@
    $bin = New-Item -ItemType Directory -Path (Join-Path $Root 'bin') -Force
    $null = New-Item -ItemType Directory -Path (Join-Path $Root 'var/fake-bin-magento') -Force
    $path = Join-Path $bin 'magento'
    [System.IO.File]::WriteAllText($path, $script.Replace("`r`n", "`n"))
    if ($PSBoundParameters.ContainsKey('ExitCode')) {
        Set-Content -LiteralPath (Join-Path $Root 'var/fake-bin-magento/exit-code') -Value $ExitCode
    }
    $path
}

function Get-FakeBinMagentoCall([string] $Root) {
    # The calls of the fake bin/magento so far, oldest first: each with Argv (without the script's name) and Cwd.
    $calls = Join-Path $Root 'var/fake-bin-magento/calls.jsonl'
    if (Test-Path -LiteralPath $calls) {
        Get-Content -LiteralPath $calls | Where-Object { $_ } | ForEach-Object {
            $record = $_ | ConvertFrom-Json
            [pscustomobject]@{ Argv = [string[]] @($record.argv); Cwd = $record.cwd }
        }
    }
}
