<#
  Checking Commerce Services API key pairs, and managing SaaS projects and data spaces with them.

  Runs as-is in pwsh 7.4+, with the modules built in this repository or installed:
      dotnet pwsh -NoProfile -File examples/KeyPairs.ps1
  It uses only core cmdlets and .NET. The keys below are throwaway keys made on the spot; real ones
  come from the API Portal. Nothing here reaches Adobe: the gateway is a local emulator.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The modules as built in this repository (out/), unless they are imported already.
foreach ($name in 'CommerceServices', 'CommerceServices.Emulator') {
    if (-not (Get-Module -Name $name)) {
        Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', $name, "$name.psd1"))
    }
}

$work = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'commerce-keypairs-' + [guid]::NewGuid().ToString('n'))
$null = [System.IO.Directory]::CreateDirectory($work)
try {
    # A key pair as the API Portal hands it out: a public API key and a PKCS#8 private key file.
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $productionKey = [System.IO.Path]::Combine($work, 'production.pem')
    [System.IO.File]::WriteAllText($productionKey, $rsa.ExportPkcs8PrivateKeyPem())

    '== 1. Check a key pair from the downloaded key file'
    Test-CommerceApiKey -ApiKey 'demo0production0api0key0001' -PrivateKeyPath $productionKey | Out-Host

    '== 2. A key pasted badly (PKCS#1, on one line) is repaired, with a warning'
    $pasted = $rsa.ExportRSAPrivateKeyPem() -replace "`n", ' '
    $secure = [System.Net.NetworkCredential]::new('', $pasted).SecurePassword
    $result = Test-CommerceApiKey -ApiKey 'demo0sandbox0api0key0002' -PrivateKey $secure -Environment Sandbox
    $result | Out-Host
    'Repairs made to the pasted text: ' + ($result.Repairs -join ', ')

    '== 3. Check several pairs at once, from objects (a CSV works the same way)'
    $short = [System.IO.Path]::Combine($work, 'legacy-1024.pem')
    [System.IO.File]::WriteAllText($short, [System.Security.Cryptography.RSA]::Create(1024).ExportPkcs8PrivateKeyPem())
    $public = [System.IO.Path]::Combine($work, 'public.pem')
    [System.IO.File]::WriteAllText($public, $rsa.ExportSubjectPublicKeyInfoPem())
    $pairs = @(
        [pscustomobject]@{ ApiKey = 'demo0production0api0key0001'; PrivateKeyPath = $productionKey; Environment = 'Production' }
        [pscustomobject]@{ ApiKey = 'demo0sandbox0api0key0002';    PrivateKeyPath = $short;         Environment = 'Sandbox' }
        [pscustomobject]@{ ApiKey = 'demo0sandbox0api0key0003';    PrivateKeyPath = $public;        Environment = 'Sandbox' }
    )
    $results = $pairs | Test-CommerceApiKey
    $results | Out-Host

    '== 4. Every problem says how to fix it'
    $results | Where-Object { -not $_.IsValid } | ForEach-Object { $_.Details } | Out-Host

    '== 5. -Quiet answers with a bool, for scripts and Pester'
    Test-CommerceApiKey -ApiKey 'demo0production0api0key0001' -PrivateKeyPath $productionKey -Quiet

    '== 6. A local emulator of the gateway issues key pairs, as the API Portal does'
    $emulator = Start-CommerceServicesEmulator
    try {
        $issued = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId 'MAGE-DEMO' -Edition AdobeCommerce -Environment Production, Sandbox -Directory $work
        $issued | Test-CommerceApiKey -Online | Out-Host

        '== 7. A new project: Adobe Commerce gets 1 Production, 2 Testing data spaces'
        $key = $issued[0] | Import-CommerceApiKey
        $gateway = $emulator.ProductionUri
        New-SaasProject -ApiKey $key -GatewayUri $gateway -Name 'Storefront' | Out-Host

        '== 8. Projects pipe into data spaces, data spaces into renames'
        Get-SaasProject -ApiKey $key -GatewayUri $gateway -Name 'Storefront' |
            Get-SaasDataSpace -Name 'Testing 1' |
            Rename-SaasDataSpace -NewName 'Staging' -PassThru | Out-Host
        Get-SaasDataSpace -ApiKey $key -GatewayUri $gateway | Out-Host

        '== 9. New keys from the API Portal: the old pair is refused at once (R3)'
        $null = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId 'MAGE-DEMO' -Environment Production -Directory ([System.IO.Path]::Combine($work, 'new'))
        $issued[0] | Test-CommerceApiKey -Online | ForEach-Object { $_.Details } | Out-Host
    }
    finally {
        Stop-CommerceServicesEmulator -Emulator $emulator
    }
}
finally {
    [System.IO.Directory]::Delete($work, $true)
}
