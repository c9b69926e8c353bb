#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# An Adobe Commerce on Cloud project as a sysadmin meets it in pwsh: its connector settings exported
# as the Cloud variables and .env file Magento reads (Export-CommerceServicesConfig), and the Cloud
# checks of Test-CommerceConnection. The project is a connected instance (both key pairs, a data space
# of the gateway emulator) whose root holds .magento.app.yaml, its settings in a private MariaDB.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module -Name $EmulatorManifest -Force -ErrorAction Stop

    $script:Db = Start-TestMariaDb
    $script:Emulator = Start-CommerceServicesEmulator
    $script:Keys = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-CLOUD' -Edition AdobeCommerce -Environment Production, Sandbox -Directory (Join-Path $TestDrive 'keys')
    $script:Shop = New-TestExportInstance -Server $Db 'cloud-project' -Emulator $Emulator -NoExportModules
    Set-Content -LiteralPath (Join-Path $Shop.Root '.magento.app.yaml') -Value "name: mymagento`ntype: php:8.3"
    $script:Instance = Connect-CommerceInstance -Path $Shop.Root -PassThru
    # Away from the Cloud application the project id is not known: choosing the data space warns of it.
    Initialize-DemoInstance -Instance $Instance -Keys $Keys -DataSpaceName 'Testing 1' -WarningAction SilentlyContinue 3>$null

    $script:ProductionPem = [System.IO.File]::ReadAllText(($Keys | Where-Object Environment -eq 'Production').PrivateKeyPath)
    $script:ProductionApiKey = ($Keys | Where-Object Environment -eq 'Production').ApiKey
    $script:EnvVarsPhp = Join-Path $RepositoryRoot 'tests/CommerceServices.Core.Tests/Php/config-env-vars.php'
}

AfterAll {
    Disconnect-CommerceInstance -All
    if ($Emulator) { Stop-CommerceServicesEmulator -Emulator $Emulator }
    if ($Db) { Stop-TestMariaDb -Server $Db }
}

Describe 'Export-CommerceServicesConfig on a Cloud project' {
    It 'is a Cloud instance connected with the database store' {
        $Instance.Platform | Should -Be 'Cloud'
        $Instance.CloudMarkers | Should -Be @('.magento.app.yaml')
        $Instance.ConfigStore | Should -Be 'Database'
    }

    It 'writes a .env file that bash hands to PHP, and PHP files each value under the path Magento reads it as' {
        $file = Join-Path $TestDrive 'connector.env'
        Export-CommerceServicesConfig -Instance $Instance -Format Dotenv -IncludeSecret -Force | Set-Content -LiteralPath $file -NoNewline

        # Nothing but PATH and what the file sets reaches PHP's $_ENV.
        $json = & env -i "PATH=$env:PATH" bash -c 'set -a; . "$1"; set +a; exec php -d variables_order=EGPCS "$2"' bash $file $EnvVarsPhp
        $LASTEXITCODE | Should -Be 0
        $winners = ($json | ConvertFrom-Json -AsHashtable).winners
        $winners['default/services_connector/services_connector_integration/production_api_key'].value | Should -BeExactly $ProductionApiKey
        $winners['default/services_connector/services_connector_integration/production_private_key'].value | Should -BeExactly $ProductionPem.Trim()
        $winners['default/services_connector/services_id/environment_name'].value | Should -BeExactly 'Testing 1'
        $winners['default/services_connector/services_id/environment_name'].name | Should -BeExactly 'CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_NAME'
    }

    It 'gives each Cloud variable with the magento-cloud command that sets it, not inherited, keys sensitive and left out' {
        $variables = Export-CommerceServicesConfig -Instance $Instance -Format CloudVariables -CloudProjectId 'abcdef123456' -CloudEnvironment 'staging'
        $key = $variables | Where-Object Path -eq 'services_connector/services_connector_integration/production_private_key'
        $key.Name | Should -BeExactly 'env:CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_PRIVATE_KEY'
        $key.IsSensitive | Should -BeTrue
        $key.Value | Should -BeNullOrEmpty
        $key.Command | Should -BeLike 'magento-cloud variable:create --update --project abcdef123456 --environment staging --level environment --name env:CONFIG__*PRODUCTION_PRIVATE_KEY --value "${PRODUCTION_PRIVATE_KEY:?*}" --json false --sensitive true --inheritable false --visible-build false --visible-runtime true'
        ($variables | Where-Object Path -eq 'services_connector/services_id/environment_name').Value | Should -BeExactly 'Testing 1'
    }

    It 'never shows a secret in its table, even when the secrets were exported' {
        $table = Export-CommerceServicesConfig -Instance $Instance -Format CloudVariables -IncludeSecret -Force | Out-String -Width 200
        $table | Should -Match '\(sensitive\)'
        $table | Should -Not -Match ([regex]::Escape($ProductionApiKey))
        $table | Should -Not -Match 'BEGIN PRIVATE KEY'
    }

    It 'in a pwsh that cannot ask, -IncludeSecret stops with SecretExportNotConfirmed and names -Force' {
        $command = "Import-Module '$ModuleManifest'; Connect-CommerceInstance -Path '$($Shop.Root)'; " +
        "try { Export-CommerceServicesConfig Dotenv -IncludeSecret -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }; 'done'"
        $run = Invoke-Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $command
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $lines = @($run.Output -split '\r?\n' | Where-Object { $_ })
        $lines[0] | Should -BeLike 'SecretExportNotConfirmed,*'
        $lines[1] | Should -BeLike '*Add -Force to confirm in the command.'
        $lines[-1] | Should -Be 'done'
        $run.Text | Should -Not -Match ([regex]::Escape($ProductionApiKey))
    }

    It 'refuses -Format MagentoEnvYaml with the reason and the alternatives' {
        { Export-CommerceServicesConfig -Instance $Instance -Format MagentoEnvYaml -ErrorAction Stop } |
            Should -Throw -ErrorId 'MagentoEnvYamlHoldsNoConnectorSetting,*' -ExpectedMessage 'ece-tools reads no Commerce Services Connector setting from .magento.env.yaml*-Format CloudVariables*'
    }
}

Describe 'Test-CommerceConnection on a Cloud project' {
    It 'adds the Cloud checks, and says what only the Cloud application can see' {
        $report = Test-CommerceConnection -Instance $Instance -Offline
        $cloud = @($report.Checks | Where-Object Name -like 'Cloud*')
        $cloud.Name | Should -Be @('CloudEnvPhpValues', 'CloudKeyPairSources', 'CloudVariablePrefix', 'CloudEnvironmentType')
        ($cloud | Where-Object Name -eq 'CloudEnvPhpValues').Status | Should -Be 'Pass'
        foreach ($check in $cloud | Where-Object Name -ne 'CloudEnvPhpValues') {
            $check.Status | Should -Be 'Skipped' -Because $check.Name
            $check.Message | Should -BeLike '*run the test there (magento-cloud ssh*'
        }
    }
}
