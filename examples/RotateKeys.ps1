<#
  Rotates the Commerce Services key pair of one gateway environment across a fleet of instances.

  Generating new keys in the API Portal stops the old pair at once, on every instance that uses it
  (rule R3), so the new pair has to reach all of them together. This script checks the new pair
  once, shows what would change, stores it in every instance (an instance that fails is left as it
  was and the others go on), and tests the fleet afterwards.

  Real use, in pwsh:
      $pem = './production-2026-11.pem'     # the private key file the API Portal gave you
      ./examples/RotateKeys.ps1 -Path /var/www/live, /var/www/staging -ApiKey $newApiKey -PrivateKeyPath $pem

  Without -Path it runs the same steps on a demo fleet against a local gateway emulator (so it runs
  anywhere, as the test suite runs it): three provisioned instances, one more whose database is
  down, and new keys generated in the emulator's API Portal.
#>
[CmdletBinding()]
param(
    # The Magento root folders of the instances that use the pair.
    [string[]] $Path,
    # The new public API key, as shown in the API Portal.
    [string] $ApiKey,
    # The new private key file.
    [string] $PrivateKeyPath,
    # The gateway environment of the new pair.
    [ValidateSet('Production', 'Sandbox')]
    [string] $Environment = 'Production',
    # Where the instances keep their connector settings: core_config_data, or locked in env.php.
    [ValidateSet('Database', 'EnvPhp')]
    [string] $ConfigStore = 'Database'
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
if (-not $Path) {
    . ([System.IO.Path]::Combine($PSScriptRoot, 'Support', 'DemoFleet.ps1'))
    $emulator = Start-CommerceServicesEmulator
    $work = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'commerce-rotation-' + [guid]::NewGuid().ToString('n'))
    $oldKeys = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId 'MAGE-ROTATE' -Edition AdobeCommerce -Environment Production, Sandbox -Directory ([System.IO.Path]::Combine($work, 'old'))
    # Each instance needs a data space of its own (R6): an Adobe Commerce project has two Testing ones.
    $Path = foreach ($shop in @(('shop-de', 'Europe', 'Testing 1'), ('shop-fr', 'Europe', 'Testing 2'), ('shop-uk', 'UK', 'Testing 1'))) {
        $instance = Connect-CommerceInstance (New-DemoInstance ([System.IO.Path]::Combine($work, $shop[0])) $emulator) -ConfigStore EnvPhp -PassThru
        Initialize-DemoInstance -Instance $instance -Keys $oldKeys -ProjectName $shop[1] -DataSpaceName $shop[2]
        $instance.Path
    }
    $Path += New-DemoInstance ([System.IO.Path]::Combine($work, 'shop-us')) $emulator -DatabaseHost '127.0.0.1:9'
    Disconnect-CommerceInstance -All

    # Someone generates new Production keys in the API Portal: the old pair stops working at once.
    $new = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId 'MAGE-ROTATE' -Environment Production -Directory ([System.IO.Path]::Combine($work, 'new'))
    $ApiKey = $new.ApiKey
    $PrivateKeyPath = $new.PrivateKeyPath
    $ConfigStore = 'EnvPhp'
}

try {
    '== The fleet before: the old pair is refused everywhere'
    $instances = @(Connect-CommerceInstance -Path $Path -ConfigStore $ConfigStore -PassThru -ErrorAction Continue)
    $instances | Test-CommerceConnection | Out-Host

    '== 1. Read the new pair once (a bad key stops here, before any instance)'
    $key = Import-CommerceApiKey -ApiKey $ApiKey -PrivateKeyPath $PrivateKeyPath -Environment $Environment
    $key | Out-Host

    '== 2. What would change'
    $instances | Set-CommerceApiKey -ApiKey $key -WhatIf

    '== 3. Store it everywhere: checked online once, each instance on its own'
    $stored = $instances | Set-CommerceApiKey -ApiKey $key -PassThru -ErrorAction SilentlyContinue -ErrorVariable failed
    $stored | Out-Host
    foreach ($failure in $failed) {
        'NOT CHANGED: {0} ({1})' -f $failure.Exception.Message, $failure.FullyQualifiedErrorId.Split(',')[0]
    }

    '== 4. The fleet after'
    $instances | Test-CommerceConnection | Out-Host
}
finally {
    Disconnect-CommerceInstance -All
    if ($emulator) { Stop-CommerceServicesEmulator -Emulator $emulator }
    if ($work) { [System.IO.Directory]::Delete($work, $true) }
}
