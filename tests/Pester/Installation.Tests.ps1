#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# The packages of out/ installed exactly as a pwsh user installs them from a gallery: a folder
# repository registered with Register-PSResourceRepository, Install-PSResource -Scope CurrentUser,
# then 'Import-Module CommerceServices' by name in a fresh pwsh; and Save-PSResource into a folder
# that is the whole PSModulePath of another fresh pwsh. Every child pwsh runs with a private, empty
# user profile under $TestDrive (HOME; no XDG_* folders, no PSModulePath), so neither the real
# user's module folder nor their PSResourceGet repository store is read or written. The child runs
# happen once, in BeforeAll; the installed copy reports what it is as JSON and the Its read that.
# Package first: ./build.ps1 -Task Package.

BeforeDiscovery {
    $repositoryRoot = Join-Path $PSScriptRoot '../..'
    $modules = @(
        @{
            Module  = 'CommerceServices'
            Cmdlets = [string[]] (Import-PowerShellDataFile -Path (Join-Path $repositoryRoot 'CommerceServices.psd1')).CmdletsToExport
        }
        @{
            Module  = 'CommerceServices.Emulator'
            Cmdlets = [string[]] (Import-PowerShellDataFile -Path (Join-Path $repositoryRoot 'src/CommerceServices.Emulator/CommerceServices.Emulator.psd1')).CmdletsToExport
        }
    )
    # The section headings of the about topic as written in the repository (TOPIC, SHORT DESCRIPTION,
    # ..., and the indented ones of LONG DESCRIPTION such as API KEY PAIRS).
    $aboutHeadings = @(Get-Content -LiteralPath (Join-Path $repositoryRoot 'en-US/about_CommerceServices.help.txt') |
            Where-Object { $_ -cmatch '^(  )?[A-Z][A-Z "/]+$' } | ForEach-Object { $_.Trim() })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Version = (Import-PowerShellDataFile -Path (Join-Path $RepositoryRoot 'CommerceServices.psd1')).ModuleVersion
    $Packages = foreach ($packageName in 'CommerceServices', 'CommerceServices.Emulator') {
        $package = Join-Path $RepositoryRoot "out/$packageName.$Version.nupkg"
        if (-not (Test-Path -LiteralPath $package)) {
            throw "The package $package is missing: run './build.ps1 -Task Package' first."
        }
        $package
    }

    # What a folder holds (relative path, size and SHA-256 of each file), to show it did not change.
    function Get-FolderSnapshot([string] $Path) {
        if (-not (Test-Path -LiteralPath $Path)) { return '(missing)' }
        @(Get-ChildItem -LiteralPath $Path -Recurse -Force | Sort-Object -Property FullName | ForEach-Object {
                $relative = [System.IO.Path]::GetRelativePath($Path, $_.FullName)
                if ($_.PSIsContainer) { "$relative/" }
                else { "$relative $($_.Length) $((Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash)" }
            }) -join "`n"
    }

    # A new, empty user profile: HOME and nothing else. .NET returns an empty LocalApplicationData
    # when ~/.local/share does not exist, and PSResourceGet then keeps its repository store in the
    # current directory; with the folder there it goes to ~/.local/share/PSResourceGet. (pwsh 7.6.9
    # creates ~/.local/share/powershell/Modules at startup anyway; this does not rely on it.)
    function New-PrivateHome([string] $Name) {
        $path = Join-Path $TestDrive $Name
        $null = New-Item -ItemType Directory -Path (Join-Path $path '.local/share') -Force
        $path
    }

    # Runs a script block as a script file in a fresh pwsh and returns its stdout parsed from JSON;
    # throws with everything the child wrote when it fails.
    function Invoke-ChildScript([string] $Name, [scriptblock] $Script, [string[]] $ArgumentList, [hashtable] $Environment) {
        $file = Join-Path $TestDrive "$Name.ps1"
        Set-Content -LiteralPath $file -Value $Script.ToString()
        $run = Invoke-Pwsh -ArgumentList (@('-NoProfile', '-NonInteractive', '-File', $file) + $ArgumentList) -Environment $Environment
        if ($run.ExitCode -ne 0 -or $run.Errors.Trim()) {
            throw "The child pwsh '$Name' failed (exit code $($run.ExitCode)):`n$($run.Text)"
        }
        $run.Output | ConvertFrom-Json
    }

    # The real user's module folder and PSResourceGet store, and the repository root (the child's
    # working directory), before anything runs.
    $RealHomeFolders = @(
        Join-Path $HOME '.local/share/powershell/Modules'
        Join-Path $HOME '.local/share/PSResourceGet'
    )
    $RealHomeBefore = @{}
    foreach ($folder in $RealHomeFolders) { $RealHomeBefore[$folder] = Get-FolderSnapshot $folder }
    $StrayStore = Join-Path $RepositoryRoot 'PSResourceGet'

    $RepositoryFolder = Join-Path $TestDrive 'repository'
    $null = New-Item -ItemType Directory -Path $RepositoryFolder
    Copy-Item -LiteralPath $Packages -Destination $RepositoryFolder
    $SavedFolder = Join-Path $TestDrive 'saved'
    $null = New-Item -ItemType Directory -Path $SavedFolder
    $PrivateHome = New-PrivateHome 'home'
    $WorkFolder = Join-Path $TestDrive 'work'
    $null = New-Item -ItemType Directory -Path $WorkFolder
    $RepositoryName = 'CommerceServicesTestLocal'
    $ChildEnvironment = @{
        HOME            = $PrivateHome
        XDG_DATA_HOME   = $null
        XDG_CONFIG_HOME = $null
        XDG_CACHE_HOME  = $null
        PSModulePath    = $null
    }

    # 1. Install both packages, and save the main one into a folder, as a user does.
    $Install = Invoke-ChildScript -Name 'install' -Environment $ChildEnvironment -ArgumentList @(
        '-RepositoryName', $RepositoryName, '-RepositoryFolder', $RepositoryFolder, '-SavedFolder', $SavedFolder) -Script {
        param([string] $RepositoryName, [string] $RepositoryFolder, [string] $SavedFolder)
        $ErrorActionPreference = 'Stop'
        Register-PSResourceRepository -Name $RepositoryName -Uri $RepositoryFolder -Trusted
        $installed = Install-PSResource -Name CommerceServices, CommerceServices.Emulator -Repository $RepositoryName -Scope CurrentUser -TrustRepository -PassThru
        $saved = Save-PSResource -Name CommerceServices -Repository $RepositoryName -Path $SavedFolder -TrustRepository -PassThru
        [ordered]@{
            Repository = [ordered]@{ Name = (Get-PSResourceRepository -Name $RepositoryName).Name; Trusted = (Get-PSResourceRepository -Name $RepositoryName).Trusted }
            Installed  = @($installed | ForEach-Object { [ordered]@{ Name = $_.Name; Version = "$($_.Version)"; InstalledLocation = $_.InstalledLocation } })
            Saved      = @($saved | ForEach-Object { [ordered]@{ Name = $_.Name; Version = "$($_.Version)" } })
        } | ConvertTo-Json -Depth 4
    }

    # 2. A fresh pwsh with the same profile imports both modules by name and reports what it got.
    $Report = Invoke-ChildScript -Name 'report' -Environment $ChildEnvironment -ArgumentList @('-WorkFolder', $WorkFolder) -Script {
        param([string] $WorkFolder)
        $ErrorActionPreference = 'Stop'
        # No strict mode: help that is missing reads as empty values, for the Its to name.
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

        function Get-ModuleReport([string] $Name) {
            Import-Module -Name $Name
            $module = Get-Module -Name $Name
            try {
                $tested = Test-ModuleManifest -Path (Join-Path $module.ModuleBase "$Name.psd1") -ErrorAction Stop
                $manifestTest = [ordered]@{ Passed = $true; Name = $tested.Name; Version = "$($tested.Version)"; Error = $null }
            }
            catch {
                $manifestTest = [ordered]@{ Passed = $false; Name = $null; Version = $null; Error = "$_" }
            }
            $help = [ordered]@{}
            foreach ($command in Get-Command -Module $Name) {
                $full = Get-Help -Name $command.Name -Full
                $documented = @{}
                foreach ($parameter in @($full.parameters.parameter | Where-Object { $_ })) {
                    $documented[$parameter.name] = (@($parameter.description | ForEach-Object Text) -join "`n").Trim()
                }
                $help[$command.Name] = [ordered]@{
                    Synopsis     = "$($full.Synopsis)".Trim()
                    Description  = (@($full.description | ForEach-Object Text) -join "`n").Trim()
                    ExampleCount = @($full.examples.example | Where-Object { $_ }).Count
                    Parameters   = @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object | ForEach-Object {
                            [ordered]@{ Name = $_; Description = $documented[$_] } })
                }
            }
            [ordered]@{
                ModuleBase   = $module.ModuleBase
                Version      = "$($module.Version)"
                ManifestTest = $manifestTest
                Commands     = @((Get-Command -Module $Name).Name)
                Help         = $help
            }
        }

        $report = [ordered]@{
            Modules = [ordered]@{
                CommerceServices            = Get-ModuleReport CommerceServices
                'CommerceServices.Emulator' = Get-ModuleReport CommerceServices.Emulator
            }
            About   = try { Get-Help -Name about_CommerceServices | Out-String -Width 200 } catch { "Get-Help failed: $_" }
        }

        # The installed copy at work: a local key check, and an online one at the installed emulator.
        $keyPath = Join-Path $WorkFolder 'smoke.pem'
        [System.IO.File]::WriteAllText($keyPath, [System.Security.Cryptography.RSA]::Create(2048).ExportPkcs8PrivateKeyPem())
        $local = Test-CommerceApiKey -ApiKey a1b2c3d4e5f60718293a4b5c6d7e8f90 -PrivateKeyPath $keyPath
        $emulator = Start-CommerceServicesEmulator
        try {
            $online = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId 'MAGE-INSTALL' -Edition AdobeCommerce -Directory $WorkFolder |
                Test-CommerceApiKey -Online
        }
        finally {
            Stop-CommerceServicesEmulator -Emulator $emulator
        }
        $assemblies = [ordered]@{}
        foreach ($assembly in [AppDomain]::CurrentDomain.GetAssemblies()) {
            $assemblies[$assembly.GetName().Name] = $assembly.Location
        }
        $report.Smoke = [ordered]@{
            IsValid       = $local.IsValid
            Problems      = @($local.Problems | ForEach-Object { "$_" })
            OnlineIsValid = $online.IsValid
            Online        = $online.Online
            Assemblies    = $assemblies
        }
        $report | ConvertTo-Json -Depth 6
    }

    # 3. Another fresh pwsh, another empty profile, PSModulePath only the Save-PSResource folder.
    $SavedHome = New-PrivateHome 'saved-home'
    $SavedEnvironment = $ChildEnvironment.Clone()
    $SavedEnvironment.HOME = $SavedHome
    $SavedEnvironment.PSModulePath = $SavedFolder
    $SavedReport = Invoke-ChildScript -Name 'saved' -Environment $SavedEnvironment -ArgumentList @('-WorkFolder', $WorkFolder) -Script {
        param([string] $WorkFolder)
        $ErrorActionPreference = 'Stop'
        Import-Module -Name CommerceServices
        $keyPath = Join-Path $WorkFolder 'saved.pem'
        [System.IO.File]::WriteAllText($keyPath, [System.Security.Cryptography.RSA]::Create(2048).ExportPkcs8PrivateKeyPem())
        [ordered]@{
            ModuleBase = (Get-Module -Name CommerceServices).ModuleBase
            Version    = "$((Get-Module -Name CommerceServices).Version)"
            IsValid    = (Test-CommerceApiKey -ApiKey a1b2c3d4e5f60718293a4b5c6d7e8f90 -PrivateKeyPath $keyPath).IsValid
        } | ConvertTo-Json
    }

    $PrivateModules = Join-Path $PrivateHome '.local/share/powershell/Modules'
}

Describe 'The packages, installed from a folder repository as from a gallery' {
    It 'registers the repository as trusted in the private profile''s PSResourceGet store' {
        $Install.Repository.Name | Should -Be $RepositoryName
        $Install.Repository.Trusted | Should -BeTrue
        Join-Path $PrivateHome '.local/share/PSResourceGet/PSResourceRepository.xml' | Should -FileContentMatch $RepositoryName
    }

    It 'installs both packages at the manifest''s version into the private profile''s module folder' {
        @($Install.Installed.Name | Sort-Object) | Should -Be @('CommerceServices', 'CommerceServices.Emulator')
        foreach ($installed in $Install.Installed) {
            $installed.Version | Should -Be $Version
            $installed.InstalledLocation | Should -BeLike "$PrivateModules*"
        }
    }

    Context '<Module>, imported by name in a fresh pwsh' -ForEach $modules {
        BeforeAll {
            $Imported = $Report.Modules.$Module
        }

        It 'is imported from the private profile''s module folder' {
            $Imported.ModuleBase | Should -Be (Join-Path $PrivateModules "$Module/$Version")
        }

        It 'has the version of CommerceServices.psd1' {
            $Imported.Version | Should -Be $Version
        }

        It 'is the module just built: its assembly is the one in out/' {
            # A package left over from an earlier build of the same version would pass every other test.
            $installed = Join-Path $PrivateModules "$Module/$Version/$Module.dll"
            (Get-FileHash -LiteralPath $installed).Hash | Should -Be (Get-FileHash -LiteralPath (Join-Path $RepositoryRoot "out/$Module/$Module.dll")).Hash
        }

        It 'has an installed manifest that passes Test-ModuleManifest' {
            $Imported.ManifestTest.Error | Should -BeNullOrEmpty
            $Imported.ManifestTest.Passed | Should -BeTrue
            $Imported.ManifestTest.Name | Should -Be $Module
            $Imported.ManifestTest.Version | Should -Be $Version
        }

        It 'exports exactly the cmdlets its manifest lists' {
            @($Imported.Commands | Sort-Object) | Should -Be @($Cmdlets | Sort-Object)
        }

        It 'has a synopsis, a description and at least 2 examples for <_>' -ForEach $Cmdlets {
            $help = $Imported.Help.$_
            $help | Should -Not -BeNullOrEmpty -Because "$_ is a command of the installed module"
            # Without help, Get-Help makes the synopsis from the syntax, which starts with the name.
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis | Should -Not -BeLike "*$_*"
            $help.Description | Should -Not -BeNullOrEmpty
            $help.ExampleCount | Should -BeGreaterOrEqual 2
        }

        It 'describes every parameter of <_>' -ForEach $Cmdlets {
            $parameters = @($Imported.Help.$_.Parameters)
            $parameters | Should -Not -BeNullOrEmpty
            @($parameters | Where-Object { -not $_.Description } | ForEach-Object Name) |
                Should -BeNullOrEmpty -Because 'Get-Help -Full shows a description for every parameter that is not a common parameter'
        }
    }

    It 'shows the <_> section of about_CommerceServices' -ForEach $aboutHeadings {
        $Report.About | Should -Match "(?m)^\s*$([regex]::Escape($_))\s*$"
    }

    It 'shows about_CommerceServices as the topic itself' {
        $Report.About | Should -Match '(?m)^\s*about_CommerceServices\s*$'
        $Report.About | Should -Match 'Test-CommerceApiKey checks a pair locally'
    }

    Context 'the installed copy at work' {
        It 'checks a key pair generated in the child' {
            $Report.Smoke.Problems | Should -BeNullOrEmpty
            $Report.Smoke.IsValid | Should -BeTrue
        }

        It 'has a key pair from the installed emulator accepted online' {
            $Report.Smoke.OnlineIsValid | Should -BeTrue
            $Report.Smoke.Online | Should -BeTrue
        }

        It 'loads <Assembly> from the installed <Module> folder' -ForEach @(
            @{ Assembly = 'CommerceServices'; Module = 'CommerceServices' }
            @{ Assembly = 'CommerceServices.Core'; Module = 'CommerceServices' }
            @{ Assembly = 'BouncyCastle.Cryptography'; Module = 'CommerceServices' }
            @{ Assembly = 'CommerceServices.Emulator'; Module = 'CommerceServices.Emulator' }
        ) {
            $Report.Smoke.Assemblies.$Assembly | Should -Be (Join-Path $PrivateModules "$Module/$Version/$Assembly.dll")
        }
    }
}

Describe 'The package, saved with Save-PSResource' {
    It 'is saved into the folder as CommerceServices/<Version>' {
        @($Install.Saved.Name) | Should -Be @('CommerceServices')
        Join-Path $SavedFolder "CommerceServices/$Version/CommerceServices.psd1" | Should -Exist
    }

    It 'is imported by name from that folder when it is the whole PSModulePath' {
        $SavedReport.ModuleBase | Should -Be (Join-Path $SavedFolder "CommerceServices/$Version")
        $SavedReport.Version | Should -Be $Version
        $SavedReport.IsValid | Should -BeTrue
    }
}

Describe 'The real user profile and the repository' {
    It 'leaves <_> as it was' -ForEach @('.local/share/powershell/Modules', '.local/share/PSResourceGet') {
        $folder = Join-Path $HOME $_
        Get-FolderSnapshot $folder | Should -Be $RealHomeBefore[$folder]
    }

    It 'gets no PSResourceGet store in the repository root (the child pwsh''s working directory)' {
        $StrayStore | Should -Not -Exist
    }
}
