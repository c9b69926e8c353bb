<#
  Connects every Commerce instance of a list and tests them all at once: which are connected to
  Commerce Services, and for the others, why and what to do.

  Real use, in pwsh:
      ./examples/ConnectFromList.ps1 -ListPath ./instances.csv

  instances.csv names each Magento root folder, and may give each its role and config store
  (Path, Role and ConfigStore bind to Connect-CommerceInstance by property name):
      Path,Role,ConfigStore
      /var/www/live,Production,Database
      /var/www/staging,Staging,EnvPhp
      /var/www/dev,Development,Database

  Without -ListPath it runs the same steps on a demo fleet against a local gateway emulator (so it
  runs anywhere, as the test suite runs it): a live shop, a staging copy made the usual wrong way
  (env.php copied from live), a development instance without the connector, and a shop whose
  database is down.
#>
param(
    # A CSV file with a Path column and optional Role and ConfigStore columns.
    [string] $ListPath,
    # How many instances are tested at the same time.
    [int] $ThrottleLimit = 8
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

foreach ($name in 'CommerceServices', 'CommerceServices.Emulator') {
    if (-not (Get-Module -Name $name)) {
        Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', $name, "$name.psd1"))
    }
}

$emulator = $null
$work = $null
if ($ListPath) {
    $list = Import-Csv -Path $ListPath
}
else {
    . ([System.IO.Path]::Combine($PSScriptRoot, 'Support', 'DemoFleet.ps1'))
    $emulator = Start-CommerceServicesEmulator
    $work = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'commerce-fleet-' + [guid]::NewGuid().ToString('n'))
    $keys = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId 'MAGE-FLEET' -Edition AdobeCommerce -Environment Production, Sandbox -Directory $work

    $live = Connect-CommerceInstance (New-DemoInstance ([System.IO.Path]::Combine($work, 'live')) $emulator) -ConfigStore EnvPhp -Role Production -PassThru
    Initialize-DemoInstance -Instance $live -Keys $keys -DataSpaceName 'Production'
    $staging = New-DemoInstance ([System.IO.Path]::Combine($work, 'staging')) $emulator
    [System.IO.File]::Copy([System.IO.Path]::Combine($live.Path, 'app', 'etc', 'env.php'), [System.IO.Path]::Combine($staging, 'app', 'etc', 'env.php'), $true)
    $dev = New-DemoInstance ([System.IO.Path]::Combine($work, 'dev')) $emulator -ConnectorDisabled
    $down = New-DemoInstance ([System.IO.Path]::Combine($work, 'db-down')) $emulator -DatabaseHost '127.0.0.1:9'
    Disconnect-CommerceInstance -All

    # What Import-Csv gives for the list in the comment above.
    $list = @(
        [pscustomobject]@{ Path = $live.Path; Role = 'Production'; ConfigStore = 'EnvPhp' }
        [pscustomobject]@{ Path = $staging; Role = 'Staging'; ConfigStore = 'EnvPhp' }
        [pscustomobject]@{ Path = $dev; Role = 'Development'; ConfigStore = 'Database' }
        [pscustomobject]@{ Path = $down; Role = 'Production'; ConfigStore = 'Database' }
    )
}

try {
    '== Connect every instance of the list (a row that fails does not stop the rest)'
    # Empty cells (a row without a Role, say) are left out, so the cmdlet's default applies to them.
    $rows = foreach ($row in $list) {
        $given = [ordered]@{}
        foreach ($property in $row.PSObject.Properties) {
            if ("$($property.Value)" -ne '') { $given[$property.Name] = $property.Value }
        }
        [pscustomobject]$given
    }
    $instances = @($rows | Connect-CommerceInstance -PassThru -WarningAction SilentlyContinue -ErrorAction Continue)
    $instances | Out-Host

    '== Test them all at once (concurrently; the reports come back in list order)'
    $reports = $instances | Test-CommerceConnection -ThrottleLimit $ThrottleLimit
    $reports | Out-Host

    '== Why each instance that is not connected is not, and what to do'
    foreach ($report in $reports) {
        if (-not $report.IsConnected) {
            '-- ' + $report.Instance.Path
            $report.Checks | Where-Object { $_.Status -eq 'Fail' } | Out-Host
        }
    }

    $connected = @($reports | Where-Object { $_.IsConnected })
    'Connected: {0} of {1}' -f $connected.Count, @($reports).Count

    if (-not $ListPath) {
        '== Demo: the staging copy gets a Testing data space of its own (R6, R7)'
        $stagingInstance = Get-CommerceInstance -Path $staging
        Get-SaasDataSpace -Instance $stagingInstance -Name 'Testing 1' | Set-CommerceDataSpace -Instance $stagingInstance -Confirm:$false
        $instances | Test-CommerceConnection -ThrottleLimit $ThrottleLimit | Out-Host
    }
}
finally {
    Disconnect-CommerceInstance -All
    if ($emulator) { Stop-CommerceServicesEmulator -Emulator $emulator }
    if ($work) { [System.IO.Directory]::Delete($work, $true) }
}
