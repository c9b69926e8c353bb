#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $script:ApiKey = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
    $script:Rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $script:Pkcs8 = $Rsa.ExportPkcs8PrivateKeyPem() + "`n"
    $script:Pkcs1 = $Rsa.ExportRSAPrivateKeyPem() + "`n"
    $script:Fingerprint = Get-TestKeyFingerprint $Rsa
    $script:KeyPath = Join-Path $TestDrive 'production.pem'
    [System.IO.File]::WriteAllText($KeyPath, $Pkcs8)

    function Get-ProblemPem([string] $Case) {
        switch ($Case) {
            'empty' { '   ' }
            'no markers' { ($Pkcs8 -split "`n" | Where-Object { $_ -notlike '-----*' }) -join '' }
            'mismatched markers' { $Pkcs8.Replace('-----END PRIVATE KEY-----', '-----END CERTIFICATE-----') }
            'truncated body' { $Pkcs8.Remove($Pkcs8.IndexOf("`n-----END") - 3, 3) }
            'encrypted' {
                $pbe = [System.Security.Cryptography.PbeParameters]::new('Aes256Cbc', 'SHA256', 1000)
                $Rsa.ExportEncryptedPkcs8PrivateKeyPem('passphrase', $pbe)
            }
            'public key' { $Rsa.ExportSubjectPublicKeyInfoPem() }
            'certificate' {
                $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=commerce.test', $Rsa, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
                $request.CreateSelfSigned([datetimeoffset]::UtcNow.AddDays(-1), [datetimeoffset]::UtcNow.AddDays(1)).ExportCertificatePem()
            }
            'EC key' { [System.Security.Cryptography.ECDsa]::Create().ExportPkcs8PrivateKeyPem() }
            '1024-bit key' { [System.Security.Cryptography.RSA]::Create(1024).ExportPkcs8PrivateKeyPem() }
            'two keys' { $Pkcs8 + [System.Security.Cryptography.RSA]::Create(2048).ExportPkcs8PrivateKeyPem() }
        }
    }

    function Get-MangledPem([string] $Case) {
        switch ($Case) {
            'one line' { $Pkcs8.Replace("`n", '') }
            'spaces for newlines' { $Pkcs8.TrimEnd("`n").Replace("`n", ' ') }
            'CRLF' { $Pkcs8.Replace("`n", "`r`n") }
            'indentation' { '    ' + $Pkcs8.TrimEnd("`n").Replace("`n", "`n    ") }
            'byte order mark' { [char]0xFEFF + $Pkcs8 }
            'trailing blanks' { $Pkcs8.Replace("`n", "  `n") + "`n`n" }
            'literal \n' { $Pkcs8.TrimEnd("`n").Replace("`n", '\n') }
            'short dashes' { $Pkcs8.Replace('-----BEGIN ', '----BEGIN ').Replace('-----END ', '----END ').Replace('KEY-----', 'KEY---') }
        }
    }
}

Describe 'Test-CommerceApiKey' {
    Context 'valid key pairs' {
        It 'accepts the documented PKCS#8 key from a file' {
            $result = Test-CommerceApiKey -ApiKey $ApiKey -PrivateKeyPath $KeyPath
            $result.IsValid | Should -BeTrue
            $result.Problems | Should -BeNullOrEmpty
            $result.KeySize | Should -Be 2048
            $result.Format | Should -Be 'Pkcs8'
            $result.Fingerprint | Should -Be $Fingerprint
            $result.ApiKeyHint | Should -Be 'a1b2...8f90'
        }

        It 'accepts a key from a SecureString for the Sandbox environment' {
            $result = Test-CommerceApiKey -ApiKey $ApiKey -PrivateKey (New-TestSecureString $Pkcs8) -Environment Sandbox
            $result.IsValid | Should -BeTrue
            $result.Environment | Should -Be 'Sandbox'
        }

        It 'accepts PKCS#1 with a warning' {
            $result = Test-CommerceApiKey -ApiKey $ApiKey -PrivateKey (New-TestSecureString $Pkcs1) -WarningVariable warnings -WarningAction SilentlyContinue
            $result.IsValid | Should -BeTrue
            $result.Format | Should -Be 'Pkcs1'
            $warnings | Should -HaveCount 1
            "$warnings" | Should -Match 'PKCS#1'
        }

        It 'repairs a key pasted with <_>' -ForEach @('one line', 'spaces for newlines', 'CRLF', 'indentation', 'byte order mark', 'trailing blanks', 'literal \n', 'short dashes') {
            $result = Test-CommerceApiKey -ApiKey $ApiKey -PrivateKey (New-TestSecureString (Get-MangledPem $_))
            $result.IsValid | Should -BeTrue
            $result.Fingerprint | Should -Be $Fingerprint
            $result.Repairs | Should -Not -BeNullOrEmpty
        }
    }

    Context 'unusable key pairs are answers, not errors' {
        It 'reports <Problem> for <Case>' -ForEach @(
            @{ Case = 'empty'; Problem = 'EmptyPrivateKey' }
            @{ Case = 'no markers'; Problem = 'MalformedPem' }
            @{ Case = 'mismatched markers'; Problem = 'MalformedPem' }
            @{ Case = 'truncated body'; Problem = 'MalformedPem' }
            @{ Case = 'encrypted'; Problem = 'EncryptedPrivateKey' }
            @{ Case = 'public key'; Problem = 'NotAPrivateKey' }
            @{ Case = 'certificate'; Problem = 'NotAPrivateKey' }
            @{ Case = 'EC key'; Problem = 'UnsupportedKeyType' }
            @{ Case = '1024-bit key'; Problem = 'KeyTooShort' }
            @{ Case = 'two keys'; Problem = 'MultiplePrivateKeys' }
        ) {
            $result = Test-CommerceApiKey -ApiKey $ApiKey -PrivateKey (New-TestSecureString (Get-ProblemPem $Case)) -ErrorAction Stop
            $result.IsValid | Should -BeFalse
            $result.Problems | Should -Be @($Problem)
            $result.Details[0].Message | Should -Not -BeNullOrEmpty
        }

        It 'reports <Problem> for the API key <Value>' -ForEach @(
            @{ Value = ''; Problem = 'EmptyApiKey' }
            @{ Value = 'two words'; Problem = 'InvalidApiKey' }
            @{ Value = '-----BEGIN PRIVATE KEY-----'; Problem = 'InvalidApiKey' }
        ) {
            $result = Test-CommerceApiKey -ApiKey $Value -PrivateKeyPath $KeyPath
            $result.Problems | Should -Be @($Problem)
        }

        It 'answers only $true or $false with -Quiet' {
            Test-CommerceApiKey -ApiKey $ApiKey -PrivateKeyPath $KeyPath -Quiet | Should -BeTrue
            Test-CommerceApiKey -ApiKey '' -PrivateKeyPath $KeyPath -Quiet | Should -BeFalse
        }
    }

    Context 'pipeline and errors' {
        It 'binds ApiKey, PrivateKeyPath, PrivateKey and Environment by property name' {
            $results = @(
                [pscustomobject]@{ ApiKey = 'k1'; PrivateKeyPath = $KeyPath; Environment = 'Production' }
                [pscustomobject]@{ ApiKey = 'k2'; PrivateKey = (New-TestSecureString $Pkcs1); Environment = 'Sandbox' }
            ) | Test-CommerceApiKey -WarningAction SilentlyContinue
            $results.IsValid | Should -Be @($true, $true)
            $results.Environment | Should -Be @('Production', 'Sandbox')
        }

        It 'writes PrivateKeyFileNotFound for a missing file and goes on with the next pair' {
            $results = @(
                [pscustomobject]@{ ApiKey = 'k1'; PrivateKeyPath = (Join-Path $TestDrive 'missing.pem') }
                [pscustomobject]@{ ApiKey = 'k2'; PrivateKeyPath = $KeyPath }
            ) | Test-CommerceApiKey -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'PrivateKeyFileNotFound,CommerceServices.PowerShell.Commands.TestCommerceApiKeyCommand'
            $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            @($results).Count | Should -Be 1
        }

        It 'throws PrivateKeyFileNotFound with -ErrorAction Stop' {
            { Test-CommerceApiKey -ApiKey k1 -PrivateKeyPath (Join-Path $TestDrive 'missing.pem') -ErrorAction Stop } |
                Should -Throw -ErrorId 'PrivateKeyFileNotFound,CommerceServices.PowerShell.Commands.TestCommerceApiKeyCommand'
        }

        It 'refuses a plain string private key without echoing it' {
            { Test-CommerceApiKey -ApiKey k1 -PrivateKey $Pkcs8 -ErrorAction Stop } | Should -Throw -ErrorId 'PlainTextPrivateKeyRefused*'
            try { Test-CommerceApiKey -ApiKey k1 -PrivateKey $Pkcs8 -ErrorAction Stop } catch { $_.ToString() | Should -Not -Match 'MII' }
        }
    }

    Context 'secrets' {
        It 'shows no fragment of the private key on any stream' {
            $everything = & {
                Test-CommerceApiKey -ApiKey $ApiKey -PrivateKey (New-TestSecureString $Pkcs8) -Verbose -Debug
                Test-CommerceApiKey -ApiKey $ApiKey -PrivateKey (New-TestSecureString (Get-ProblemPem 'truncated body')) -Verbose
                Test-CommerceApiKey -ApiKey $Pkcs8 -PrivateKeyPath $KeyPath -Verbose
            } *>&1 | Out-String -Width 500
            $body = ($Pkcs8 -split "`n" | Where-Object { $_ -notlike '-----*' }) -join ''
            for ($i = 32; $i + 12 -le $body.Length; $i += 4) {
                $everything.Contains($body.Substring($i, 12)) | Should -BeFalse -Because "key fragment at $i must not appear"
            }
        }
    }
}
