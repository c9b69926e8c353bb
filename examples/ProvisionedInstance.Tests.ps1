#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.1.0' }
<#
  Pester tests of a provisioned Commerce instance: run them after provisioning (or on a schedule)
  to assert that the instance is connected to Commerce Services the way it should be.

      $container = New-PesterContainer -Path ./examples/ProvisionedInstance.Tests.ps1 -Data @{
          Path = '/var/www/staging'; Role = 'Staging'; ProjectName = 'Storefront'; DataSpaceName = 'Testing 1'
      }
      Invoke-Pester -Container $container -Output Detailed

  Add Offline = $true to the data to skip the checks that call Adobe's gateway (the keys, project
  and data space are then checked only as stored). Add ConfigStore = 'EnvPhp' for an instance that
  keeps its connector settings locked in app/etc/env.php.
#>
param(
    # The Magento root folder of the instance.
    [Parameter(Mandatory)] [string] $Path,
    # What the instance is: only a Production instance may use a Production data space (R7).
    [ValidateSet('Production', 'Staging', 'Development')] [string] $Role = 'Staging',
    # The SaaS project and data space the instance must send its data to.
    [string] $ProjectName,
    [string] $DataSpaceName,
    # Where the instance keeps its connector settings.
    [ValidateSet('Database', 'EnvPhp')] [string] $ConfigStore = 'Database',
    # Skip the checks that call the gateway.
    [bool] $Offline = $false
)

BeforeDiscovery {
    # The names of the checks become one test each, so a failure names the check that failed.
    $checkNames = 'ConnectorModules', 'Database', 'ConfigImport', 'GatewayEnvironment', 'ProductionKeyPair', 'SandboxKeyPair',
        'ProductionKeyOnline', 'SandboxKeyOnline', 'SaasIdentifier', 'SaasIdentifierOnline', 'LiveSearchFeature', 'Edition', 'ShadowedValues',
        'ProductionDataSpaceRole', 'SharedDataSpace',
        'DataExportCron', 'DataExportIndexers', 'DataExportFailedItems', 'DataExportBacklog', 'DataExportDataSpace'
}

BeforeAll {
    if (-not (Get-Module -Name CommerceServices)) { Import-Module CommerceServices -ErrorAction Stop }
    $instance = Connect-CommerceInstance -Path $Path -Role $Role -ConfigStore $ConfigStore -PassThru -ErrorAction Stop
    $report = Test-CommerceConnection -Instance $instance -Offline:$Offline
}

AfterAll {
    $instance | Disconnect-CommerceInstance
}

Describe 'Commerce Services connection of <Path>' {
    It 'is connected' {
        $report.IsConnected | Should -BeTrue -Because "these checks failed: $($report.Failed -join ', ')"
    }

    It 'passes check <_>' -ForEach $checkNames {
        $check = $report.Checks | Where-Object Name -eq $_
        $check | Should -Not -BeNullOrEmpty
        "$($check.Status)" | Should -BeIn 'Pass', 'Skipped', 'Warning' -Because "$($check.Message) $($check.Remedy)"
    }

    It 'sends its data to the expected project and data space' -Skip:(-not $ProjectName -and -not $DataSpaceName) {
        if ($ProjectName) { $report.ProjectName | Should -Be $ProjectName }
        if ($DataSpaceName) { $report.DataSpaceName | Should -Be $DataSpaceName }
    }

    It 'uses a Production data space only when it is the production installation' {
        if ($Role -eq 'Production') {
            $report.DataSpaceType | Should -Be 'Production'
        }
        else {
            $report.DataSpaceType | Should -Not -Be 'Production'
        }
    }

    It 'holds both key pairs encrypted, with keys of at least 2048 bits' {
        $keys = Get-CommerceApiKey -Instance $instance
        $keys | Should -HaveCount 2
        foreach ($key in $keys) {
            $key.IsSet | Should -BeTrue -Because "the $($key.Environment) pair is needed (R10)"
            $key.IsEncrypted | Should -BeTrue -Because "Magento stores the $($key.Environment) pair encrypted"
            $key.KeySize | Should -BeGreaterOrEqual 2048
        }
    }

    It 'keeps no connector value hidden under a higher layer' {
        Get-CommerceServicesConfig -Instance $instance | Where-Object { $_.ShadowedLayers.Count -gt 0 } |
            ForEach-Object { '{0} ({1})' -f $_.Path, $_.Layer } | Should -BeNullOrEmpty
    }
}
