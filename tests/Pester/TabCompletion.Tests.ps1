#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Tab completion as pwsh users get it (TabExpansion2, what the console and editors call): every
# parameter of both modules whose type is an enum (also Nullable or an array of one), or that has a
# ValidateSet, offers exactly its names, and a prefix narrows them. The cases come from the
# commands themselves, so a new enum parameter is tested without touching this file.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module -Name $EmulatorManifest -Force -ErrorAction Stop

    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $cases = foreach ($command in Get-Command -Module CommerceServices, CommerceServices.Emulator -CommandType Cmdlet | Sort-Object Name) {
        foreach ($parameter in $command.Parameters.Values | Sort-Object Name) {
            if ($parameter.Name -in $common) { continue }

            $type = $parameter.ParameterType
            $isArray = $type.IsArray
            $element = if ($isArray) { $type.GetElementType() } else { $type }
            $element = [Nullable]::GetUnderlyingType($element) ?? $element
            $set = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1

            $values = if ($set) { [string[]] $set.ValidValues } elseif ($element.IsEnum) { [string[]] [Enum]::GetNames($element) } else { $null }
            if (-not $values) { continue }
            @{
                Command   = $command.Name
                Parameter = $parameter.Name
                Kind      = if ($set) { 'ValidateSet' } else { 'enum ' + $element.FullName }
                IsArray   = $isArray
                Values    = $values
            }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module -Name $EmulatorManifest -Force -ErrorAction Stop

    # What completing at the end of $Line offers: the completion texts (quotes of a value with a
    # space taken off) and the kinds of result.
    function Get-Completion([string] $Line) {
        $result = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
        [pscustomobject]@{
            Texts = [string[]] @($result.CompletionMatches | ForEach-Object { $_.CompletionText -replace "^'(.*)'$", '$1' })
            Types = [string[]] @($result.CompletionMatches.ResultType | Sort-Object -Unique)
        }
    }
}

Describe 'Tab completion of enum and ValidateSet parameters' -ForEach @(@{ Cases = $cases }) {
    It 'finds the enum parameters of both modules' {
        $Cases.Count | Should -BeGreaterThan 0
        $found = $Cases | ForEach-Object { "$($_.Command) -$($_.Parameter)" }
        $found | Should -Contain 'Connect-CommerceInstance -Role'
        $found | Should -Contain 'Connect-CommerceInstance -ConfigStore'
        $found | Should -Contain 'Test-CommerceApiKey -Environment'
        $found | Should -Contain 'Import-CommerceApiKey -Environment'
        $found | Should -Contain 'Get-CommerceApiKey -Environment'
        $found | Should -Contain 'Get-SaasDataSpace -Type'
        $found | Should -Contain 'Set-CommerceGatewayEnvironment -Environment'
        $found | Should -Contain 'New-CommerceServicesEmulatorKey -Edition'
        $found | Should -Contain 'New-CommerceServicesEmulatorKey -Environment'
        @($Cases | Where-Object IsArray) | Should -Not -BeNullOrEmpty -Because 'an array of an enum (New-CommerceServicesEmulatorKey -Environment) is among them'
    }

    It 'completes <Command> -<Parameter>' -ForEach $Cases {
        $expected = [string[]] ($Values | Sort-Object -Unique)

        # Every name, and nothing else (no file names, no other values).
        $all = Get-Completion "$Command -$Parameter "
        $all.Types | Should -Be @('ParameterValue') -Because "$Kind values are offered, not file names"
        ($all.Texts | Sort-Object) | Should -Be $expected

        # The first letter of each name narrows to the names that begin with it, in either case.
        foreach ($letter in $expected | ForEach-Object { $_.Substring(0, 1) } | Sort-Object -Unique) {
            $matching = [string[]] ($expected | Where-Object { $_ -like "$letter*" })
            foreach ($prefix in $letter.ToUpperInvariant(), $letter.ToLowerInvariant()) {
                (Get-Completion "$Command -$Parameter $prefix").Texts | Sort-Object | Should -Be $matching -Because "'$prefix' begins $($matching -join ', ')"
            }
        }

        # The shortest prefix that only one name begins with completes to that name alone.
        foreach ($name in $expected) {
            $unique = 1..$name.Length | ForEach-Object { $name.Substring(0, $_) } |
                Where-Object { $p = $_; @($expected | Where-Object { $_ -like "$p*" }).Count -eq 1 } | Select-Object -First 1
            if ($unique) {
                (Get-Completion "$Command -$Parameter $unique").Texts | Should -Be @($name)
            }
        }

        # After a first value, an array parameter offers every name again.
        if ($IsArray) {
            ((Get-Completion "$Command -$Parameter $($expected[0]), ").Texts | Sort-Object) | Should -Be $expected
        }
    }
}

Describe 'Tab completion of feed names' -ForEach @(
    @{ Command = 'Get-CommerceDataExportStatus' }
    @{ Command = 'Start-CommerceDataExportResync' }
) {
    It 'completes <Command> -Feed with the saas:resync feed names a prefix begins, in any case' {
        foreach ($prefix in 'pr', 'PR', 'Pr') {
            $completion = Get-Completion "$Command -Feed $prefix"
            $completion.Types | Should -Be @('ParameterValue')
            $completion.Texts | Should -Be @('products', 'productAttributes', 'productOverrides', 'prices') -Because "'$prefix' begins these feeds"
        }
        (Get-Completion "$Command -Feed scopes").Texts | Should -Be @('scopesWebsite', 'scopesCustomerGroup')
        (Get-Completion "$Command -Feed products, cat").Texts | Should -Be @('categories', 'categoryPermissions')
        (Get-Completion "$Command -Feed nosuchfeed").Texts | Should -BeNullOrEmpty
    }
}
