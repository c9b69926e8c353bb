#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Connector settings of an instance, with the env.php store. These instances are installed
# (install/date) and the database they name is out of reach, so -DeferConfigImport writes without
# updating Magento's configuration hash, which a real instance then imports
# ('bin/magento app:config:import').
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $script:Rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $script:KeyPath = Join-Path $TestDrive 'production.pem'
    [System.IO.File]::WriteAllText($KeyPath, $Rsa.ExportPkcs8PrivateKeyPem())

    # Installed, on a database out of reach, with the gateway environment locked in env.php.
    $script:Locked = @{ DbHost = '127.0.0.1:9'; TablePrefix = ''; MageMode = ''; Installed = $true; EnvPhpSystem = "'magento_saas' => ['environment' => 'production']" }
}

Describe 'Instance configuration' {
    AfterEach {
        Disconnect-CommerceInstance -All
    }

    It 'shows each setting with its layer and lock' {
        Connect-CommerceInstance -Path (New-TestInstance 'shop' @Locked) -WarningAction SilentlyContinue
        $setting = Get-CommerceServicesConfig -Path 'magento_saas/environment' -SkipDatabase
        $setting.Layer | Should -Be 'EnvPhp'
        $setting.IsLocked | Should -BeTrue
        (Get-CommerceServicesConfig -Path 'services_connector/production_gateway_url' -SkipDatabase).Value | Should -Be 'https://commerce.adobe.io/'
    }

    It 'stores a key pair locked in env.php, encrypted' {
        $root = New-TestInstance 'locked' @Locked
        Connect-CommerceInstance -Path $root -ConfigStore EnvPhp
        Set-CommerceApiKey -ApiKey 'a1b2c3d4e5f60718293a4b5c6d7e8f90' -PrivateKeyPath $KeyPath -SkipOnlineCheck -DeferConfigImport -WarningAction SilentlyContinue
        Get-EnvPhp $root | Should -Match "'production_private_key' => '0:3:"
        $stored = Get-CommerceApiKey -Environment Production -SkipDatabase
        $stored.IsSet | Should -BeTrue
        $stored.IsEncrypted | Should -BeTrue
        $stored.ApiKey | Should -Be 'a1b2...8f90'
        $stored.Fingerprint | Should -Be (Get-TestKeyFingerprint $Rsa)
    }

    It 'refuses to write env.php when the configuration hash cannot be kept in sync' {
        # Without -DeferConfigImport: an installed Magento would refuse every request until the import.
        Connect-CommerceInstance -Path (New-TestInstance 'nohash' @Locked) -ConfigStore EnvPhp
        { Set-CommerceApiKey -ApiKey 'a1b2c3d4e5f60718293a4b5c6d7e8f90' -PrivateKeyPath $KeyPath -SkipOnlineCheck -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConfigHashNotUpdatable,CommerceServices.PowerShell.Commands.SetCommerceApiKeyCommand'
    }

    It 'changes nothing with -WhatIf' {
        $root = New-TestInstance 'whatif' @Locked
        $before = Get-EnvPhp $root
        Connect-CommerceInstance -Path $root -ConfigStore EnvPhp
        Set-CommerceApiKey -ApiKey 'a1b2c3d4e5f60718293a4b5c6d7e8f90' -PrivateKeyPath $KeyPath -SkipOnlineCheck -DeferConfigImport -WhatIf
        Get-EnvPhp $root | Should -BeExactly $before
    }

    It 'stores one key pair in every instance from the pipeline' {
        $roots = 'fleet1', 'fleet2', 'fleet3' | ForEach-Object { New-TestInstance $_ @Locked }
        $roots | ForEach-Object { Connect-CommerceInstance -Path $_ -ConfigStore EnvPhp }
        $key = Import-CommerceApiKey -ApiKey 'a1b2c3d4e5f60718293a4b5c6d7e8f90' -PrivateKeyPath $KeyPath
        $stored = Get-CommerceInstance | Set-CommerceApiKey -ApiKey $key -SkipOnlineCheck -DeferConfigImport -PassThru -WarningAction SilentlyContinue
        $stored | Should -HaveCount 3
        $stored.Fingerprint | Sort-Object -Unique | Should -Be (Get-TestKeyFingerprint $Rsa)
        foreach ($root in $roots) {
            Get-EnvPhp $root | Should -Match "'production_private_key' => '0:3:"
        }
    }

    It 'remembers the role an instance was connected with' {
        Connect-CommerceInstance -Path (New-TestInstance 'staging' @Locked) -ConfigStore EnvPhp -Role Staging
        (Get-CommerceInstance).Role | Should -Be 'Staging'
    }

    It 'checks IMS organization ids' {
        Connect-CommerceInstance -Path (New-TestInstance 'ims' @Locked) -ConfigStore EnvPhp
        { Set-CommerceImsOrganization 'not-an-org' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidImsOrganizationId,CommerceServices.PowerShell.Commands.SetCommerceImsOrganizationCommand'
    }
}
