<#
  CommerceServices quickstart: connect a Commerce instance to Commerce Services, start to finish.

  Runs as-is in pwsh 7.4+; the README's first command runs it in the repository's pinned pwsh
  ('dotnet pwsh'). It uses only core cmdlets and .NET, and nothing here reaches Adobe:
  a local emulator plays Adobe's gateway and API Portal, and the instance is a sample folder made
  on the spot. On a real installation the same steps run against its root folder and Adobe's
  gateway; only step 1 (keys come from the API Portal) and step 2 differ.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The modules as built in this repository (out/), unless they are imported already.
foreach ($name in 'CommerceServices', 'CommerceServices.Emulator') {
    if (-not (Get-Module -Name $name)) {
        Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', $name, "$name.psd1"))
    }
}

$work = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'commerce-quickstart-' + [guid]::NewGuid().ToString('n'))
$null = [System.IO.Directory]::CreateDirectory($work)
$emulator = Start-CommerceServicesEmulator
try {
    '== 1. Key pairs for both gateway environments, for an Adobe Commerce account'
    # In real life: API Portal > Commerce Services Connector, one pair per environment; the private
    # key file is shown once. The emulator's portal writes the same files.
    $keys = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId 'MAGE-QUICKSTART' -Edition AdobeCommerce -Environment Production, Sandbox -Directory $work
    $keys | Test-CommerceApiKey -Online | Out-Host

    '== 2. A sample instance: env.php, config.php with the connector, composer.lock'
    $shop = [System.IO.Path]::Combine($work, 'shop')
    $etc = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($shop, 'app', 'etc')).FullName
    $cryptKey = [byte[]]::new(32)
    [System.Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($cryptKey)
    # Its connector talks to the emulator instead of Adobe (as 'bin/magento config:set --lock-env' would set it).
    # Magento is not installed in this folder (env.php has no install/date and no database), so the
    # files are all there is: exactly what a provisioning step sees before 'bin/magento setup:install'.
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($etc, 'env.php'), @"
<?php
return [
    'backend' => [
        'frontName' => 'admin'
    ],
    'crypt' => [
        'key' => 'base64$([Convert]::ToBase64String($cryptKey))'
    ],
    'MAGE_MODE' => 'developer',
    'system' => [
        'default' => [
            'services_connector' => [
                'production_gateway_url' => '$($emulator.ProductionUri)',
                'sandbox_gateway_url' => '$($emulator.SandboxUri)'
            ]
        ]
    ]
];
"@)
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($etc, 'config.php'), @'
<?php
return [
    'modules' => [
        'Magento_Store' => 1,
        'Magento_Staging' => 1,
        'Magento_ServicesConnector' => 1,
        'Magento_ServicesId' => 1
    ]
];
'@)
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($shop, 'composer.lock'), @'
{
    "packages": [
        { "name": "magento/framework", "version": "103.0.7" },
        { "name": "magento/product-enterprise-edition", "version": "2.4.7-p3" }
    ]
}
'@)

    '== 3. Connect to it; the env.php store locks the settings in app/etc/env.php'
    Connect-CommerceInstance -Path $shop -ConfigStore EnvPhp -Role Development -PassThru | Out-Host

    '== 4. Is it connected? Not yet, and the report says why'
    $report = Test-CommerceConnection
    $report | Out-Host
    $report.Checks | Where-Object { $_.Status -eq 'Fail' } | Out-Host

    '== 5. Store both key pairs (checked online, encrypted with the crypt key)'
    $keys | Set-CommerceApiKey -PassThru | Out-Host

    '== 6. A SaaS project, with the instance''s keys: 1 Production, 2 Testing spaces'
    New-SaasProject -Name 'Quickstart store' | Out-Host

    '== 7. Choose a Testing data space (Production is for -Role Production only)'
    # Changing the data space asks for confirmation by default (ConfirmImpact High); a script says so up front.
    Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false -PassThru | Out-Host

    '== 8. Test again: connected'
    $report = Test-CommerceConnection
    $report | Out-Host
    $report.Checks | Where-Object { $_.Area -eq 'Connection' } | Out-Host
    'Connected: ' + (Test-CommerceConnection -Quiet)

    '== 9. The effective configuration: each value and its layer (secrets masked)'
    Get-CommerceServicesConfig | Where-Object { $null -ne $_.Layer -and $_.Layer -ne 'Default' } | Out-Host
    Get-CommerceApiKey | Out-Host

    '== 10. Is the data flowing? Connected is half of it: the catalog must be exported too (R15)'
    # This sample enables no SaaS data export module (magento/saas-export), so nothing is exported, and
    # the status says so plainly; on a real instance each feed gets a row, as in the Admin's Data Feed Sync Status.
    $export = Get-CommerceDataExportStatus
    $export | Out-Host
    $export.Message
    'Data flowing: ' + (Test-CommerceConnection -Offline).IsDataFlowing
}
finally {
    Get-CommerceInstance | Disconnect-CommerceInstance
    Stop-CommerceServicesEmulator -Emulator $emulator
    [System.IO.Directory]::Delete($work, $true)
}
