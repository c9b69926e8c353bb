#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Every script of examples/ run exactly as a user runs it: 'pwsh -NoProfile -NonInteractive -File examples/<name>.ps1'
# in a new pwsh process (the one running these tests), its output redirected, so pwsh formats it at
# 80 columns. Each example runs once; the Its read what it printed. examples/ProvisionedInstance.Tests.ps1
# runs as its header says, as a Pester container against a provisioned demo instance, in a child pwsh.
# The scripts of examples/Fleet take sessions to remote hosts, so they have no demo mode to run here:
# tests/Pester/Fleet.Tests.ps1 runs each of them against three SSH hosts (the folder test below
# checks that it names them all).

BeforeDiscovery {
    # Every example script of examples/ (a new one is picked up here; not those of its subfolders:
    # Support holds helpers, Fleet the fleet examples); the *.Tests.ps1 ones are Pester containers.
    $examples = @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot '../../examples') -Filter '*.ps1' -File |
            Where-Object { $_.Name -notlike '*.Tests.ps1' } | Sort-Object -Property Name |
            ForEach-Object { @{ Name = $_.BaseName; File = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # The lines of an example's output, from the first one that starts with $Heading up to the next
    # '== ' heading (the examples head each step with a '== ...' string), as one string with "`n".
    function Get-Section([string] $Text, [string] $Heading) {
        $lines = $Text -split '\r?\n'
        $start = [array]::FindIndex($lines, [Predicate[string]] { param($line) $line.StartsWith($Heading, [StringComparison]::Ordinal) })
        if ($start -lt 0) { throw "The output has no line starting with '$Heading'." }
        $section = [System.Collections.Generic.List[string]]::new()
        $section.Add($lines[$start])
        for ($i = $start + 1; $i -lt $lines.Count -and -not $lines[$i].StartsWith('== ', [StringComparison]::Ordinal); $i++) {
            $section.Add($lines[$i])
        }
        $section -join "`n"
    }

    # Text without any white space: a message that a table wraps at 80 columns (anywhere, even inside
    # a word) reads the same as unwrapped, as long as it is the last column.
    function Get-Squeezed([string] $Text) {
        $Text -replace '\s+'
    }

    # A phrase as a pattern for Get-Squeezed text.
    function Get-SqueezedPattern([string] $Phrase) {
        [regex]::Escape((Get-Squeezed $Phrase))
    }

    # In ConnectFromList's output, the failed checks printed under '-- <path>' for the instance whose
    # folder is named $Folder, without the '-- ' line.
    function Get-InstanceBlock([string] $Section, [string] $Folder) {
        $blocks = @($Section -split '(?m)^-- ' | Where-Object { ($_ -split '\n')[0] -match "/$([regex]::Escape($Folder))$" })
        if ($blocks.Count -ne 1) { throw "The output has $($blocks.Count) blocks for '$Folder'." }
        ($blocks[0] -split '\n' | Select-Object -Skip 1) -join "`n"
    }

    # The number of lines of $Text that match $Pattern.
    function Get-MatchingLineCount([string] $Text, [string] $Pattern) {
        @(($Text -split '\r?\n') -match $Pattern).Count
    }

    $Guid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

    # The warnings an example means to show (whole lines); any other WARNING line is a failure.
    $ExpectedWarnings = @{
        KeyPairs        = @('^WARNING: The Sandbox private key is in PKCS#1 form \(BEGIN RSA PRIVATE KEY\)\. It was converted to PKCS#8 \(BEGIN PRIVATE KEY\), the form Adobe documents; the key itself is unchanged\.$')
        ConnectFromList = @('^WARNING: Could not read the data space of /\S+/db-down \(its database is out of reach\) to check that it differs from this one \(R6\): make sure the two instances use different data spaces\.$')
    }
    # Lines that may be wider than 80 columns: the examples' own '== ...' headings, and what pwsh
    # itself writes unwrapped at any width (warnings, -WhatIf); and an example's own message lines.
    $UnwrappedLines = '^(== |WARNING: |What if: )'
    $OwnLongLines = @{
        RotateKeys = '^NOT CHANGED: '
        # The status's Message, which the quickstart writes as a string (the terminal wraps it, nothing is cut).
        Quickstart = '^No SaaS data export module is enabled '
    }
}

Describe 'The examples folder' {
    It 'holds the four known examples, each run below' -TestCases @(@{ Found = [string[]] $examples.Name }) {
        foreach ($known in 'ConnectFromList', 'KeyPairs', 'Quickstart', 'RotateKeys') {
            $Found | Should -Contain $known
        }
    }

    It 'leaves each fleet example (examples/Fleet) to tests/Pester/Fleet.Tests.ps1, which runs it' {
        $fleetExamples = @(Get-ChildItem -LiteralPath (Join-Path $RepositoryRoot 'examples/Fleet') -Filter '*.ps1' -File)
        $fleetExamples.Name | Should -Be @('Install-CommerceServicesOnHosts.ps1', 'Set-FleetApiKey.ps1', 'Test-FleetConnection.ps1')
        $fleetTests = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'Fleet.Tests.ps1')
        foreach ($example in $fleetExamples) {
            $fleetTests | Should -Match "& \(Join-Path \`$FleetExamples '$([regex]::Escape($example.Name))'\)" -Because "Fleet.Tests.ps1 runs $($example.Name)"
        }
    }
}

Describe 'examples/<File>, run as a user runs it' -ForEach $examples {
    BeforeAll {
        # As a provisioning job runs it: a prompt fails at once instead of waiting for an answer.
        $Run = Invoke-Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', "examples/$File"
        $Out = $Run.Output -replace '\r\n', "`n"
        $Because = "the example printed:`n$($Run.Text)"
    }

    It 'exits with code 0' {
        $Run.ExitCode | Should -Be 0 -Because $Because
    }

    It 'writes nothing to stderr (no error record)' {
        $Run.Errors | Should -BeNullOrEmpty
    }

    It 'shows only the warnings it means to' {
        $expected = @($ExpectedWarnings[$Name] | Where-Object { $_ })
        $warnings = @(($Out -split '\n') -like 'WARNING:*')
        $warnings | Should -HaveCount $expected.Count -Because "these are the warnings: $($warnings -join "`n")"
        foreach ($pattern in $expected) {
            @($warnings -match $pattern) | Should -HaveCount 1 -Because "this warning is expected: $pattern"
        }
    }

    It 'shows no private key material' {
        $Run.Text | Should -Not -Match '-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----'
        # The base64 body of a DER key (private or public) always starts with MII.
        $Run.Text | Should -Not -MatchExactly 'MII[A-Za-z0-9+/]{20,}'
    }

    It 'fits every table and list in 80 columns' {
        $wide = @($Out -split '\n' | Where-Object {
                $_.Length -gt 80 -and $_ -notmatch $UnwrappedLines -and -not ($OwnLongLines[$Name] -and $_ -match $OwnLongLines[$Name])
            })
        $wide | Should -BeNullOrEmpty
    }

    It 'shows no #ERR (a view that failed to evaluate a column)' {
        $Run.Text | Should -Not -Match '#ERR'
    }

    if ($Name -eq 'Quickstart') {
        It 'Quickstart: the issued key pairs (Production and Sandbox) pass the online check' {
            $section = Get-Section $Out '== 1.'
            $section | Should -Match '(?m)^IsValid Environment ApiKey +Fingerprint +Online Problems *$'
            $section | Should -Match '(?m)^True +Production +\w{4}\.\.\.\w{4} [0-9a-f]{12}\.\.\. True *$'
            $section | Should -Match '(?m)^True +Sandbox +\w{4}\.\.\.\w{4} [0-9a-f]{12}\.\.\. True *$'
        }

        It 'Quickstart: the sample folder is connected as an Adobe Commerce 2.4.7-p3 Development instance with the env.php store, not installed yet' {
            $section = Get-Section $Out '== 3.'
            $section | Should -Match '(?m)^Name +Edition +Version +Role +Store +Database *$'
            $section | Should -Match '(?m)^shop +AdobeCommerce +2\.4\.7-p3 +Development +EnvPhp +not installed *$'
        }

        It 'Quickstart: not connected at first, and the failed checks say why' {
            $section = Get-Section $Out '== 4.'
            $section | Should -Match '(?m)^Instance +IsConnected +DataSpace +Failed *$'
            $section | Should -Match '(?m)^shop +False +ProductionKeyPair *\n +SandboxKeyPair *\n +SaasIdentifier *$'
            Get-MatchingLineCount $section '^\w+ +Fail ' | Should -Be 3
            $squeezed = Get-Squeezed $section
            $squeezed | Should -Match (Get-SqueezedPattern 'ProductionKeyPair Fail The Production key pair is not set (R10). Store it with Set-CommerceApiKey -Environment Production')
            $squeezed | Should -Match (Get-SqueezedPattern 'SandboxKeyPair Fail The Sandbox key pair is not set (R10). Store it with Set-CommerceApiKey -Environment Sandbox')
            $squeezed | Should -Match (Get-SqueezedPattern 'SaasIdentifier Fail No SaaS project is chosen (R10). Choose one with Get-SaasDataSpace | Set-CommerceDataSpace')
        }

        It 'Quickstart: both issued key pairs are stored encrypted in env.php' {
            $issued = Get-Section $Out '== 1.'
            $section = Get-Section $Out '== 5.'
            $section | Should -Match '(?m)^   Instance: /\S+/shop *$'
            $section | Should -Match '(?m)^Environment IsSet ApiKey +Fingerprint +StoredIn +Encrypted Problems *$'
            foreach ($environment in 'Production', 'Sandbox') {
                $issued -match "(?m)^True +$environment +(?<ApiKey>\w{4}\.\.\.\w{4}) (?<Fingerprint>[0-9a-f]{12})\.\.\." | Should -BeTrue
                $section | Should -Match "(?m)^$environment +True +$([regex]::Escape($Matches.ApiKey)) $($Matches.Fingerprint)\.\.\. EnvPhp +True *$"
            }
        }

        It 'Quickstart: the new project has a Production and two Testing data spaces, one per line' {
            $section = Get-Section $Out '== 6.'
            $section | Should -Match '(?m)^   Environment: Production *$'
            $section | Should -Match '(?m)^Name +ProjectId +DataSpaces *$'
            $section | Should -Match "(?m)^Quickstart store +$Guid Production *\n +Testing 1 *\n +Testing 2 *$"
        }

        It 'Quickstart: choosing Testing 1 locks the project and data space in env.php' {
            $project = Get-Section $Out '== 6.'
            $project -match "(?m)^Quickstart store +(?<Id>$Guid) " | Should -BeTrue
            $section = Get-Section $Out '== 7.'
            $section | Should -Match '(?m)^   Instance: /\S+/shop *$'
            $section | Should -Match '(?m)^Path +Layer +Value *$'
            Get-Squeezed $section | Should -Match (Get-SqueezedPattern "services_connector/services_id/project_id EnvPhp $($Matches.Id)")
            $section | Should -Match '(?m)^services_connector/services_id/environment_name +EnvPhp +Testing 1 *$'
            $section | Should -Match '(?m)^services_connector/services_id/environment +EnvPhp +Testing *$'
        }

        It 'Quickstart: connected after, every check passing (Database warns that Magento is not installed yet)' {
            $section = Get-Section $Out '== 8.'
            $section | Should -Match '(?m)^shop +True +Testing 1 \(Testing\) *$'
            foreach ($check in 'ConnectorModules', 'ConfigImport', 'GatewayEnvironment', 'ProductionKeyPair', 'SandboxKeyPair', 'ProductionKeyOnline', 'SandboxKeyOnline',
                'SaasIdentifier', 'SaasIdentifierOnline', 'Edition', 'ShadowedValues', 'ProductionDataSpaceRole', 'SharedDataSpace') {
                $section | Should -Match "(?m)^$check +Pass "
            }
            $section | Should -Match '(?m)^Database +Warning +Magento is not installed here yet'
            Get-MatchingLineCount $section '^\w+ +(Fail|Skipped) ' | Should -Be 0
            $section | Should -Match '(?m)^Connected: True$'
        }

        It 'Quickstart: the effective configuration is locked in env.php, with the keys masked and the emulator''s gateway URLs' {
            $issued = Get-Section $Out '== 1.'
            $issued -match '(?m)^True +Production +(?<ApiKey>\w{4}\.\.\.\w{4}) (?<Fingerprint>[0-9a-f]{12})\.\.\.' | Should -BeTrue
            $section = Get-Section $Out '== 9.'
            # A long path breaks after a '/', its first part beside the layer and the value.
            $apiKey = [regex]::Escape($Matches.ApiKey)
            $section | Should -Match "(?m)^services_connector/ +EnvPhp +$apiKey *\nservices_connector_integration/ *\nproduction_api_key *$"
            $section | Should -Match "(?m)^services_connector/ +EnvPhp +\(private key: RSA *\nservices_connector_integration/ +2048, SHA256:$($Matches.Fingerprint.Substring(0, 5))"
            $section | Should -Match '(?m)^services_connector/production_gateway_url +EnvPhp +http://127\.0\.0\.1:\d'
            $section | Should -Match '(?m)^services_connector/sandbox_gateway_url +EnvPhp +http://127\.0\.0\.1:\d'
            Get-MatchingLineCount $section '^\S+ +(Default|Database|ConfigPhp|EnvironmentVariable) ' | Should -Be 0
            $section | Should -Match "(?m)^Production +True +$([regex]::Escape($Matches.ApiKey)) $($Matches.Fingerprint)\.\.\. EnvPhp +True *$"
        }

        It 'Quickstart: the sample exports nothing and the status says so plainly (NotInstalled), data not flowing' {
            $section = Get-Section $Out '== 10.'
            $section | Should -Match '(?m)^   Instance: /\S+/shop *$'
            $section | Should -Match '(?m)^Feed +State +Exported +Failed +Pending +LastExported *$'
            $section | Should -Match '(?m)^\(no export modules\) +NotInstalled +0 +0 +0 *$'
            $section | Should -Match '(?m)^No SaaS data export module is enabled \(Magento_DataExporter and the feed modules are not in app/etc/config\.php\), so this instance exports nothing to Commerce Services\.'
            $section | Should -Match '(?m)^Data flowing: False$'
        }
    }

    if ($Name -eq 'KeyPairs') {
        It 'KeyPairs: the key pair from the downloaded file is valid, 2048 bits' {
            $section = Get-Section $Out '== 1.'
            $section | Should -Match '(?m)^IsValid Environment ApiKey      Fingerprint     Online Problems *$'
            $section | Should -Match '(?m)^True +Production +demo\.\.\.0001 [0-9a-f]{12}\.\.\. *$'
        }

        It 'KeyPairs: a PKCS#1 key pasted on one line is repaired into the same key, with a warning' {
            (Get-Section $Out '== 1.') -match '(?m)^True +Production +demo\.\.\.0001 (?<Fingerprint>[0-9a-f]{12})\.\.\.' | Should -BeTrue
            $section = Get-Section $Out '== 2.'
            $section | Should -Match '(?m)^WARNING: The Sandbox private key is in PKCS#1 form'
            $section | Should -Match "(?m)^True +Sandbox +demo\.\.\.0002 $($Matches.Fingerprint)\.\.\. *$"
            $section | Should -Match '(?m)^Repairs made to the pasted text: SingleLine, SpacesForNewlines$'
        }

        It 'KeyPairs: of several pairs checked at once, the 1024-bit key (KeyTooShort) and the public key are refused by name' {
            $section = Get-Section $Out '== 3.'
            $section | Should -Match '(?m)^True +Production +demo\.\.\.0001 [0-9a-f]{12}\.\.\. *$'
            $section | Should -Match '(?m)^False +Sandbox +demo\.\.\.0002 +KeyTooShort *$'
            $section | Should -Match '(?m)^False +Sandbox +demo\.\.\.0003 +NotAPrivateKey *$'
        }

        It 'KeyPairs: every problem says how to fix it' {
            $section = Get-Section $Out '== 4.'
            $section | Should -Match '(?m)^Id +Message *$'
            $squeezed = Get-Squeezed $section
            $squeezed | Should -Match (Get-SqueezedPattern 'KeyTooShort The RSA private key is 1024 bits; Commerce Services key pairs are at least 2048 bits. Pass the key generated by the API Portal')
            $squeezed | Should -Match (Get-SqueezedPattern "NotAPrivateKey This is a public key ('-----BEGIN PUBLIC KEY-----'), not a private key. Pass the private key that the API Portal showed once")
        }

        It 'KeyPairs: -Quiet prints just True' {
            @((Get-Section $Out '== 5.') -split '\n' | Select-Object -Skip 1 | Where-Object { $_.Trim() }) | Should -Be @('True')
        }

        It 'KeyPairs: the pairs the emulator issues pass the online check' {
            $section = Get-Section $Out '== 6.'
            $section | Should -Match '(?m)^True +Production +\w{4}\.\.\.\w{4} [0-9a-f]{12}\.\.\. True *$'
            $section | Should -Match '(?m)^True +Sandbox +\w{4}\.\.\.\w{4} [0-9a-f]{12}\.\.\. True *$'
        }

        It 'KeyPairs: the new Adobe Commerce project has a Production and two Testing data spaces' {
            $section = Get-Section $Out '== 7.'
            $section | Should -Match '(?m)^   Environment: Production *$'
            $section | Should -Match "(?m)^Storefront +$Guid Production *\n +Testing 1 *\n +Testing 2 *$"
        }

        It 'KeyPairs: Testing 1, renamed Staging through the pipeline, is listed under its new name' {
            $section = Get-Section $Out '== 8.'
            $section | Should -Match '(?m)^   Project: Storefront *$'
            $section -match "(?m)^Staging +Testing +(?<Id>$Guid) *$" | Should -BeTrue
            Get-MatchingLineCount $section "^Staging +Testing +$($Matches.Id) *$" | Should -Be 2
            $section | Should -Match "(?m)^Production +Production $Guid *$"
            $section | Should -Match "(?m)^Testing 2 +Testing +$Guid *$"
            $section | Should -Not -Match '(?m)^Testing 1 '
        }

        It 'KeyPairs: after new keys are issued the old pair is refused online (R3)' {
            Get-Squeezed (Get-Section $Out '== 9.') | Should -Match (Get-SqueezedPattern 'ApiKeyRejected The Production gateway refused this key pair. If new keys were generated in the API Portal, this pair stopped working')
        }
    }

    if ($Name -eq 'ConnectFromList') {
        It 'ConnectFromList: every instance of the list is connected with its role and store' {
            $section = Get-Section $Out '== Connect every instance'
            $section | Should -Match '(?m)^live +AdobeCommerce +2\.4\.7-p3 +Production +EnvPhp +not installed *$'
            $section | Should -Match '(?m)^staging +AdobeCommerce +2\.4\.7-p3 +Staging +EnvPhp +not installed *$'
            $section | Should -Match '(?m)^dev +AdobeCommerce +2\.4\.7-p3 +Development +Database +not installed *$'
            Get-Squeezed $section | Should -Match (Get-SqueezedPattern 'db-down AdobeCommerce 2.4.7-p3 Production Database magento@127.0.0.1:9/magento')
        }

        It 'ConnectFromList: none is connected, and the report names the failed checks, in list order' {
            $section = Get-Section $Out '== Test them all at once'
            $section | Should -Match '(?m)^live +False +Production \(Production\) +SharedDataSpace *\nstaging +False +Production \(Production\) +ProductionDataSpaceRole *\n +SharedDataSpace *\ndev +False +ConnectorModules *\n +ProductionKeyPair *\n +SandboxKeyPair *\n +SaasIdentifier *\ndb-down +False +Database *$'
        }

        It 'ConnectFromList: the staging copy of live''s env.php would overwrite live data (R7), and shares its data space (R6)' {
            $section = Get-Section $Out '== Why each instance'
            $section -match '(?m)^-- (?<Work>/\S+)/live$' | Should -BeTrue
            $work = $Matches.Work
            $live = Get-Squeezed (Get-InstanceBlock $section 'live')
            $staging = Get-Squeezed (Get-InstanceBlock $section 'staging')
            $staging | Should -Match (Get-SqueezedPattern "ProductionDataSpaceRole Fail The instance uses the Production data space but is not declared a production installation (role Staging): test data would overwrite live data (R7).")
            $staging | Should -Match ((Get-SqueezedPattern 'SharedDataSpace Fail Data space') + $Guid + (Get-SqueezedPattern " is also used by $work/live: their data overwrite each other (R6)."))
            $live | Should -Match ((Get-SqueezedPattern 'SharedDataSpace Fail Data space') + $Guid + (Get-SqueezedPattern " is also used by $work/staging: their data overwrite each other (R6)."))
        }

        It 'ConnectFromList: the development instance lacks the connector modules and everything after them' {
            $section = Get-Section $Out '== Why each instance'
            $dev = Get-Squeezed (Get-InstanceBlock $section 'dev')
            $dev | Should -Match (Get-SqueezedPattern "ConnectorModules Fail Magento_ServicesConnector or Magento_ServicesId is not enabled (R12). Run 'bin/magento module:enable Magento_ServicesConnector Magento_ServicesId'")
            $dev | Should -Match (Get-SqueezedPattern 'ProductionKeyPair Fail The Production key pair is not set (R10).')
            $dev | Should -Match (Get-SqueezedPattern 'SandboxKeyPair Fail The Sandbox key pair is not set (R10).')
            $dev | Should -Match (Get-SqueezedPattern 'SaasIdentifier Fail No SaaS project is chosen (R10).')
        }

        It 'ConnectFromList: the shop whose database is down says which database and what only it knows' {
            $section = Get-Section $Out '== Why each instance'
            $down = Get-Squeezed (Get-InstanceBlock $section 'db-down')
            $down | Should -Match ((Get-SqueezedPattern 'Database Fail Cannot open the database of ') + '/\S+?' + (Get-SqueezedPattern '/db-down (magento@127.0.0.1:9/magento):'))
            $down | Should -Match (Get-SqueezedPattern 'Not locked in the files, so only the database knows them: magento_saas/environment,')
            Get-MatchingLineCount $section '^\w+ +Fail ' | Should -Be 8
            $Out | Should -Match '(?m)^Connected: 0 of 4$'
        }

        It 'ConnectFromList: with its own Testing data space the staging copy is connected, and so is live' {
            $section = Get-Section $Out '== Demo: the staging copy'
            $section | Should -Match '(?m)^live +True +Production \(Production\) *\nstaging +True +Testing 1 \(Testing\) *\ndev +False +ConnectorModules *\n +ProductionKeyPair *\n +SandboxKeyPair *\n +SaasIdentifier *\ndb-down +False +Database *$'
            $section | Should -Match '(?m)^WARNING: Could not read the data space of /\S+/db-down'
        }
    }

    if ($Name -eq 'RotateKeys') {
        It 'RotateKeys: before, the old pair is refused online on every shop' {
            $section = Get-Section $Out '== The fleet before'
            $section | Should -Match '(?m)^shop-de +False +Testing 1 \(Testing\) +ProductionKeyOnline *\n +SaasIdentifierOnline *\nshop-fr +False +Testing 2 \(Testing\) +ProductionKeyOnline *\n +SaasIdentifierOnline *\nshop-uk +False +Testing 1 \(Testing\) +ProductionKeyOnline *\n +SaasIdentifierOnline *\nshop-us +False +Database *$'
        }

        It 'RotateKeys: the new pair is read once: a Production PKCS#8 key of 2048 bits' {
            $section = Get-Section $Out '== 1.'
            $section | Should -Match '(?m)^Environment ApiKey +KeySize Format Fingerprint *$'
            $section | Should -Match '(?m)^Production +\w{4}\.\.\.\w{4} +2048 Pkcs8  [0-9a-f]{12}\.\.\. *$'
        }

        It 'RotateKeys: -WhatIf shows one "What if" per instance, with the new pair''s fingerprint' {
            (Get-Section $Out '== 1.') -match 'Pkcs8  (?<Fingerprint>[0-9a-f]{12})\.\.\.' | Should -BeTrue
            $lines = @((Get-Section $Out '== 2.') -split '\n' | Select-Object -Skip 1 | Where-Object { $_.Trim() })
            $lines | Should -HaveCount 4
            $pattern = "^What if: Performing the operation `"Store the Production API key pair SHA256:$($Matches.Fingerprint)[0-9a-f]{4}\.\.\.`" on target `"/\S+/(?<Shop>shop-\w\w) \(EnvPhp\)`"\.$"
            $shops = foreach ($line in $lines) {
                $line | Should -Match $pattern
                ([regex]::Match($line, $pattern)).Groups['Shop'].Value
            }
            $shops | Should -Be @('shop-de', 'shop-fr', 'shop-uk', 'shop-us')
        }

        It 'RotateKeys: the new pair is stored encrypted in env.php of the three reachable shops' {
            (Get-Section $Out '== 1.') -match '(?m)^Production +(?<ApiKey>\w{4}\.\.\.\w{4}) +2048 Pkcs8  (?<Fingerprint>[0-9a-f]{12})\.\.\.' | Should -BeTrue
            $section = Get-Section $Out '== 3.'
            @(([regex]::Matches($section, '(?m)^   Instance: /\S+/(shop-\w\w) *$')).ForEach({ $_.Groups[1].Value })) | Should -Be @('shop-de', 'shop-fr', 'shop-uk')
            Get-MatchingLineCount $section "^Production +True +$([regex]::Escape($Matches.ApiKey)) $($Matches.Fingerprint)\.\.\. EnvPhp +True *$" | Should -Be 3
        }

        It 'RotateKeys: shop-us is reported NOT CHANGED, on the output (not as an error), with why and its error id' {
            $section = Get-Section $Out '== 3.'
            $notChanged = @(($section -split '\n') -like 'NOT CHANGED:*')
            $notChanged | Should -HaveCount 1
            $notChanged[0] | Should -Match '^NOT CHANGED: Changing app/etc/env\.php of /\S+/shop-us makes Magento refuse every request until the change is imported, and neither bin/magento \(with PHP\) nor the database is reachable from here to do that\. Run the change where PHP can run bin/magento, or pass -DeferConfigImport and run ''bin/magento app:config:import'' on the instance right after\. Nothing was changed\. \(ConfigHashNotUpdatable\)$'
            $Run.Errors | Should -Not -Match 'ConfigHashNotUpdatable'
        }

        It 'RotateKeys: after, the three shops are connected again and shop-us is still unreachable' {
            $section = Get-Section $Out '== 4.'
            $section | Should -Match '(?m)^shop-de +True +Testing 1 \(Testing\) *\nshop-fr +True +Testing 2 \(Testing\) *\nshop-uk +True +Testing 1 \(Testing\) *\nshop-us +False +Database *$'
        }
    }
}

Describe 'examples/ProvisionedInstance.Tests.ps1, run as a Pester container against a provisioned instance' {
    BeforeAll {
        $exampleFile = Join-Path $RepositoryRoot 'examples/ProvisionedInstance.Tests.ps1'

        # The tests the file defines: one per It, and one per check name for the It over $checkNames.
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($exampleFile, [ref] $null, [ref] $null)
        $assignment = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.AssignmentStatementAst] -and $node.Left.Extent.Text -eq '$checkNames' }, $true)
        $FileCheckNames = @($assignment.Right.FindAll({ param($node) $node -is [System.Management.Automation.Language.StringConstantExpressionAst] }, $true).Value)
        $its = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] -and $node.GetCommandName() -eq 'It' }, $true))
        $ExpectedCount = 0
        foreach ($it in $its) {
            $ExpectedCount += if ($it.Extent.Text -match '-ForEach \$checkNames\b') { $FileCheckNames.Count } else { 1 }
        }

        # What a user does: the pinned Pester and the built modules, a provisioned staging instance
        # (demo fleet, emulator), then the container with the data the instance must match, as its
        # header shows; once as provisioned, then with a wrong data space and a wrong role.
        $childScript = Join-Path $TestDrive 'Invoke-ProvisionedInstance.ps1'
        Set-Content -LiteralPath $childScript -Value @'
param([string] $PesterManifest, [string] $RepositoryRoot, [string] $WorkDirectory)
$ErrorActionPreference = 'Stop'
Import-Module -Name $PesterManifest
foreach ($name in 'CommerceServices', 'CommerceServices.Emulator') {
    Import-Module -Name ([System.IO.Path]::Combine($RepositoryRoot, 'out', $name, "$name.psd1"))
}
. ([System.IO.Path]::Combine($RepositoryRoot, 'examples', 'Support', 'DemoFleet.ps1'))
$emulator = Start-CommerceServicesEmulator
try {
    $keys = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId 'MAGE-PROVISIONED' -Edition AdobeCommerce -Environment Production, Sandbox -Directory ([System.IO.Path]::Combine($WorkDirectory, 'keys'))
    $path = New-DemoInstance ([System.IO.Path]::Combine($WorkDirectory, 'staging')) $emulator
    $instance = Connect-CommerceInstance -Path $path -ConfigStore EnvPhp -Role Staging -PassThru
    Initialize-DemoInstance -Instance $instance -Keys $keys -ProjectName 'Storefront' -DataSpaceName 'Testing 1'
    'CHECKS ' + (ConvertTo-Json -Compress -InputObject @((Test-CommerceConnection -Instance $instance).Checks.Name))
    $instance | Disconnect-CommerceInstance

    $runs = [ordered]@{
        Provisioned    = @{ Role = 'Staging'; DataSpaceName = 'Testing 1' }
        WrongDataSpace = @{ Role = 'Staging'; DataSpaceName = 'Testing 2' }
        WrongRole      = @{ Role = 'Production'; DataSpaceName = 'Testing 1' }
    }
    foreach ($run in $runs.Keys) {
        "== $run"
        $container = New-PesterContainer -Path ([System.IO.Path]::Combine($RepositoryRoot, 'examples', 'ProvisionedInstance.Tests.ps1')) -Data @{
            Path = $path; Role = $runs[$run].Role; ConfigStore = 'EnvPhp'; ProjectName = 'Storefront'; DataSpaceName = $runs[$run].DataSpaceName
        }
        $result = Invoke-Pester -Container $container -Output Detailed -PassThru
        'SUMMARY ' + (ConvertTo-Json -Compress -InputObject ([ordered]@{
            Run = $run; Result = "$($result.Result)"; PassedCount = $result.PassedCount; FailedCount = $result.FailedCount
            SkippedCount = $result.SkippedCount; NotRunCount = $result.NotRunCount
            FailedBlocksCount = $result.FailedBlocksCount; FailedContainersCount = $result.FailedContainersCount
            Failed = @($result.Failed | ForEach-Object { $_.ExpandedName }); Passed = @($result.Passed | ForEach-Object { $_.ExpandedName })
            InstancesLeft = @(Get-CommerceInstance).Count
        }))
    }
}
finally {
    Stop-CommerceServicesEmulator -Emulator $emulator
}
'@
        $pester = Join-Path (Get-Module -Name Pester | Select-Object -First 1).ModuleBase 'Pester.psd1'
        $Run = Invoke-Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', $childScript,
            '-PesterManifest', $pester, '-RepositoryRoot', $RepositoryRoot, '-WorkDirectory', (Join-Path $TestDrive 'provisioned')
        $Because = "the child pwsh printed:`n$($Run.Text)"
        $Summary = @{}
        foreach ($line in ($Run.Output -split '\r?\n') -like 'SUMMARY *') {
            $result = $line.Substring(8) | ConvertFrom-Json
            $Summary[$result.Run] = $result
        }
        $ReportedChecks = @(foreach ($line in ($Run.Output -split '\r?\n') -like 'CHECKS *') { $line.Substring(7) | ConvertFrom-Json })
    }

    It 'ProvisionedInstance: the child pwsh runs the container three times and exits 0, nothing on stderr' {
        $Run.ExitCode | Should -Be 0 -Because $Because
        $Run.Errors | Should -BeNullOrEmpty
        $Summary.Keys | Sort-Object | Should -Be @('Provisioned', 'WrongDataSpace', 'WrongRole') -Because $Because
    }

    It 'ProvisionedInstance: the file defines 1 + one per check name + 4 tests' {
        $FileCheckNames.Count | Should -BeGreaterThan 0
        $ExpectedCount | Should -Be (1 + $FileCheckNames.Count + 4)
    }

    It 'ProvisionedInstance: every test passes against the instance as provisioned' {
        $result = $Summary['Provisioned']
        $result.Result | Should -Be 'Passed' -Because $Because
        $result.FailedCount | Should -Be 0
        $result.SkippedCount | Should -Be 0
        $result.NotRunCount | Should -Be 0
        $result.FailedBlocksCount | Should -Be 0
        $result.FailedContainersCount | Should -Be 0
        $result.PassedCount | Should -Be $ExpectedCount
    }

    It 'ProvisionedInstance: each check of the file is a test of its own, named after the check' {
        $passed = @($Summary['Provisioned'].Passed)
        foreach ($check in $FileCheckNames) {
            $passed | Should -Contain "passes check $check"
        }
        $Run.Output | Should -Match '(?m)^Describing Commerce Services connection of /\S+/provisioned/staging$'
        $Run.Output | Should -Match '(?m)^  \[\+\] passes check SaasIdentifierOnline '
    }

    It 'ProvisionedInstance: has a test for every check Test-CommerceConnection makes' {
        $ReportedChecks | Should -Not -BeNullOrEmpty -Because $Because
        $ReportedChecks | Where-Object { $_ -notin $FileCheckNames } | Should -BeNullOrEmpty -Because 'the example says it tests every check'
    }

    It 'ProvisionedInstance: fails just the data space test when the instance sends to another data space' {
        $result = $Summary['WrongDataSpace']
        $result.Result | Should -Be 'Failed' -Because $Because
        @($result.Failed) | Should -Be @('sends its data to the expected project and data space')
        $result.PassedCount | Should -Be ($ExpectedCount - 1)
        $section = Get-Section $Run.Output '== WrongDataSpace'
        $section | Should -Match "(?m)^ +Expected: 'Testing 2'\n +But was: +'Testing 1'$"
    }

    It 'ProvisionedInstance: fails just the Production data space test when the staging instance is expected to be Production' {
        $result = $Summary['WrongRole']
        $result.Result | Should -Be 'Failed' -Because $Because
        @($result.Failed) | Should -Be @('uses a Production data space only when it is the production installation')
        $result.PassedCount | Should -Be ($ExpectedCount - 1)
    }

    It 'ProvisionedInstance: leaves no instance connected after each run' {
        foreach ($run in $Summary.Values) {
            $run.InstancesLeft | Should -Be 0 -Because "the container disconnects its instance ($($run.Run))"
        }
    }
}
