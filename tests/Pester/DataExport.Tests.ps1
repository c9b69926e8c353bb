#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# The SaaS data export as a sysadmin meets it in pwsh: Get-CommerceDataExportStatus, the data export
# checks of Test-CommerceConnection and Start-CommerceDataExportResync, against instances whose
# private MariaDB databases hold the export tables (Start-TestMariaDb, New-TestExportInstance) and
# whose bin/magento is a fake that records how it was called (Write-FakeBinMagento).
#
# The seeded situation of 'shop': products has two items the service rejected (SKU-101, SKU-102,
# each with its error and request id) beside 40 accepted ones; productAttributes (5) and prices (40)
# are synced; categories (3) has 1,500 changes waiting in its changelog. Cron and the indexers run.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module -Name $EmulatorManifest -Force -ErrorAction Stop

    $script:Db = Start-TestMariaDb
    $script:Emulator = Start-CommerceServicesEmulator
    $keys = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-EXPORT' -Edition AdobeCommerce -Environment Production, Sandbox -Directory (Join-Path $TestDrive 'keys')

    # A connected instance (keys, project and data space, chosen two hours before its items went out),
    # so that only the data export can fail in its report.
    function New-ConnectedExportInstance([string] $Name, [string] $DataSpaceName) {
        $shop = New-TestExportInstance -Server $Db $Name -Emulator $Emulator -BinMagento
        $instance = Connect-CommerceInstance -Path $shop.Root -ConfigStore Database -PassThru
        Initialize-DemoInstance -Instance $instance -Keys $keys -DataSpaceName $DataSpaceName
        $null = $shop.Sql($ExportUtc + "UPDATE $($shop.Prefix)core_config_data SET updated_at = UTC_TIMESTAMP() - INTERVAL 2 HOUR WHERE path = 'services_connector/services_id/environment_id'")
        $shop | Add-Member -NotePropertyName Instance -NotePropertyValue $instance -PassThru
    }

    $script:Shop = New-ConnectedExportInstance 'shop' 'Testing 1'
    $null = $Shop.Sql(
        (Get-ExportFeedRowsSql -Prefix $Shop.Prefix -Table 'cde_products_feed' -First 101 -Count 1 -Status 400 -Errors '/0/name: must not be empty' -Metadata '["req-0101-name"]') +
        (Get-ExportFeedRowsSql -Prefix $Shop.Prefix -Table 'cde_products_feed' -First 102 -Count 1 -Status 400 -Errors '/0/price: must be a number' -Metadata '["req-0102-price"]') +
        (Get-ExportChangelogRowsSql $Shop.Prefix 'cde_categories_feed' 1 1500))
    $script:Healthy = New-ConnectedExportInstance 'healthy' 'Testing 2'

    # An instance without any export module, and one that exports but has no bin/magento here.
    $bare = New-TestExportInstance -Server $Db 'bare' -NoExportModules
    $script:Bare = $bare | Add-Member -NotePropertyName Instance -NotePropertyValue (Connect-CommerceInstance -Path $bare.Root -PassThru) -PassThru
    $noBin = New-TestExportInstance -Server $Db 'no-bin'
    $script:NoBin = $noBin | Add-Member -NotePropertyName Instance -NotePropertyValue (Connect-CommerceInstance -Path $noBin.Root -PassThru) -PassThru

    # The shop is the session's current instance, as after 'Connect-CommerceInstance <shop>' (which
    # closes the connection made while provisioning it).
    $Shop.Instance = Connect-CommerceInstance -Path $Shop.Root -PassThru

    function Clear-FakeBinMagentoCall([string] $Root) {
        # Provisioning ran bin/magento too (cache:clean config): each test reads only its own calls.
        Remove-Item -LiteralPath (Join-Path $Root 'var/fake-bin-magento/calls.jsonl') -ErrorAction Ignore
    }

    function Get-Check($Report, [string] $Name) {
        $Report.Checks | Where-Object Name -eq $Name
    }
}

AfterAll {
    Disconnect-CommerceInstance -All
    if ($Emulator) { Stop-CommerceServicesEmulator -Emulator $Emulator }
    if ($Db) { Stop-TestMariaDb -Server $Db }
}

Describe 'Get-CommerceDataExportStatus' {
    BeforeAll {
        $script:Statuses = @(Get-CommerceDataExportStatus -Instance $Shop.Instance)
    }

    It 'reports the four catalog feeds of the enabled modules, in the Admin''s order, each judged by its rows' {
        $Statuses.Feed | Should -Be @('products', 'productAttributes', 'categories', 'prices')
        $Statuses.State | ForEach-Object ToString | Should -Be @('Failing', 'Synced', 'Behind', 'Synced')
        $Statuses | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'CommerceServices.DataExport.DataExportFeedStatus' }
        $Statuses.Instance.Path | Sort-Object -Unique | Should -Be $Shop.Root
    }

    It 'counts the failing feed''s rows: 40 exported, 2 rejected, none retrying or pending, per status code' {
        $products = $Statuses[0]
        $products.Total | Should -Be 42
        $products.Exported | Should -Be 40
        $products.Rejected | Should -Be 2
        $products.Retrying | Should -Be 0
        $products.Pending | Should -Be 0
        $products.Table | Should -Be 'mg_cde_products_feed'
        $products.IndexerMode | Should -Be 'UpdateBySchedule'
        $products.IndexerStatus | Should -Be 'Ready'
        @($products.StatusCounts | ForEach-Object { "$($_.Code)=$($_.Count)" }) | Should -Be @('200=40', '400=2')
        $products.Message | Should -Match '^2 rejected by the service \(not sent again until the item changes\) of 42 items\.'
        $products.Message | Should -Match 'Start-CommerceDataExportResync -Feed products -ById <ids>'
    }

    It 'names each rejected item with its error text and the request id of the call that sent it' {
        $errors = @($Statuses[0].FirstErrors | Sort-Object EntityId)
        $errors | Should -HaveCount 2
        $errors.EntityId | Should -Be @('101', '102')
        $errors | ForEach-Object Item | Should -Be @('sku=SKU-101, storeViewCode=default', 'sku=SKU-102, storeViewCode=default')
        $errors.Status | Should -Be @(400, 400)
        $errors.Error | Should -Be @('/0/name: must not be empty', '/0/price: must be a number')
        $errors.RequestId | Should -Be @('req-0101-name', 'req-0102-price')
        $errors.Feed | Sort-Object -Unique | Should -Be 'products'
    }

    It 'reports the changelog backlog of categories as Behind, and the synced feeds with their counts' {
        $Statuses[2].Pending | Should -Be 1500
        $Statuses[2].Exported | Should -Be 3
        $Statuses[2].Message | Should -Match '^1500 items wait to be exported \(in the changelog'
        $Statuses[1].Exported | Should -Be 5
        $Statuses[3].Exported | Should -Be 40
        $Statuses[1].FirstErrors + $Statuses[3].FirstErrors | Should -BeNullOrEmpty
    }

    It 'shows the Admin''s Data Feed Sync Status as a table on an 80-column terminal, grouped by instance' {
        $lastExported = ($Shop.Sql($ExportUtc + "SELECT DATE_FORMAT(MAX(modified_at), '%Y-%m-%d %H:%iZ') FROM mg_cde_products_feed WHERE status = 200")).Trim()
        $text = Get-CommerceDataExportStatus -Instance $Shop.Instance | Out-String -Width 79
        $lines = @($text -split '\r?\n' | ForEach-Object TrimEnd)
        $lines | Where-Object Length -ge 80 | Should -BeNullOrEmpty
        $lines | Should -Contain "   Instance: $($Shop.Root)"
        $rows = ($lines | Where-Object { $_ }) -join "`n"
        $at = [regex]::Escape($lastExported)
        $rows | Should -Match "(?m)^Feed +State +Exported +Failed +Pending +LastExported\n-+ +-+ +-+ +-+ +-+ +-+\nproducts +Failing +40 +2 +0 $at\nproductAttributes +Synced +5 +0 +0 \S+ \S+\ncategories +Behind +3 +0 +1500 \S+ \S+\nprices +Synced +40 +0 +0 \S+ \S+$"
    }

    It 'takes -Feed in any case and with wildcards, a wildcard matching only feeds the instance exports' {
        (Get-CommerceDataExportStatus -Instance $Shop.Instance -Feed 'PRODUCTATTRIBUTES').Feed | Should -Be 'productAttributes'
        (Get-CommerceDataExportStatus -Instance $Shop.Instance -Feed 'PR*').Feed | Should -Be @('products', 'productAttributes', 'prices')
        (Get-CommerceDataExportStatus -Instance $Shop.Instance -Feed '*ies').Feed | Should -Be 'categories'
        $orders = Get-CommerceDataExportStatus -Instance $Shop.Instance -Feed 'Orders'
        $orders.Feed | Should -Be 'orders'
        $orders.State | Should -Be 'NotInstalled'
    }

    It 'stops at an unknown feed name (DataExportFeedUnknown), even with -ErrorAction SilentlyContinue, and lists the feeds' {
        { Get-CommerceDataExportStatus -Instance $Shop.Instance -Feed products, product -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'DataExportFeedUnknown,*' -ExpectedMessage '*productAttributes*'
    }

    It 'says plainly that an instance without export modules exports nothing: one NotInstalled row, "(no export modules)"' {
        $status = @(Get-CommerceDataExportStatus -Instance $Bare.Instance)
        $status | Should -HaveCount 1
        $status[0].Feed | Should -BeExactly ''
        $status[0].State | Should -Be 'NotInstalled'
        $status[0].Message | Should -Match '^No SaaS data export module is enabled'
        $text = $status | Out-String -Width 79
        $text | Should -Match "(?m)^   Instance: $([regex]::Escape($Bare.Root)) *$"
        $text | Should -Match '(?m)^\(no export modules\) +NotInstalled +0 +0 +0 *$'
    }
}

Describe 'Test-CommerceConnection -Offline: the data export checks' {
    BeforeAll {
        $script:Report = Test-CommerceConnection -Instance $Shop.Instance -Offline
        $script:HealthyReport = Test-CommerceConnection -Instance $Healthy.Instance -Offline
    }

    It 'judges the seeded situation by five checks of the DataExport area' {
        $checks = @($Report.Checks | Where-Object { "$($_.Area)" -eq 'DataExport' })
        $checks.Name | Should -Be @('DataExportCron', 'DataExportIndexers', 'DataExportFailedItems', 'DataExportBacklog', 'DataExportDataSpace')
        $checks.Status | ForEach-Object ToString | Should -Be @('Pass', 'Pass', 'Fail', 'Warning', 'Pass')
    }

    It 'names the rejected items and the backlog in the messages' {
        (Get-Check $Report 'DataExportCron').Message | Should -Match '^indexer_update_all_views last succeeded \d+ seconds ago'
        (Get-Check $Report 'DataExportFailedItems').Message | Should -Match 'products: 2 rejected, 0 to be retried'
        (Get-Check $Report 'DataExportFailedItems').Message | Should -Match 'sku=SKU-10[12], storeViewCode=default \(400\): /0/(name|price): must'
        (Get-Check $Report 'DataExportBacklog').Message | Should -Match 'categories 1,500'
    }

    It 'says data is not flowing while items failed, and the connection itself is judged apart' {
        $Report.IsDataFlowing | Should -BeFalse
        $Report.Failed | Should -Be @('DataExportFailedItems')
        $Report.IsConnected | Should -BeTrue
        $Report.Checks | Where-Object { "$($_.Area)" -eq 'Connection' -and "$($_.Status)" -eq 'Fail' } | Should -BeNullOrEmpty
    }

    It 'says data flows for the same setup without failed items or backlog' {
        (Get-Check $HealthyReport 'DataExportFailedItems').Status | Should -Be 'Pass'
        (Get-Check $HealthyReport 'DataExportBacklog').Status | Should -Be 'Pass'
        $HealthyReport.IsDataFlowing | Should -BeTrue
        $HealthyReport.IsConnected | Should -BeTrue
    }
}

Describe 'Start-CommerceDataExportResync' {
    BeforeEach {
        Clear-FakeBinMagentoCall $Shop.Root
    }

    It 'resyncs the failing feed piped from Get-CommerceDataExportStatus: bin/magento saas:resync --feed=products, in the instance''s root' {
        $results = @(Get-CommerceDataExportStatus | Where-Object State -eq 'Failing' | Start-CommerceDataExportResync -Confirm:$false)
        $calls = @(Get-FakeBinMagentoCall $Shop.Root)
        $calls | Should -HaveCount 1
        $calls[0].Argv | Should -Be @('saas:resync', '--feed=products')
        $calls[0].Cwd | Should -Be $Shop.Root
        $results | Should -HaveCount 1
        $results[0].PSObject.TypeNames[0] | Should -Be 'CommerceServices.DataExport.DataExportResyncResult'
        $results[0].Feed | Should -Be 'products'
        $results[0].Command | Should -Be 'bin/magento saas:resync --feed=products'
        $results[0].ExitCode | Should -Be 0
        $results[0].Succeeded | Should -BeTrue
        $results[0].Instance.Path | Should -Be $Shop.Root
        $results[0].Output | Should -Contain $FakeBinMagentoLines.Last
    }

    It 'passes -ById as --by-ids' {
        $null = Start-CommerceDataExportResync -Instance $Shop.Instance -Feed products -ById SKU-101, SKU-102 -Confirm:$false
        @(Get-FakeBinMagentoCall $Shop.Root).ForEach({ $_.Argv -join ' ' }) | Should -Be @('saas:resync --feed=products --by-ids=SKU-101,SKU-102')
    }

    It 'runs nothing with -WhatIf, and the What if line names the command and the instance' {
        # What if lines go to the host, not to a stream: a child pwsh, as a user runs it, shows them on stdout.
        $command = "Import-Module '$ModuleManifest'; Connect-CommerceInstance -Path '$($Shop.Root)'; " +
        "Get-CommerceDataExportStatus | Where-Object State -eq 'Failing' | Start-CommerceDataExportResync -WhatIf; 'done'"
        $run = Invoke-Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $command
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Errors | Should -BeNullOrEmpty
        $lines = @($run.Output -split '\r?\n' | Where-Object { $_ })
        $lines | Should -Be @(
            "What if: Performing the operation `"Run 'bin/magento saas:resync --feed=products'`" on target `"$($Shop.Root)`"."
            'done')
        Get-FakeBinMagentoCall $Shop.Root | Should -BeNullOrEmpty
    }

    It 'says where it cannot run (no bin/magento): DataExportResyncNotRunnableHere, the command to run on the host as the recommended action' {
        $output = Start-CommerceDataExportResync -Instance $NoBin.Instance -Feed products -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'DataExportResyncNotRunnableHere,*'
        $failures[0].ErrorDetails.RecommendedAction | Should -BeExactly "cd '$($NoBin.Root)' && bin/magento saas:resync --feed=products"
        $failures[0].Exception.Message | Should -Match "there is no bin/magento in $([regex]::Escape($NoBin.Root))"
    }

    It 'writes each line of bin/magento to the verbose stream, the progress lines in order, then the result' {
        $records = @(Start-CommerceDataExportResync -Instance $Shop.Instance -Feed products -Confirm:$false -Verbose 4>&1)
        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $verbose | Should -Contain "Running 'bin/magento saas:resync --feed=products' in $($Shop.Root)."
        @($verbose | Where-Object { $_ -like 'Progress *' }) | Should -Be $FakeBinMagentoLines.Progress
        $verbose | Should -Contain $FakeBinMagentoLines.First
        $verbose | Should -Contain $FakeBinMagentoLines.Last
        $verbose | Should -Contain $FakeBinMagentoLines.Error
        $records[-1].PSObject.TypeNames[0] | Should -Be 'CommerceServices.DataExport.DataExportResyncResult'
        @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -HaveCount 1
    }
}

Describe 'Secrets' {
    It 'shows neither the database password nor a crypt key of env.php in any stream or view of these cmdlets' {
        $secrets = @($Db.Password) + @($Shop, $Bare, $NoBin | ForEach-Object CryptKey)
        foreach ($instance in $Shop, $Bare, $NoBin) {
            $envPhp = Get-EnvPhp $instance.Root
            $envPhp | Should -Match ([regex]::Escape($Db.Password)) -Because 'the secrets looked for are the ones env.php holds'
            $envPhp | Should -Match ([regex]::Escape($instance.CryptKey))
        }

        Clear-FakeBinMagentoCall $Shop.Root
        $records = @(
            Get-CommerceDataExportStatus -Instance $Shop.Instance, $Bare.Instance -Verbose -Debug *>&1
            try { Get-CommerceDataExportStatus -Instance $Shop.Instance -Feed nosuchfeed *>&1 } catch { $_ }
            Test-CommerceConnection -Instance $Shop.Instance, $Bare.Instance, $NoBin.Instance -Offline -Verbose -Debug *>&1
            Start-CommerceDataExportResync -Instance $Shop.Instance, $NoBin.Instance -Feed products -ById SKU-101 -Confirm:$false -Verbose -Debug *>&1
        )
        $records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Should -Not -BeNullOrEmpty -Because 'the errors are among what is searched'
        $objects = @($records | Where-Object { $_ -isnot [System.Management.Automation.InformationalRecord] -and $_ -isnot [System.Management.Automation.ErrorRecord] })
        $text = @(
            $records | ForEach-Object { "$_" }
            $records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $_.Exception.ToString(); $_.ErrorDetails.RecommendedAction; $_ | Out-String -Width 200 }
            $objects | Out-String -Width 79
            $objects | Format-List -Property * | Out-String -Width 200
            $objects | ForEach-Object { $_.FirstErrors; $_.StatusCounts; $_.Checks } | Format-List -Property * | Out-String -Width 200
            $objects | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue
        ) -join "`n"
        $text | Should -Match ([regex]::Escape($Shop.Root)) -Because 'the text searched is what the cmdlets wrote'
        $text | Should -Match 'Failing'
        $text | Should -Match 'Progress 3/3'
        foreach ($secret in $secrets) {
            $text | Should -Not -Match ([regex]::Escape($secret))
        }
    }
}
