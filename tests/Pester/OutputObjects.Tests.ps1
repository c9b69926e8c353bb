#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# What pwsh users do with the objects the modules write: look at them in a table or a list on an
# 80-column terminal or a wide one, save them with Export-Clixml and read them back (or receive them
# from a job or a remote session), and convert them to JSON for another tool. One sample of every
# type that has a view, taken from real cmdlet runs against the gateway emulator, and for the data
# export, against instances whose private MariaDB database holds the export tables.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module -Name $EmulatorManifest -Force -ErrorAction Stop
    # Every type the modules' format files give a view.
    $viewTypes = Get-FormatData -TypeName 'CommerceServices.*' | ForEach-Object { $_.TypeNames } | Sort-Object -Unique
    $cases = foreach ($type in $viewTypes) {
        foreach ($width in 80, 200) {
            @{ Type = $type; Width = $width; Short = $type.Split('.')[-1] }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module -Name $EmulatorManifest -Force -ErrorAction Stop

    $script:Emulator = Start-CommerceServicesEmulator
    $keyFolder = Join-Path $TestDrive 'keys'
    $script:Keys = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-VIEWS' -Edition AdobeCommerce -Environment Production, Sandbox -Directory $keyFolder

    # A connected instance, and an installed one whose database is out of reach (and whose env.php
    # holds a database password) that is not connected at all.
    $connected = New-TestInstance 'connected-shop' -Emulator $Emulator -ConfigStore EnvPhp -Role Staging
    Initialize-DemoInstance -Instance $connected -Keys $Keys -DataSpaceName 'Testing 1'
    $brokenRoot = New-TestInstance 'not-connected-shop' -Emulator $Emulator -DbHost '127.0.0.1:9'
    $envPhp = Join-Path $brokenRoot 'app/etc/env.php'
    $script:DatabasePassword = 'Db-Pa55word-' + [guid]::NewGuid().ToString('n')
    Set-Content -LiteralPath $envPhp -Value ((Get-Content -Raw -LiteralPath $envPhp) -replace "'password' => 'demo'", "'password' => '$DatabasePassword'") -NoNewline
    $notConnected = Connect-CommerceInstance -Path $brokenRoot -Role Production -PassThru

    $pastedBadly = New-TestSecureString (([System.IO.File]::ReadAllText($Keys[0].PrivateKeyPath)) -replace "`n", ' ')
    $tooShort = [System.Security.Cryptography.RSA]::Create(1024)
    $tooShortPath = Join-Path $TestDrive 'short.pem'
    [System.IO.File]::WriteAllText($tooShortPath, $tooShort.ExportPkcs8PrivateKeyPem())

    $testResults = @(
        $Keys | Test-CommerceApiKey -Online
        Test-CommerceApiKey -ApiKey $Keys[0].ApiKey -PrivateKey $pastedBadly
        Test-CommerceApiKey -ApiKey 'not a key' -PrivateKeyPath $tooShortPath -Environment Sandbox
    )
    $reports = Test-CommerceConnection -Instance $connected, $notConnected
    $backups = Get-CommerceServicesConfigBackup -Instance $connected

    # An instance exporting its catalog (Common.ps1: New-TestExportInstance) whose products feed has
    # items the service rejected (one with a long error) and one waiting to be retried, whose
    # categories have a backlog, and whose bin/magento is the recording fake; and one exporting nothing.
    $script:Db = Start-TestMariaDb
    $exporting = New-TestExportInstance -Server $Db 'exporting-shop' -BinMagento
    $longError = '/0/attributes/3/values: array must contain at most 20 items; the value of attribute "color" is not one of the options defined for the store view default, so the product is refused until it is fixed'
    $null = $exporting.Sql(
        (Get-ExportFeedRowsSql -Prefix $exporting.Prefix -Table 'cde_products_feed' -First 101 -Count 1 -Status 400 -Errors $longError -Metadata '["6f1c2b7e-9a41-4c1e-b0d5-3e8a1f2c4d90"]') +
        (Get-ExportFeedRowsSql -Prefix $exporting.Prefix -Table 'cde_products_feed' -First 102 -Count 1 -Status 400 -Errors '/0/name: must not be empty') +
        (Get-ExportFeedRowsSql -Prefix $exporting.Prefix -Table 'cde_products_feed' -First 103 -Count 1 -Status 2 -Errors 'Service Unavailable') +
        (Get-ExportChangelogRowsSql $exporting.Prefix 'cde_categories_feed' 1 1500))
    $notExporting = New-TestExportInstance -Server $Db 'not-exporting-shop' -NoExportModules
    $exportInstances = Connect-CommerceInstance -Path $exporting.Root -PassThru -WarningAction SilentlyContinue
    $exportInstances = @($exportInstances) + @(Connect-CommerceInstance -Path $notExporting.Root -PassThru -WarningAction SilentlyContinue)
    $feedStatuses = Get-CommerceDataExportStatus -Instance $exportInstances
    $resyncs = @(
        $feedStatuses | Where-Object State -eq 'Failing' | Start-CommerceDataExportResync -Confirm:$false -ProgressAction SilentlyContinue
        Start-CommerceDataExportResync -Instance $exportInstances[0] -Feed prices -DryRun -NoReindex -ThreadCount 12 -BatchSize 1000 -ById 'SKU-101', 'SKU-102', 'SKU-103' -Confirm:$false -ProgressAction SilentlyContinue
    )
    # Desired states: one met, one that differs, and one that cannot be applied (the instance is declared Production).
    $stateReports = @(
        Test-CommerceServicesState -Instance $connected -State @{ Role = 'Staging'; DataSpace = 'Testing 1' }
        Test-CommerceServicesState -Instance $connected -State @{ Role = 'Staging'; GatewayEnvironment = 'Sandbox'; ImsOrganizationId = '0123456789ABCDEF01234567@AdobeOrg'; DataSpace = 'Testing 2' }
    )
    $stateResults = @(
        Set-CommerceServicesState -Instance $connected -State @{ Role = 'Staging'; DataSpace = 'Testing 1' } -PassThru
        Set-CommerceServicesState -Instance $connected -State @{ Role = 'Staging'; ImsOrganizationId = '0123456789ABCDEF01234567@AdobeOrg'; DataSpace = 'Testing 2' } -PassThru -WhatIf
        Set-CommerceServicesState -Instance $notConnected -State @{ Role = 'Staging' } -PassThru -ErrorAction SilentlyContinue
    )
    $script:Samples = @{
        'CommerceServices.Keys.ApiKeyTestResult'               = $testResults
        'CommerceServices.Keys.ApiKeyProblem'                  = $testResults.Details
        'CommerceServices.Keys.ApiKeyPair'                     = $Keys | Import-CommerceApiKey
        'CommerceServices.Saas.SaasProject'                    = Get-SaasProject -Instance $connected
        'CommerceServices.Saas.SaasDataSpace'                  = Get-SaasDataSpace -Instance $connected
        'CommerceServices.Instances.CommerceInstance'          = $connected, $notConnected
        'CommerceServices.Instances.ConnectorSetting'          = @(Get-CommerceServicesConfig -Instance $connected) + @(Get-CommerceServicesConfig -Instance $notConnected -SkipDatabase)
        'CommerceServices.Instances.StoredApiKey'              = @(Get-CommerceApiKey -Instance $connected) + @(Get-CommerceApiKey -Instance $notConnected -SkipDatabase)
        'CommerceServices.Diagnostics.CommerceConnectionReport' = $reports
        'CommerceServices.Diagnostics.ConnectionCheck'         = $reports.Checks
        'CommerceServices.Stores.Backups.ConfigBackupInfo'     = $backups
        'CommerceServices.Stores.Backups.ConfigBackupSetting'  = $backups.Settings
        'CommerceServices.Emulator.GatewayEmulator'            = $Emulator
        'CommerceServices.Emulator.EmulatorKeyFile'            = $Keys
        'CommerceServices.DataExport.DataExportFeedStatus'     = $feedStatuses
        'CommerceServices.DataExport.FeedItemError'            = $feedStatuses.FirstErrors
        'CommerceServices.DataExport.FeedStatusCount'          = $feedStatuses.StatusCounts
        'CommerceServices.DataExport.DataExportResyncResult'   = $resyncs
        'CommerceServices.State.CommerceServicesStateReport'     = $stateReports
        'CommerceServices.State.CommerceServicesStateResult'     = $stateResults
        'CommerceServices.State.CommerceServicesStateDifference' = $stateReports.Differences
        'CommerceServices.Cloud.CloudConfigVariable'           = Export-CommerceServicesConfig -Instance $connected -Format CloudVariables -CloudProjectId 'abcdef123456' -CloudEnvironment 'staging'
    }

    # What must never leave the instance or the key files: private keys (whole or any 24-character
    # run of their base64), the instance's crypt key and its database password; and, but for the
    # emulator's API Portal, whose job is to show them, the API keys.
    $script:ApiKeys = $Keys.ApiKey
    $script:Secrets = @(
        foreach ($key in $Keys) {
            $body = ([System.IO.File]::ReadAllText($key.PrivateKeyPath) -replace '-----[A-Z ]+-----' -replace '\s')
            for ($i = 0; $i + 24 -le $body.Length; $i += 24) { $body.Substring($i, 24) }
        }
        foreach ($root in $connected.Path, $brokenRoot, $exporting.Root, $notExporting.Root) {
            [regex]::Match((Get-Content -Raw -LiteralPath (Join-Path $root 'app/etc/env.php')), "'key' => 'base64([^']+)'").Groups[1].Value
        }
        $DatabasePassword
        $Db.Password
    )

    function Get-ForbiddenText([string] $TypeName) {
        $Secrets
        if ($TypeName -notlike 'CommerceServices.Emulator.*') { $ApiKeys }
    }

    function Get-TableLabels([string] $TypeName) {
        $view = (Get-FormatData -TypeName $TypeName).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] } | Select-Object -First 1
        $view.Control.Headers.Label
    }

    # What a terminal of $Width columns shows: pwsh lays tables and lists out in one column less.
    function Format-Sample([string] $TypeName, [string] $As, [int] $Width, [object[]] $Objects = $Samples[$TypeName]) {
        $formatted = if ($As -eq 'Table') { $Objects | Format-Table -DisplayError } else { $Objects | Format-List -DisplayError }
        $formatted | Out-String -Width ($Width - 1)
    }

    function ConvertTo-Deserialized([object[]] $Objects) {
        $path = Join-Path $TestDrive ([guid]::NewGuid().ToString('n') + '.xml')
        $Objects | Export-Clixml -LiteralPath $path
        Import-Clixml -LiteralPath $path
    }
}

AfterAll {
    Disconnect-CommerceInstance -All
    Stop-CommerceServicesEmulator -Emulator $Emulator
    if ($Db) { Stop-TestMariaDb -Server $Db }
}

Describe 'Formatting' {
    It 'has a sample of every type with a view, and a view for every output type' {
        $withViews = Get-FormatData -TypeName 'CommerceServices.*' | ForEach-Object { $_.TypeNames } | Sort-Object -Unique
        $Samples.Keys | Sort-Object | Should -Be $withViews
        $outputTypes = Get-Command -Module CommerceServices, CommerceServices.Emulator | ForEach-Object { $_.OutputType.Name } |
            Where-Object { $_ -notlike 'System.*' } | Sort-Object -Unique
        $outputTypes | Should -Not -BeNullOrEmpty
        foreach ($type in $outputTypes) { $withViews | Should -Contain $type }
        foreach ($type in $withViews) { $Samples[$type] | Should -Not -BeNullOrEmpty -Because "$type needs a sample" }
    }

    It 'shows every column of the <Short> table on a <Width>-column terminal, nothing wider' -ForEach $cases {
        $text = Format-Sample $Type Table $Width
        $text | Should -Not -Match '#ERR'
        $lines = $text -split '\r?\n' | ForEach-Object TrimEnd
        $lines | Where-Object Length -ge $Width | Should -BeNullOrEmpty
        $labels = @(Get-TableLabels $Type)
        $header = $lines | Where-Object { $_ -match ('^' + [regex]::Escape($labels[0]) + '\b') } | Select-Object -First 1
        $header | Should -Not -BeNullOrEmpty -Because "the table of $Type starts with the column $($labels[0])"
        $header -split '\s+' | Should -Be $labels
    }

    It 'cuts no value of the <Short> table on a <Width>-column terminal (long values wrap)' -ForEach $cases {
        Format-Sample $Type Table $Width | Should -Not -Match '…'
    }

    It 'lists <Short> on a <Width>-column terminal, nothing wider' -ForEach $cases {
        $text = Format-Sample $Type List $Width
        $text | Should -Not -Match '#ERR'
        $text | Should -Match '\w+\s*: '
        $text -split '\r?\n' | ForEach-Object TrimEnd | Where-Object Length -ge $Width | Should -BeNullOrEmpty
    }
}

Describe 'Saved and received objects' {
    It 'shows <Short> objects read back by Import-Clixml as it showed the originals, on a <Width>-column terminal' -ForEach $cases {
        $back = ConvertTo-Deserialized $Samples[$Type]
        @($back)[0].PSObject.TypeNames[0] | Should -Be "Deserialized.$Type"
        Format-Sample $Type Table $Width -Objects $back | Should -BeExactly (Format-Sample $Type Table $Width)
        Format-Sample $Type List $Width -Objects $back | Should -BeExactly (Format-Sample $Type List $Width)
    }

    It 'saves no secret and no live handle of <Short> objects' -ForEach ($cases | Where-Object Width -eq 80) {
        $path = Join-Path $TestDrive "$Short.xml"
        $Samples[$Type] | Export-Clixml -LiteralPath $path -Depth 10
        $xml = Get-Content -Raw -LiteralPath $path
        foreach ($secret in (Get-ForbiddenText $Type)) { $xml | Should -Not -Match ([regex]::Escape($secret)) }
        # Only the modules' own data types and plain values: no client, stream, key, task or runspace.
        $typeNames = [regex]::Matches($xml, '<T>([^<]+)</T>') | ForEach-Object { [System.Net.WebUtility]::HtmlDecode($_.Groups[1].Value) } | Sort-Object -Unique
        $typeNames | Should -Not -BeNullOrEmpty
        $typeNames | Where-Object { $_ -notmatch '^(CommerceServices\.[\w.]+(\[\])?|System\.(Object|Enum|ValueType|Array|String\[\]|DateTime|DateTimeOffset|TimeSpan|DayOfWeek|Uri)|System\.Collections\.Generic\.List`1\[\[CommerceServices\.[\w.]+, CommerceServices[\w.]*, .*\]\])$' } |
            Should -BeNullOrEmpty
    }

    It 'converts <Short> objects to JSON without a secret or an error' -ForEach ($cases | Where-Object Width -eq 80) {
        $json = $Samples[$Type] | ConvertTo-Json -Depth 10 -WarningVariable warnings -ErrorAction Stop
        $warnings | Should -BeNullOrEmpty
        $json | ConvertFrom-Json | Should -Not -BeNullOrEmpty
        foreach ($secret in (Get-ForbiddenText $Type)) { $json | Should -Not -Match ([regex]::Escape($secret)) }
    }
}
