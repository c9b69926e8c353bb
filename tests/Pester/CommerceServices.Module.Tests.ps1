#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $cmdlets = (Get-Command -Module CommerceServices).Name
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'CommerceServices module' {
    It 'has a manifest that passes Test-ModuleManifest' {
        $module = Test-ModuleManifest -Path $ModuleManifest -ErrorAction Stop
        $module.Name | Should -Be 'CommerceServices'
        $module.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $module.PrivateData.PSData.ProjectUri | Should -Not -BeNullOrEmpty
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $declared = (Import-PowerShellDataFile -Path $ModuleManifest).CmdletsToExport | Sort-Object
        (Get-Command -Module CommerceServices).Name | Sort-Object | Should -Be $declared
    }

    It 'uses approved verbs and declares an output type for <_>' -ForEach $cmdlets {
        $command = Get-Command -Name $_
        (Get-Verb).Verb | Should -Contain $command.Verb
        $command.OutputType | Should -Not -BeNullOrEmpty
    }

    It 'has full help for <_>' -ForEach $cmdlets {
        $help = Get-Help -Name $_ -Full
        $help.Synopsis | Should -Not -BeLike "*$_*"
        $help.description | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }

    It 'has the about_CommerceServices topic' {
        Get-Help about_CommerceServices | Out-String | Should -Match 'API KEY PAIRS'
    }

    Context 'imported in a fresh pwsh' {
        BeforeAll {
            # What Import-Module alone loads: the module's own assemblies; its dependencies load on first use.
            $manifest = $ModuleManifest -replace "'", "''"
            $Run = Invoke-Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-Command',
                "Import-Module -Name '$manifest' -ErrorAction Stop; [AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { `$_.GetName().Name }"
            $Loaded = @($Run.Output -split '\r?\n' | Where-Object { $_ })
        }

        It 'imports without an error' {
            $Run.ExitCode | Should -Be 0 -Because $Run.Text
            $Run.Errors | Should -BeNullOrEmpty
        }

        It 'loads <_>' -ForEach 'CommerceServices', 'CommerceServices.Core' {
            $Loaded | Should -Contain $_
        }

        It 'does not load <_> until it is used' -ForEach 'BouncyCastle.Cryptography', 'MySqlConnector' {
            $Loaded | Should -Contain 'CommerceServices.Core' -Because 'the import has run'
            $Loaded | Should -Not -Contain $_
        }
    }
}

Describe 'CommerceServices.Emulator module' {
    It 'has a built manifest that passes Test-ModuleManifest' {
        $module = Test-ModuleManifest -Path $EmulatorManifest -ErrorAction Stop
        $module.Name | Should -Be 'CommerceServices.Emulator'
        $module.Version | Should -Be (Import-PowerShellDataFile -Path (Join-Path $RepositoryRoot 'CommerceServices.psd1')).ModuleVersion
        $module.CompatiblePSEditions | Should -Be @('Core')
        $module.PrivateData.PSData.ProjectUri | Should -Not -BeNullOrEmpty
    }
}
