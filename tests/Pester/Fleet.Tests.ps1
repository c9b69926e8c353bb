#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# A fleet of Commerce hosts driven from one management host with real PowerShell remoting over SSH,
# through the examples of examples/Fleet as a sysadmin runs them (which is why tests/Pester/Examples.Tests.ps1,
# whose examples need no session, does not run them). Three private SSH hosts on this machine
# (TestSshHosts.ps1: 127.0.0.2, .3 and .4, users cs-web1..3, each with a MariaDB and two instances
# in its home, one keeping its connector settings in the database and one in env.php); the gateway
# emulator runs here, on 127.0.0.1, where the hosts reach it. The module gets to the hosts as a
# user installs it: its .nupkg (./build.ps1 -Task Package) through Install-CommerceServicesOnHosts.ps1.
# Needs root and OpenSSH (tests/run.sh installs it). The blocks run in order, each on what the one
# before left: installed, provisioned and tested, rotated, then scanned for secrets.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'TestSshHosts.ps1')
    Import-Module -Name $EmulatorManifest -Force -ErrorAction Stop

    $script:Version = (Import-PowerShellDataFile -Path (Join-Path $RepositoryRoot 'CommerceServices.psd1')).ModuleVersion
    $script:Package = Join-Path $RepositoryRoot "out/CommerceServices.$Version.nupkg"
    if (-not (Test-Path -LiteralPath $Package)) {
        throw "The package $Package is missing: run './build.ps1 -Task Package' first."
    }
    $script:FleetExamples = Join-Path $RepositoryRoot 'examples/Fleet'

    # How long each step took, written at the end.
    $script:Timings = [ordered]@{}
    $script:FileWatch = [System.Diagnostics.Stopwatch]::StartNew()

    # Everything the remote calls wrote, on every stream, as text: what the secret scan reads.
    $script:RemoteText = [System.Text.StringBuilder]::new()
    $script:RemoteCalls = 0

    function Invoke-Recorded {
        <#
          Runs $Call (a script block that makes remote calls) with every stream on and merged into
          the output, records all of it as text (each record as a console shows it and as remoting
          serializes it) and the time it took under $Name, and returns what it wrote: objects and
          records (errors, warnings, verbose, debug, information) in order.
        #>
        param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [scriptblock] $Call)
        $VerbosePreference = 'Continue'
        $DebugPreference = 'Continue'
        $InformationPreference = 'Continue'
        $WarningPreference = 'Continue'
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $records = @(& $Call *>&1)
        if ($Timings.Contains($Name)) { $Name += " ($($RemoteCalls + 1))" }
        $Timings[$Name] = $watch.Elapsed.TotalSeconds
        $script:RemoteCalls++
        foreach ($record in $records) {
            $null = $RemoteText.AppendLine(($record | Out-String -Width 400))
            $null = $RemoteText.AppendLine([System.Management.Automation.PSSerializer]::Serialize($record, 4))
        }
        $records
    }

    # What a call wrote, apart: its objects (no stream record), its errors, its warnings.
    $script:StreamRecordTypes = [System.Management.Automation.ErrorRecord], [System.Management.Automation.WarningRecord],
        [System.Management.Automation.VerboseRecord], [System.Management.Automation.DebugRecord], [System.Management.Automation.InformationRecord]
    function Get-Objects($Records) {
        @($Records | Where-Object { $record = $_; -not ($StreamRecordTypes | Where-Object { $record -is $_ }) })
    }
    function Get-Errors($Records) { @($Records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) }
    function Get-Warnings($Records) { @($Records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }) }

    $script:Emulator = Start-CommerceServicesEmulator
    $script:Fleet = Start-TestSshHosts -Emulator $Emulator
    $Timings['start the three hosts'] = $Fleet.StartSeconds
    foreach ($testHost in $Fleet.Hosts) { $Timings["open the session to $($testHost.Name)"] = $testHost.SessionSeconds }
    $script:Sessions = @($Fleet.Hosts.Session)
    $script:Addresses = @($Fleet.Hosts.Address)
    # Every remote call runs with every stream on: whatever the module might write, the scan sees.
    $null = Invoke-Recorded 'stream preferences on the hosts' {
        Invoke-Command -Session $Sessions {
            $global:VerbosePreference = 'Continue'; $global:DebugPreference = 'Continue'
            $global:InformationPreference = 'Continue'; $global:WarningPreference = 'Continue'
        }
    }

    # The instances on every host, as the fleet examples take them: the same folders under each
    # host user's home ('~' is resolved on the host), each with its config store.
    $script:InstanceRows = @(
        [pscustomobject]@{ Path = '~/shops/shop-a'; ConfigStore = 'Database' }
        [pscustomobject]@{ Path = '~/shops/shop-b'; ConfigStore = 'EnvPhp' }
    )

    # What the secret scan looks for, noted as each pair is issued (a block's TestDrive files go with the block).
    $script:KeyPairSecrets = [System.Collections.Generic.List[object]]::new()
    function Add-KeyPairSecret($Key) {
        foreach ($pair in $Key) {
            # The base64 body, less the prefix all RSA PKCS#8 keys share.
            $body = (Get-Content -LiteralPath $pair.PrivateKeyPath | Where-Object { $_ -notlike '-----*' } | ForEach-Object Trim) -join ''
            $KeyPairSecrets.Add([pscustomobject]@{ Kind = 'private key'; Text = $body.Substring(32) })
            $KeyPairSecrets.Add([pscustomobject]@{ Kind = 'API key'; Text = $pair.ApiKey })
        }
    }
    # The account's key pairs, from the emulator's API Portal, here on the management host only.
    $script:Keys = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-FLEET' -Edition AdobeCommerce -Environment Production, Sandbox -Directory (Join-Path $TestDrive 'keys')
    Add-KeyPairSecret $Keys

    function Get-HostKeyFingerprint {
        # The Production key pair's fingerprint each instance holds, per host and instance folder, read over the sessions.
        $records = Invoke-Recorded 'read the stored key pairs' {
            Invoke-Command -Session $Sessions -ArgumentList (, $InstanceRows) {
                param([object[]] $Instance)
                $connected = @($Instance | Connect-CommerceInstance -PassThru)
                try {
                    foreach ($one in $connected) {
                        $stored = Get-CommerceApiKey -Instance $one -Environment Production
                        [pscustomobject]@{ Path = $one.Path; Fingerprint = $stored.Fingerprint }
                    }
                }
                finally { $connected | Disconnect-CommerceInstance }
            }
        }
        $fingerprints = @{}
        foreach ($row in (Get-Objects $records)) { $fingerprints["$($row.PSComputerName) $($row.Path)"] = $row.Fingerprint }
        $fingerprints
    }
}

AfterAll {
    if ($Fleet) {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        Stop-TestSshHosts -Fleet $Fleet
        $Timings['stop the three hosts'] = $watch.Elapsed.TotalSeconds
    }
    if ($Emulator) { Stop-CommerceServicesEmulator -Emulator $Emulator }
    $Timings['the whole file'] = $FileWatch.Elapsed.TotalSeconds
    Write-Host ("Fleet timings (s): " + (($Timings.GetEnumerator() | ForEach-Object { '{0} {1:N1}' -f $_.Key, $_.Value }) -join '; '))
    if ($ScanFigures) { Write-Host "Fleet secret scan: $ScanFigures" }
}

Describe 'Installing the module on the hosts from its package (Install-CommerceServicesOnHosts.ps1)' {
    BeforeAll {
        function Get-HostInstallState {
            # Per host: what PSResourceGet lists, the installed assembly's hash, and every file of the
            # installed module and the package folder with its size, time and hash.
            $records = Invoke-Recorded 'list the installed module' {
                Invoke-Command -Session $Sessions {
                    $listed = @(Get-InstalledPSResource -Name CommerceServices -Scope CurrentUser)
                    $available = @(Get-Module -ListAvailable -Name CommerceServices)
                    $files = foreach ($folder in '~/.local/share/powershell/Modules', '~/.local/share/CommerceServices/packages', '~/.local/share/PSResourceGet') {
                        $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($folder)
                        Get-ChildItem -LiteralPath $full -Recurse -File -Force -ErrorAction SilentlyContinue | Sort-Object FullName |
                            ForEach-Object { '{0} {1} {2:o} {3}' -f $_.FullName, $_.Length, $_.LastWriteTimeUtc, (Get-FileHash -LiteralPath $_.FullName).Hash }
                    }
                    [pscustomobject]@{
                        Listed    = @($listed | ForEach-Object { "$($_.Name) $($_.Version)" })
                        Available = @($available | ForEach-Object { "$($_.Name) $($_.Version) $($_.ModuleBase)" })
                        Assembly  = if ($available) { (Get-FileHash -LiteralPath (Join-Path $available[0].ModuleBase 'CommerceServices.dll')).Hash }
                        Files     = @($files)
                    }
                }
            }
            $state = @{}
            foreach ($row in (Get-Objects $records)) { $state[$row.PSComputerName] = $row }
            $state
        }

        $script:FirstInstall = Invoke-Recorded 'install the module on three hosts' {
            & (Join-Path $FleetExamples 'Install-CommerceServicesOnHosts.ps1') -Session $Sessions -PackagePath $Package
        }
        $script:Installed = Get-HostInstallState
        $script:SecondInstall = Invoke-Recorded 'install again (nothing to do)' {
            & (Join-Path $FleetExamples 'Install-CommerceServicesOnHosts.ps1') -Session $Sessions -PackagePath $Package
        }
        $script:InstalledAgain = Get-HostInstallState
        $script:BuiltAssembly = (Get-FileHash -LiteralPath (Join-Path $RepositoryRoot 'out/CommerceServices/CommerceServices.dll')).Hash
    }

    It 'installs on each host, copying the package there, without an error or a warning' {
        Get-Errors $FirstInstall | Should -BeNullOrEmpty
        Get-Warnings $FirstInstall | Should -BeNullOrEmpty
        $results = Get-Objects $FirstInstall
        @($results.ComputerName) | Should -Be $Addresses
        foreach ($result in $results) {
            $result.Action | Should -Be 'Installed'
            $result.Version | Should -Be $Version
            $result.PreviousVersion | Should -BeNullOrEmpty
            @($result.Copied) | Should -Be @("CommerceServices.$Version.nupkg")
        }
    }

    It 'leaves each host listing CommerceServices at the built version, the module just built, in the host user''s modules' {
        $Installed.Keys | Sort-Object | Should -Be ($Addresses | Sort-Object)
        foreach ($address in $Addresses) {
            $state = $Installed[$address]
            $userHome = ($Fleet.Hosts | Where-Object Address -eq $address).Home
            @($state.Listed) | Should -Be @("CommerceServices $Version")
            @($state.Available) | Should -Be @("CommerceServices $Version $userHome/.local/share/powershell/Modules/CommerceServices/$Version")
            # A package left over from an earlier build of the same version would pass the rest.
            $state.Assembly | Should -Be $BuiltAssembly
        }
    }

    It 'changes nothing when run again: nothing copied, nothing installed, every file as it was' {
        Get-Errors $SecondInstall | Should -BeNullOrEmpty
        Get-Warnings $SecondInstall | Should -BeNullOrEmpty
        $results = Get-Objects $SecondInstall
        @($results.ComputerName) | Should -Be $Addresses
        foreach ($result in $results) {
            $result.Action | Should -Be 'UpToDate'
            $result.Version | Should -Be $Version
            $result.PreviousVersion | Should -Be $Version
            @($result.Copied) | Should -BeNullOrEmpty
        }
        foreach ($address in $Addresses) {
            $InstalledAgain[$address].Files | Should -Not -BeNullOrEmpty
            $InstalledAgain[$address].Files | Should -Be $Installed[$address].Files
        }
    }
}

Describe 'Testing every instance on every host in one call (Test-FleetConnection.ps1)' {
    BeforeAll {
        # Provisioned over the sessions, as a sysadmin does it from the management host: both key
        # pairs (private keys as SecureString arguments), then on each host a project of its own whose
        # two Testing data spaces go one to each instance (R6: each instance its own data space).
        $script:Provisioned = Invoke-Recorded 'provision six instances on three hosts' {
            Invoke-Command -Session $Sessions -ArgumentList $InstanceRows, $Keys[0].ApiKey, (New-TestSecureString (Get-Content -Raw -LiteralPath $Keys[0].PrivateKeyPath)), $Keys[1].ApiKey, (New-TestSecureString (Get-Content -Raw -LiteralPath $Keys[1].PrivateKeyPath)) {
                param([object[]] $Instance, [string] $ProductionApiKey, [securestring] $ProductionKey, [string] $SandboxApiKey, [securestring] $SandboxKey)
                $ErrorActionPreference = 'Stop'
                $connected = @($Instance | Connect-CommerceInstance -PassThru)
                try {
                    $connected | Set-CommerceApiKey -ApiKey $ProductionApiKey -PrivateKey $ProductionKey -Environment Production
                    $connected | Set-CommerceApiKey -ApiKey $SandboxApiKey -PrivateKey $SandboxKey -Environment Sandbox
                    $project = New-SaasProject -Instance $connected[0] -Name "Storefront $env:USER"
                    $spaces = @($project | Get-SaasDataSpace -Type Testing | Sort-Object -Property Name)
                    for ($i = 0; $i -lt $connected.Count; $i++) {
                        $spaces[$i] | Set-CommerceDataSpace -Instance $connected[$i] -Confirm:$false
                    }
                    'provisioned'
                }
                finally { $connected | Disconnect-CommerceInstance }
            }
        }
        # The export's cron sends the catalog again to the data space just chosen (else the check
        # DataExportDataSpace rightly says the new data space lacks what went to the previous one);
        # a second later, as the feed tables keep whole seconds and the time of the choice has fractions.
        Start-Sleep -Seconds 1
        foreach ($instance in $Fleet.Hosts.Instances) {
            $null = $instance.Sql($ExportUtc + (($TestExportFeeds | ForEach-Object { "UPDATE $($instance.Prefix)$($_.Table) SET modified_at = UTC_TIMESTAMP();" }) -join ''))
        }
        $script:Reports = Invoke-Recorded 'test six instances on three hosts (one call)' {
            & (Join-Path $FleetExamples 'Test-FleetConnection.ps1') -Session $Sessions -Instance $InstanceRows
        }
        $script:OfflineReports = Invoke-Recorded 'test six instances offline (one call)' {
            & (Join-Path $FleetExamples 'Test-FleetConnection.ps1') -Session $Sessions -Instance '~/shops/shop-a', '~/shops/shop-b' -Offline
        }
    }

    It 'provisions both instances on every host without an error or a warning' {
        Get-Errors $Provisioned | Should -BeNullOrEmpty
        Get-Warnings $Provisioned | Should -BeNullOrEmpty
        @(Get-Objects $Provisioned | Sort-Object PSComputerName | ForEach-Object { "$($_.PSComputerName) $_" }) | Should -Be ($Addresses | ForEach-Object { "$_ provisioned" })
    }

    It 'returns six reports, two from each host, each carrying its host in PSComputerName' {
        Get-Errors $Reports | Should -BeNullOrEmpty
        Get-Warnings $Reports | Should -BeNullOrEmpty
        $results = Get-Objects $Reports
        $results | Should -HaveCount 6
        $results | ForEach-Object { $_.PSObject.TypeNames[0] } | Select-Object -Unique | Should -Be 'Deserialized.CommerceServices.Diagnostics.CommerceConnectionReport'
        @($results | Group-Object -Property PSComputerName | Sort-Object -Property Name | ForEach-Object { '{0} {1}' -f $_.Name, $_.Count }) | Should -Be ($Addresses | ForEach-Object { "$_ 2" })
        foreach ($testHost in $Fleet.Hosts) {
            @($results | Where-Object PSComputerName -eq $testHost.Address | ForEach-Object { $_.Instance.Path } | Sort-Object) | Should -Be $testHost.InstancePaths
        }
    }

    It 'keeps what a report holds as objects across remoting: its instance and each check with its status' {
        # CommerceServices.types.ps1xml: two levels, where remoting alone sends one (and the checks as text).
        foreach ($report in (Get-Objects $Reports)) {
            $report.Instance.PSObject.TypeNames[0] | Should -Be 'Deserialized.CommerceServices.Instances.CommerceInstance'
            $report.Instance.Name | Should -Be ([System.IO.Path]::GetFileName($report.Instance.Path))
            @($report.Checks | ForEach-Object { $_.PSObject.TypeNames[0] } | Select-Object -Unique) | Should -Be 'Deserialized.CommerceServices.Diagnostics.ConnectionCheck'
            @($report.Checks | Where-Object Name -eq 'ProductionKeyPair').Status | Should -Be 'Pass'
        }
    }

    It 'finds every instance connected, with its data flowing, and no failed check' {
        foreach ($report in (Get-Objects $Reports)) {
            $report.IsConnected | Should -BeTrue -Because "$($report.PSComputerName) $($report.Instance): $($report.Failed -join ', ')"
            @($report.Failed) | Should -BeNullOrEmpty -Because "$($report.PSComputerName) $($report.Instance): $(@($report.Checks | Where-Object Status -eq 'Fail' | ForEach-Object { "$($_.Name): $($_.Message)" }) -join ' | ')"
            $report.IsDataFlowing | Should -BeTrue
        }
    }

    It 'finds each instance on its own data space (R6), each host on a project of its own' {
        $results = Get-Objects $Reports
        @($results.DataSpaceId | Select-Object -Unique) | Should -HaveCount 6
        @($results | ForEach-Object { "$($_.PSComputerName) $($_.ProjectName) $($_.DataSpaceType)" } | Select-Object -Unique | Sort-Object) |
            Should -Be @($Fleet.Hosts | ForEach-Object { "$($_.Address) Storefront $($_.User) Testing" })
    }

    It 'shows the fleet as one table, whose rows name each host and instance' {
        $table = (Get-Objects $Reports | Out-String -Width 200) -split '\r?\n' | Where-Object { $_.Trim() }
        @($table | Where-Object { $_ -match '^\s*-+( +-+)+\s*$' }) | Should -HaveCount 1
        foreach ($testHost in $Fleet.Hosts) {
            foreach ($name in $testHost.Instances.Name) {
                # Instance, IsConnected, DataSpace, Failed (none), and the host pwsh adds to results of Invoke-Command.
                @($table -match "^$name +True +Testing \d \(Testing\) +$([regex]::Escape($testHost.Address)) *$") | Should -HaveCount 1 -Because "the table is:`n$($table -join "`n")"
            }
        }
    }

    It 'comes in order of host and instance, and with -View ByHost shows one table per host under its heading' {
        $reports = @(Get-Objects $Reports)
        @($reports | ForEach-Object { '{0} {1}' -f $_.PSComputerName, $_.Instance.Name }) |
            Should -Be @(foreach ($testHost in $Fleet.Hosts) { foreach ($name in $testHost.Instances.Name) { '{0} {1}' -f $testHost.Address, $name } })
        $grouped = ($reports | Format-Table -View ByHost | Out-String -Width 200) -split '\r?\n' | Where-Object { $_.Trim() }
        @($grouped | Where-Object { $_ -match '^\s*Host: ' } | ForEach-Object Trim) | Should -Be @($Addresses | ForEach-Object { "Host: $_" })
        @($grouped | Where-Object { $_ -match '^\s*-+( +-+)+\s*$' }) | Should -HaveCount 3
    }

    It 'tests offline as well, from plain paths: the same six instances connected' {
        Get-Errors $OfflineReports | Should -BeNullOrEmpty
        $results = Get-Objects $OfflineReports
        $results | Should -HaveCount 6
        @($results | Where-Object IsConnected) | Should -HaveCount 6
    }
}

Describe 'Rotating the Production key pair across the hosts (Set-FleetApiKey.ps1)' {
    BeforeAll {
        # Every file of an instance folder with its size and hash, to show it did not change.
        function Get-InstanceSnapshot([string] $Root) {
            @(Get-ChildItem -LiteralPath $Root -Recurse -File -Force | Sort-Object FullName |
                    ForEach-Object { '{0} {1} {2}' -f $_.FullName, $_.Length, (Get-FileHash -LiteralPath $_.FullName).Hash })
        }

        $script:FailingHost = $Fleet.Hosts[1]
        $script:Before = Get-HostKeyFingerprint
        $script:FailingBefore = @($FailingHost.InstancePaths | ForEach-Object { Get-InstanceSnapshot $_ })

        # Someone generates new Production keys in the API Portal: the old pair stops at once (R3).
        $script:NewKey = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-FLEET' -Environment Production -Directory (Join-Path $TestDrive 'new')
        Add-KeyPairSecret $NewKey
        $newPrivateKey = New-TestSecureString (Get-Content -Raw -LiteralPath $NewKey.PrivateKeyPath)

        # The second host cannot reach its database, as when it is down or firewalled: its server's
        # folder (with the socket) closed to all but root, and the connections the host's pwsh keeps
        # in its pool ended by the server.
        & chmod 700 $FailingHost.Database.Folder
        try {
            $held = @($FailingHost.Database.Sql("SELECT id FROM information_schema.processlist WHERE user = 'magento' AND id <> CONNECTION_ID()") -split '\s+' | Where-Object { $_ })
            foreach ($id in $held) {
                try { $null = $FailingHost.Database.Sql("KILL $id") } catch { Write-Verbose "connection $id had ended: $_" }
            }
            $Emulator.ClearRequests()
            $script:Rotation = Invoke-Recorded 'rotate the Production pair on three hosts' {
                & (Join-Path $FleetExamples 'Set-FleetApiKey.ps1') -Session $Sessions -Instance $InstanceRows -ApiKey $NewKey.ApiKey -PrivateKeyPath $NewKey.PrivateKeyPath -GatewayUri $Emulator.ProductionUri
            }
            $script:RotationRequests = @($Emulator.Requests)
            $script:FailingAfter = @($FailingHost.InstancePaths | ForEach-Object { Get-InstanceSnapshot $_ })
        }
        finally {
            & chmod 755 $FailingHost.Database.Folder
        }
        $script:After = Get-HostKeyFingerprint
        $script:ReportsAfter = Invoke-Recorded 'test six instances after the rotation (one call)' {
            & (Join-Path $FleetExamples 'Test-FleetConnection.ps1') -Session $Sessions -Instance $InstanceRows
        }

        # Its database back, the host that failed is given the pair again, with the key as a
        # SecureString; with it, a session that was closed meanwhile (a host gone since).
        $script:ClosedSession = New-TestSshSession -Fleet $Fleet -TestHost $Fleet.Hosts[2]
        Remove-PSSession -Session $ClosedSession
        $script:Retry = Invoke-Recorded 'rotate again on the host that failed' {
            & (Join-Path $FleetExamples 'Set-FleetApiKey.ps1') -Session $FailingHost.Session, $ClosedSession -Instance $InstanceRows -ApiKey $NewKey.ApiKey -PrivateKey $newPrivateKey -GatewayUri $Emulator.ProductionUri
        }
        $script:Final = Get-HostKeyFingerprint
        $script:ReportsFinal = Invoke-Recorded 'test six instances after the second rotation (one call)' {
            & (Join-Path $FleetExamples 'Test-FleetConnection.ps1') -Session $Sessions -Instance $InstanceRows
        }

        function Get-FingerprintsOf($Fingerprints, $TestHost) {
            @($TestHost.InstancePaths | ForEach-Object { $Fingerprints["$($TestHost.Address) $_"] })
        }
        $script:OldFingerprint = (Get-FingerprintsOf $Before $Fleet.Hosts[0])[0]
        $script:NewFingerprint = (Test-CommerceApiKey -ApiKey $NewKey.ApiKey -PrivateKeyPath $NewKey.PrivateKeyPath).Fingerprint
    }

    It 'checks the new pair once, online, from the management host, before any host stores it' {
        $RotationRequests | Should -HaveCount 1
        $RotationRequests[0].ApiKey | Should -Be $NewKey.ApiKey
        $RotationRequests[0].Path | Should -Be '/merchant-registry/v1/ping'
    }

    It 'reports per host: the first and third changed, the second not, with why for each of its instances' {
        Get-Errors $Rotation | Should -BeNullOrEmpty
        Get-Warnings $Rotation | Should -BeNullOrEmpty
        $results = Get-Objects $Rotation
        @($results | ForEach-Object { "$($_.ComputerName) $($_.Status)" }) | Should -Be @("$($Addresses[0]) Changed", "$($Addresses[1]) NotChanged", "$($Addresses[2]) Changed")
        @($results | ForEach-Object { "$($_.Environment) $($_.Fingerprint)" } | Select-Object -Unique) | Should -Be "Production $NewFingerprint"
        foreach ($result in $results | Where-Object Status -eq 'Changed') {
            $testHost = $Fleet.Hosts | Where-Object Address -eq $result.ComputerName
            @($result.Changed) | Should -Be $testHost.InstancePaths
            @($result.NotChanged) | Should -BeNullOrEmpty
        }
        $failed = $results[1]
        @($failed.Changed) | Should -BeNullOrEmpty
        $failed.NotChanged | Should -HaveCount 2
        $failed.NotChanged[0] | Should -Match "^$([regex]::Escape($FailingHost.InstancePaths[0])): .+ \(DatabaseUnavailable\)$"
        $failed.NotChanged[1] | Should -Match "^$([regex]::Escape($FailingHost.InstancePaths[1])): .+Nothing was changed\. \(ConfigHashNotUpdatable\)$"
    }

    It 'leaves the instances of the host that failed as they were: same files, the old pair' {
        $FailingAfter | Should -Not -BeNullOrEmpty
        $FailingAfter | Should -Be $FailingBefore
        Get-FingerprintsOf $After $FailingHost | Should -Be @($OldFingerprint, $OldFingerprint)
    }

    It 'stores the new pair in every instance of the other hosts' {
        $NewFingerprint | Should -Not -Be $OldFingerprint
        foreach ($testHost in $Fleet.Hosts | Where-Object Name -ne $FailingHost.Name) {
            Get-FingerprintsOf $Before $testHost | Should -Be @($OldFingerprint, $OldFingerprint)
            Get-FingerprintsOf $After $testHost | Should -Be @($NewFingerprint, $NewFingerprint)
        }
    }

    It 'leaves the host that failed disconnected, its old pair refused (R3), and the others connected' {
        foreach ($report in (Get-Objects $ReportsAfter)) {
            if ($report.PSComputerName -eq $FailingHost.Address) {
                $report.IsConnected | Should -BeFalse
                @($report.Failed) | Should -Contain 'ProductionKeyOnline'
            }
            else {
                $report.IsConnected | Should -BeTrue -Because "$($report.PSComputerName) $($report.Instance): $($report.Failed -join ', ')"
            }
        }
        Get-Objects $ReportsAfter | Should -HaveCount 6
    }

    It 'stores it on the host that failed when run again for it, and the whole fleet is connected' {
        Get-Errors $Retry | Should -BeNullOrEmpty
        $results = Get-Objects $Retry
        @($results | ForEach-Object { "$($_.ComputerName) $($_.Status)" }) | Should -Be @("$($FailingHost.Address) Changed", "$($Addresses[2]) Unreachable")
        @($results[1].Changed) | Should -BeNullOrEmpty
        @($results[1].NotChanged) | Should -Be @('the host could not be reached (session Closed)')
        foreach ($testHost in $Fleet.Hosts) {
            Get-FingerprintsOf $Final $testHost | Should -Be @($NewFingerprint, $NewFingerprint)
        }
        $final = Get-Objects $ReportsFinal
        $final | Should -HaveCount 6
        @($final | Where-Object IsConnected) | Should -HaveCount 6
    }
}

Describe 'Applying a desired state on every host over remoting (Set-CommerceServicesState)' {
    BeforeAll {
        # The Portal issues yet another Production pair (the previous one stops, R3). Each host keeps
        # a state file per instance in ~/states, as a configuration repository would put it there:
        # the pair by a secret's name (no key in the file), an IMS organization, the project and the
        # data space each instance has by name.
        $script:NewerKey = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-FLEET' -Environment Production -Directory (Join-Path $TestDrive 'newer')
        Add-KeyPairSecret $NewerKey
        $script:NewerFingerprint = (Test-CommerceApiKey -ApiKey $NewerKey.ApiKey -PrivateKeyPath $NewerKey.PrivateKeyPath).Fingerprint
        $script:Written = Invoke-Recorded 'write the state files on three hosts' {
            Invoke-Command -Session $Sessions -ArgumentList $NewerKey.ApiKey {
                param([string] $ApiKey)
                $states = New-Item -ItemType Directory -Path ~/states -Force
                foreach ($shop in @{ Name = 'shop-a'; Store = 'Database'; DataSpace = 'Testing 1' }, @{ Name = 'shop-b'; Store = 'EnvPhp'; DataSpace = 'Testing 2' }) {
                    Set-Content -LiteralPath (Join-Path $states "$($shop.Name).psd1") -Value @"
@{
    Instance          = '../shops/$($shop.Name)'
    ConfigStore       = '$($shop.Store)'
    Role              = 'Staging'
    ImsOrganizationId = '0123456789ABCDEF01234567@AdobeOrg'
    KeyPairs          = @{ Production = @{ ApiKey = '$ApiKey'; PrivateKeySecret = 'production-private-key' } }
    Project           = 'Storefront $env:USER'
    DataSpace         = '$($shop.DataSpace)'
}
"@
                }
            }
        }
        function Get-FingerprintsOf($Fingerprints, $TestHost) {
            @($TestHost.InstancePaths | ForEach-Object { $Fingerprints["$($TestHost.Address) $_"] })
        }
        $script:NewerPrivateKey = New-TestSecureString (Get-Content -Raw -LiteralPath $NewerKey.PrivateKeyPath)
        $apply = {
            Invoke-Command -Session $Sessions {
                Set-CommerceServicesState -Path ~/states/*.psd1 -Secret @{ 'production-private-key' = $using:NewerPrivateKey } -PassThru
            }
        }
        $script:FirstApply = Invoke-Recorded 'apply the desired state on three hosts' $apply
        $script:SecondApply = Invoke-Recorded 'apply the desired state on three hosts again' $apply
        $script:StateReports = Invoke-Recorded 'test the desired state on three hosts' {
            Invoke-Command -Session $Sessions { Test-CommerceServicesState -Path ~/states/*.psd1 -Secret @{ 'production-private-key' = $using:NewerPrivateKey } }
        }
        $script:AfterState = Get-HostKeyFingerprint
    }

    It 'writes the state files without an error' {
        Get-Errors $Written | Should -BeNullOrEmpty
    }

    It 'changes every instance of every host the first time, the pair and the IMS organization only, each in one write' {
        Get-Errors $FirstApply | Should -BeNullOrEmpty
        $results = @(Get-Objects $FirstApply)
        $results | Should -HaveCount 6
        @($results | Sort-Object PSComputerName, InstancePath | ForEach-Object { '{0} {1} {2}' -f $_.PSComputerName, (Split-Path -Leaf $_.InstancePath), $_.Status }) |
            Should -Be @(foreach ($address in $Addresses) { "$address shop-a Changed"; "$address shop-b Changed" })
        foreach ($result in $results) {
            @($result.Differences.Setting) | Should -Be @('ProductionKeyPair', 'ImsOrganizationId')
        }
        foreach ($testHost in $Fleet.Hosts) {
            Get-FingerprintsOf $AfterState $testHost | Should -Be @($NewerFingerprint, $NewerFingerprint)
        }
    }

    It 'changes nothing the second time, and every instance is then in its desired state' {
        Get-Errors $SecondApply | Should -BeNullOrEmpty
        @(Get-Objects $SecondApply | ForEach-Object { '{0}' -f $_.Status } | Sort-Object -Unique) | Should -Be @('Unchanged')
        @(Get-Objects $SecondApply) | Should -HaveCount 6
        $reports = @(Get-Objects $StateReports)
        $reports | Should -HaveCount 6
        @($reports | Where-Object InDesiredState) | Should -HaveCount 6
        @($reports.PSComputerName | Sort-Object -Unique) | Should -Be ($Addresses | Sort-Object)
    }
}

Describe 'No secret on the hosts or in what the remote calls wrote' {
    BeforeAll {
        # What must not leak (as tests/CommerceServices.Tests/SecretLeakScanTests.cs lists it): every
        # private key's base64 body (less the prefix all RSA PKCS#8 keys share) and API key, every
        # instance's crypt key and every host's database password.
        function New-SecretScan([switch] $KeysOnly, [switch] $ButApiKeys) {
            $scan = [CommerceServices.Tests.SecretFragments]::new()
            foreach ($secret in $KeyPairSecrets) { if (-not ($ButApiKeys -and $secret.Kind -eq 'API key')) { $scan.Add($secret.Kind, $secret.Text) } }
            if (-not $KeysOnly) {
                foreach ($testHost in $Fleet.Hosts) {
                    foreach ($instance in $testHost.Instances) { $scan.Add('crypt key', $instance.CryptKey) }
                    $scan.Add('database password', $testHost.Database.Password)
                }
            }
            $scan
        }
        $scanWatch = [System.Diagnostics.Stopwatch]::StartNew()
        $script:Everything = New-SecretScan
        # env.php and its backups hold the crypt key and the database password as Magento's do; the
        # key pairs only encrypted, so those are still searched for there.
        $script:KeysOnly = New-SecretScan -KeysOnly
        # The desired state files hold the public API key (an identifier the user writes there), never a private key.
        $script:ButApiKeys = New-SecretScan -ButApiKeys

        # The files: everything under each host user's home (instances, backups, the installed module
        # and its packages, caches), the hosts' own folders (sshd configuration and logs, keys), and
        # anything else the host users own under /tmp. Not the copy of pwsh the hosts run, which
        # was copied before any secret existed and which they cannot write.
        $files = @(
            foreach ($testHost in $Fleet.Hosts) {
                Get-ChildItem -LiteralPath $testHost.Home -Recurse -File -Force
                Get-ChildItem -LiteralPath $testHost.Folder -Recurse -File -Force
                & find /tmp -xdev -user $testHost.User -type f 2>$null | ForEach-Object { Get-Item -LiteralPath $_ -Force }
            }
            Get-ChildItem -LiteralPath (Join-Path $Fleet.Folder 'keys') -Recurse -File -Force
        ) | Sort-Object -Property FullName -Unique
        $script:ScannedFiles = $files.Count
        $script:ScannedBytes = ($files | Measure-Object -Property Length -Sum).Sum
        $script:FileLeaks = @(foreach ($file in $files) {
                $envPhp = $file.Directory.FullName -like '*/app/etc' -and ($file.Name -eq 'env.php' -or $file.Name -like 'env.php.commerceservices-*') -and
                    ($Fleet.Hosts.InstancePaths | Where-Object { $file.Directory.FullName -eq "$_/app/etc" })
                $scan = if ($envPhp) { $KeysOnly } elseif ($file.Directory.Name -eq 'states' -and $file.Extension -eq '.psd1') { $ButApiKeys } else { $Everything }
                $found = $scan.Find([System.Text.Encoding]::Latin1.GetString([System.IO.File]::ReadAllBytes($file.FullName)))
                if ($found) { "$($file.FullName): $found" }
            })
        $script:EnvPhpFiles = @($files | Where-Object { $_.Name -like 'env.php*' -and $_.Directory.FullName -like '*/app/etc' })
        $script:DatabaseBackups = @($files | Where-Object { $_.Directory.FullName -like '*/var/commerceservices/backups' })

        # The streams: every record of every remote call, and what the hosts wrote to the sessions' host.
        $script:StreamText = $RemoteText.ToString() + "`n" + $Fleet.SessionHost.Text
        $Timings['secret scan'] = $scanWatch.Elapsed.TotalSeconds
        $script:ScanFigures = '{0} files, {1:N1} MB; {2:N0} characters of {3} remote calls' -f $ScannedFiles, ($ScannedBytes / 1MB), $StreamText.Length, $RemoteCalls
    }

    It 'finds no fragment of a key pair, a crypt key or a database password in any file of the hosts' {
        $ScannedFiles | Should -BeGreaterThan 50
        $ScannedBytes | Should -BeGreaterThan 1MB
        # The files that hold the keys encrypted were scanned too: env.php and its backups, and the database store's backups.
        $EnvPhpFiles.Count | Should -BeGreaterOrEqual 6
        $DatabaseBackups.Count | Should -BeGreaterOrEqual 6
        $FileLeaks | Should -BeNullOrEmpty
    }

    It 'finds none in anything the remote calls wrote, on any stream' {
        $RemoteCalls | Should -BeGreaterThan 10
        # Verbose and debug were on, and reached the scan: the module's own lines too, such as each
        # gateway request it made on a host.
        $Fleet.SessionHost.Text | Should -Match '(?m)^VERBOSE: '
        $Fleet.SessionHost.Text | Should -Match '(?m)^DEBUG: GET http://127\.0\.0\.1:\d+/merchant-registry/v1/ping -> '
        $StreamText.Length | Should -BeGreaterThan 100000
        $Everything.Find($StreamText) | Should -BeNullOrEmpty
    }

    It 'would find a fragment: a planted piece of a private key, in a file and in a stream' {
        $body = @($KeyPairSecrets | Where-Object Kind -eq 'private key')[-1].Text
        $planted = Join-Path $TestDrive 'planted.txt'
        Set-Content -LiteralPath $planted -Value ('x' * 5000 + $body.Substring(700, 12) + 'x' * 5000)
        $Everything.Find('x' * 10012) | Should -BeNullOrEmpty
        $Everything.Find([System.Text.Encoding]::Latin1.GetString([System.IO.File]::ReadAllBytes($planted))) | Should -Match '^a fragment of the private key at \d+: '
        $Everything.Find($StreamText + @($KeyPairSecrets | Where-Object Kind -eq 'API key')[-1].Text.Substring(5, 12)) | Should -Match '^a fragment of the API key at '
    }
}
