<#
  Demo fleets for the examples that take real instances: sample Magento folders (env.php with a
  crypt key and the gateway URLs of a local emulator, config.php, composer.lock) that the examples
  use when they are run without real instances. Dot-source it; it uses only core cmdlets and .NET.
#>

function New-DemoInstance {
    <# Writes a sample Adobe Commerce root folder under $Path and returns the path. #>
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] $Emulator,
        # A database endpoint for env.php, of an installed shop; without it, Magento is not installed
        # there yet (no install/date), so the files are all there is.
        [string] $DatabaseHost,
        [switch] $ConnectorDisabled
    )

    $etc = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($Path, 'app', 'etc')).FullName
    $cryptKey = [byte[]]::new(32)
    [System.Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($cryptKey)
    $database = if ($DatabaseHost) {
        "    'db' => ['connection' => ['default' => ['host' => '$DatabaseHost', 'dbname' => 'magento', 'username' => 'magento', 'password' => 'demo']]],`n" +
        "    'install' => ['date' => 'Mon, 02 Sep 2024 10:11:12 +0000'],`n"
    } else { '' }
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($etc, 'env.php'), @"
<?php
return [
    'crypt' => ['key' => 'base64$([Convert]::ToBase64String($cryptKey))'],
$database    'MAGE_MODE' => 'production',
    'system' => ['default' => ['services_connector' => [
        'production_gateway_url' => '$($Emulator.ProductionUri)',
        'sandbox_gateway_url' => '$($Emulator.SandboxUri)'
    ]]]
];
"@)
    $enabled = if ($ConnectorDisabled) { 0 } else { 1 }
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($etc, 'config.php'),
        "<?php`nreturn ['modules' => ['Magento_Store' => 1, 'Magento_Staging' => 1, 'Magento_ServicesConnector' => $enabled, 'Magento_ServicesId' => $enabled]];`n")
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($Path, 'composer.lock'),
        '{ "packages": [ { "name": "magento/product-enterprise-edition", "version": "2.4.7-p3" } ] }')
    $Path
}

function Initialize-DemoInstance {
    <#
      Provisions a connected demo instance as a sysadmin would: both key pairs, and a data space
      of the project (created when missing). Writes nothing to the output.
    #>
    param(
        [Parameter(Mandatory)] $Instance,
        [Parameter(Mandatory)] [object[]] $Keys,
        [Parameter(Mandatory)] [string] $DataSpaceName,
        [string] $ProjectName = 'Storefront'
    )

    $Keys | Set-CommerceApiKey -Instance $Instance
    if (-not (Get-SaasProject -Instance $Instance | Where-Object { $_.Name -eq $ProjectName })) {
        $null = New-SaasProject -Instance $Instance -Name $ProjectName
    }
    $null = Get-SaasDataSpace -Instance $Instance -Name $DataSpaceName |
        Where-Object { $_.ProjectName -eq $ProjectName } |
        Set-CommerceDataSpace -Instance $Instance -Confirm:$false
}
