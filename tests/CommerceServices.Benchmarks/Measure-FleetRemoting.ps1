<#
  The 'remoting' benchmark (RemotingBenchmark.cs): testing and key rotation over PowerShell remoting
  over SSH, -Hosts hosts x -InstancesPerHost instances, against the same number of instances on one
  host, in this pwsh. Figures, never assertions: it fails only when the setup fails.

  Remoting: the private SSH hosts of the fleet tests (tests/Pester/TestSshHosts.ps1: users cs-web1..3
  on 127.0.0.2..4, their own sshd and MariaDB, the instances in ~/shops, every other one keeping its
  connector settings in env.php), the module installed on them from its .nupkg by
  examples/Fleet/Install-CommerceServicesOnHosts.ps1, and the gateway emulator in this pwsh. Every
  instance gets both key pairs, a SaaS project of its own and that project's first Testing data space
  (not timed). Then, timed, as a sysadmin runs them from the management host:
    test         examples/Fleet/Test-FleetConnection.ps1 over every session (each host connects and
                 tests its instances), online with -ThrottleLimit 8 (its default) and 1, and -Offline
    rotation     examples/Fleet/Set-FleetApiKey.ps1: a new Production pair checked once online here,
                 then stored with -SkipOnlineCheck on every host (one instance at a time per host);
                 the emulator issues a new pair before each run (not timed)
  Local: the same number of instances on one private MariaDB (a database each), with the same
  folders, stores and provisioning, driven here without remoting: Connect-CommerceInstance |
  Test-CommerceConnection (-ThrottleLimit 8 and 1, and -Offline), and the rotation as the example
  does it (Test-CommerceApiKey -Online once, then Connect-CommerceInstance | Set-CommerceApiKey
  -SkipOnlineCheck, -ThrottleLimit 1 and 8). Each timed call connects and disconnects the instances,
  as the examples do. Each is run -Runs times; the table shows the median (and the range). Before
  them, the first test call of each side is timed once on its own ('first call': the test's code runs
  for the first time in the hosts' sessions, and in this pwsh). Warnings the local calls write (a
  changed env.php) are kept, not shown: over remoting they go to the sessions' host.

  The two fleets are two accounts of the emulator (MAGE-REMOTE, MAGE-LOCAL), so rotating one pair
  never stops the other fleet's. The SSH hosts are stopped before the local part. Needs root and
  OpenSSH, as the fleet tests do, and the module built and packaged (./build.ps1 -Task Build, Package).
  Everything it starts is stopped, and everything it writes removed, whatever happens.
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 200)] [int] $InstancesPerHost = 20,
    [ValidateRange(1, 3)] [int] $Hosts = 3,
    [ValidateRange(1, 20)] [int] $Runs = 3,
    # The module's package; without it, out/CommerceServices.<version>.nupkg of this repository.
    [string] $PackagePath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$total = [System.Diagnostics.Stopwatch]::StartNew()

# This file runs from tests/CommerceServices.Benchmarks or from the benchmarks' bin folder: the repository is above either.
$root = $PSScriptRoot
while ($root -and -not (Test-Path -LiteralPath (Join-Path $root 'CommerceServicesPS.sln'))) { $root = Split-Path -Parent $root }
if (-not $root) { throw "No CommerceServicesPS.sln above $PSScriptRoot." }
. (Join-Path $root 'tests/Pester/Common.ps1')
. (Join-Path $root 'tests/Pester/TestSshHosts.ps1')
Import-Module -Name $EmulatorManifest -Force

$version = (Import-PowerShellDataFile -Path (Join-Path $RepositoryRoot 'CommerceServices.psd1')).ModuleVersion
if (-not $PackagePath) { $PackagePath = Join-Path $RepositoryRoot "out/CommerceServices.$version.nupkg" }
if (-not (Test-Path -LiteralPath $PackagePath)) { throw "The package $PackagePath is missing: run './build.ps1 -Task Build, Package' first." }
$examples = Join-Path $RepositoryRoot 'examples/Fleet'
$count = $Hosts * $InstancesPerHost
$names = @(1..$InstancesPerHost | ForEach-Object { 'shop-{0:D2}' -f $_ })
$stores = 'Database', 'EnvPhp'

function Write-Line([string] $Text = '') { [Console]::Out.WriteLine($Text); [Console]::Out.Flush() }
function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $middle = [Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}
function Get-Load { (Get-Content -LiteralPath /proc/loadavg -Raw).Split(' ')[0..2] -join ' ' }

# What was timed: per operation and side, the seconds of each run and what each run left (connected reports, stored instances).
$timings = [ordered]@{}
function Add-Timing([string] $Operation, [string] $Side, [double] $Seconds, [int] $Done) {
    if (-not $timings.Contains($Operation)) { $timings[$Operation] = @{} }
    if (-not $timings[$Operation].ContainsKey($Side)) { $timings[$Operation][$Side] = [System.Collections.Generic.List[object]]::new() }
    $timings[$Operation][$Side].Add([pscustomobject]@{ Seconds = $Seconds; Done = $Done })
}
# What a call wrote, less its error and warning records.
function Get-Reports($Records) {
    @($Records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.WarningRecord] })
}
$setup = [ordered]@{}
$notes = [System.Collections.Generic.List[string]]::new()
function Add-Errors([string] $What, $Records) {
    $errors = @($Records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    if ($errors) {
        $where = if ($errors[0].PSObject.Properties['OriginInfo'] -and $errors[0].OriginInfo) { " ($($errors[0].OriginInfo.PSComputerName))" } else { '' }
        $notes.Add("$What`: $($errors.Count) errors, the first$where`: $($errors[0])")
    }
}

# The feed tables are written again a second after the data spaces are chosen (as the export's cron
# does for a new data space): else the check DataExportDataSpace says the data space lacks the catalog.
function Update-Feeds($Instances) {
    Start-Sleep -Seconds 1
    foreach ($group in $Instances | Group-Object { $_.Server.Socket }) {
        $sql = $ExportUtc + (@(foreach ($instance in $group.Group) {
                    foreach ($feed in $TestExportFeeds) { "UPDATE $($instance.Database).$($instance.Prefix)$($feed.Table) SET modified_at = UTC_TIMESTAMP();" }
                }) -join '')
        $null = $group.Group[0].Server.Sql($sql)
    }
}

$emulator = $null
$fleet = $null
$localDb = $null
$work = Join-Path ([System.IO.Path]::GetTempPath()) ('cs-bench-remoting-' + [guid]::NewGuid().ToString('n').Substring(0, 12))
try {
    $null = New-Item -ItemType Directory -Path $work
    Write-Line ("Remoting: test and key rotation over $Hosts hosts x $InstancesPerHost instances (PowerShell remoting over SSH) against the same $count instances on one host; " +
        "$Runs runs each; $([Environment]::ProcessorCount) cores; pwsh $($PSVersionTable.PSVersion); load average $(Get-Load)")

    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $emulator = Start-CommerceServicesEmulator
    $remoteKeys = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId 'MAGE-REMOTE' -Edition AdobeCommerce -Environment Production, Sandbox -Directory (Join-Path $work 'keys-remote')
    $localKeys = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId 'MAGE-LOCAL' -Edition AdobeCommerce -Environment Production, Sandbox -Directory (Join-Path $work 'keys-local')
    $setup['emulator and key pairs'] = $watch.Elapsed.TotalSeconds

    # ---- Remoting ----------------------------------------------------------------------------
    $fleet = Start-TestSshHosts -Emulator $emulator -Count $Hosts -InstanceName $names
    $setup["$Hosts hosts (users, MariaDB, $count instances, sshd, sessions)"] = $fleet.StartSeconds
    $sessions = @($fleet.Hosts.Session)
    $rows = @(for ($n = 0; $n -lt $names.Count; $n++) { [pscustomobject]@{ Path = "~/shops/$($names[$n])"; ConfigStore = $stores[$n % 2] } })

    $watch.Restart()
    $installed = @(& (Join-Path $examples 'Install-CommerceServicesOnHosts.ps1') -Session $sessions -PackagePath $PackagePath 2>&1)
    Add-Errors 'install' $installed
    $setup["install the module from the .nupkg on $Hosts hosts"] = $watch.Elapsed.TotalSeconds

    # Provisioned over the sessions as Fleet.Tests.ps1 does it, each instance with a project of its own.
    $watch.Restart()
    $secure = { param($Path) New-TestSecureString (Get-Content -Raw -LiteralPath $Path) }
    $provisioned = @(Invoke-Command -Session $sessions -ArgumentList $rows, $remoteKeys[0].ApiKey, (& $secure $remoteKeys[0].PrivateKeyPath), $remoteKeys[1].ApiKey, (& $secure $remoteKeys[1].PrivateKeyPath) {
            param([object[]] $Instance, [string] $ProductionApiKey, [securestring] $ProductionKey, [string] $SandboxApiKey, [securestring] $SandboxKey)
            $ErrorActionPreference = 'Stop'
            $connected = @($Instance | Connect-CommerceInstance -PassThru)
            try {
                $connected | Set-CommerceApiKey -ApiKey $ProductionApiKey -PrivateKey $ProductionKey -Environment Production -ThrottleLimit 8
                $connected | Set-CommerceApiKey -ApiKey $SandboxApiKey -PrivateKey $SandboxKey -Environment Sandbox -ThrottleLimit 8
                foreach ($one in $connected) {
                    $project = New-SaasProject -Instance $one -Name "Storefront $env:USER $($one.Name)"
                    $project | Get-SaasDataSpace -Type Testing | Sort-Object -Property Name | Select-Object -First 1 | Set-CommerceDataSpace -Instance $one -Confirm:$false
                }
                $connected.Count
            }
            finally { $connected | Disconnect-CommerceInstance }
        } 2>&1)
    Add-Errors 'remote provisioning' $provisioned
    Update-Feeds @($fleet.Hosts.Instances)
    $setup["provision $count instances over the sessions"] = $watch.Elapsed.TotalSeconds

    # The first test call of the sessions, timed on its own: the module is loaded on the hosts
    # (provisioning used it) but the test's code runs there for the first time.
    $watch.Restart()
    $records = @(& (Join-Path $examples 'Test-FleetConnection.ps1') -Session $sessions -Instance $rows 2>&1)
    $seconds = $watch.Elapsed.TotalSeconds
    Add-Errors 'first test call (remoting)' $records
    Add-Timing 'test online, first call' 'remote' $seconds @(Get-Reports $records | Where-Object IsConnected).Count

    $hostTimes = @{}
    foreach ($case in @(
            @{ Operation = 'test online, 8 at a time'; Arguments = @{ ThrottleLimit = 8 } }
            @{ Operation = 'test online, 1 at a time'; Arguments = @{ ThrottleLimit = 1 } }
            @{ Operation = 'test -Offline, 8 at a time'; Arguments = @{ ThrottleLimit = 8; Offline = $true } })) {
        $arguments = $case.Arguments
        for ($run = 1; $run -le $Runs; $run++) {
            $arrived = @{}
            $watch.Restart()
            $records = @(& (Join-Path $examples 'Test-FleetConnection.ps1') -Session $sessions -Instance $rows @arguments 2>&1 |
                    ForEach-Object { if ($_.PSObject.Properties['PSComputerName']) { $arrived[$_.PSComputerName] = $watch.Elapsed.TotalSeconds }; $_ })
            $seconds = $watch.Elapsed.TotalSeconds
            Add-Errors "$($case.Operation) (remoting, run $run)" $records
            $connected = @(Get-Reports $records | Where-Object IsConnected).Count
            Add-Timing $case.Operation 'remote' $seconds $connected
            foreach ($address in $arrived.Keys) {
                $key = "$($case.Operation)|$address"
                if (-not $hostTimes.ContainsKey($key)) { $hostTimes[$key] = [System.Collections.Generic.List[double]]::new() }
                $hostTimes[$key].Add($arrived[$address])
            }
        }
    }

    for ($run = 1; $run -le $Runs; $run++) {
        # Someone generates new Production keys in the API Portal (not timed); the fleet gets them.
        $newKey = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId 'MAGE-REMOTE' -Environment Production -Directory (Join-Path $work "keys-remote-$run")
        $watch.Restart()
        $records = @(& (Join-Path $examples 'Set-FleetApiKey.ps1') -Session $sessions -Instance $rows -ApiKey $newKey.ApiKey -PrivateKeyPath $newKey.PrivateKeyPath -GatewayUri $emulator.ProductionUri 2>&1)
        $seconds = $watch.Elapsed.TotalSeconds
        Add-Errors "rotation (remoting, run $run)" $records
        $stored = (@(Get-Reports $records | ForEach-Object { @($_.Changed).Count }) | Measure-Object -Sum).Sum
        Add-Timing 'key rotation, 1 at a time' 'remote' $seconds $stored
    }
    # Not timed: every instance connected with the last pair.
    $after = @(& (Join-Path $examples 'Test-FleetConnection.ps1') -Session $sessions -Instance $rows 2>&1)
    Add-Errors 'test after the rotations (remoting)' $after
    $remoteAfter = @(Get-Reports $after | Where-Object IsConnected).Count
    $sessionSeconds = @($fleet.Hosts | ForEach-Object { '{0} {1:F2} s' -f $_.Name, $_.SessionSeconds })
    $hostNames = @{}
    foreach ($testHost in $fleet.Hosts) { $hostNames[$testHost.Address] = $testHost.Name }

    $watch.Restart()
    Stop-TestSshHosts -Fleet $fleet
    $fleet = $null
    $setup["stop the $Hosts hosts"] = $watch.Elapsed.TotalSeconds

    # ---- Local -------------------------------------------------------------------------------
    $watch.Restart()
    $localDb = Start-TestMariaDb
    $shops = Join-Path $work 'shops'
    $null = New-Item -ItemType Directory -Path $shops
    $localInstances = [System.Collections.Generic.List[object]]::new()
    $localRows = [System.Collections.Generic.List[object]]::new()
    for ($h = 1; $h -le $Hosts; $h++) {
        for ($n = 0; $n -lt $names.Count; $n++) {
            $name = "web$h-$($names[$n])"
            $localInstances.Add((New-TestExportInstance -Server $localDb -Name $name -Emulator $emulator -Directory $shops))
            $localRows.Add([pscustomobject]@{ Path = Join-Path $shops $name; ConfigStore = $stores[$n % 2] })
        }
    }
    $setup["local MariaDB and $count instances"] = $watch.Elapsed.TotalSeconds

    $watch.Restart()
    $connected = @($localRows | Connect-CommerceInstance -PassThru)
    try {
        $connected | Set-CommerceApiKey -ApiKey $localKeys[0].ApiKey -PrivateKey (& $secure $localKeys[0].PrivateKeyPath) -Environment Production -ThrottleLimit 8 -WarningAction SilentlyContinue
        $connected | Set-CommerceApiKey -ApiKey $localKeys[1].ApiKey -PrivateKey (& $secure $localKeys[1].PrivateKeyPath) -Environment Sandbox -ThrottleLimit 8 -WarningAction SilentlyContinue
        foreach ($one in $connected) {
            $project = New-SaasProject -Instance $one -Name "Storefront local $($one.Name)"
            $project | Get-SaasDataSpace -Type Testing | Sort-Object -Property Name | Select-Object -First 1 | Set-CommerceDataSpace -Instance $one -Confirm:$false -WarningAction SilentlyContinue
        }
    }
    finally { $connected | Disconnect-CommerceInstance }
    Update-Feeds $localInstances
    $setup["provision $count instances locally"] = $watch.Elapsed.TotalSeconds

    # Warnings (a changed env.php and OPcache) are kept, not shown: over remoting they go to the sessions' host.
    $localTest = {
        param([hashtable] $Arguments)
        $instances = @($localRows | Connect-CommerceInstance -PassThru -ErrorAction Continue)
        try { if ($instances) { $instances | Test-CommerceConnection @Arguments } }
        finally { $instances | Disconnect-CommerceInstance }
    }
    $watch.Restart()
    $records = @(& $localTest @{} 2>&1 3>&1)
    $seconds = $watch.Elapsed.TotalSeconds
    Add-Errors 'first test call (local)' $records
    Add-Timing 'test online, first call' 'local' $seconds @(Get-Reports $records | Where-Object IsConnected).Count

    foreach ($case in @(
            @{ Operation = 'test online, 8 at a time'; Arguments = @{ ThrottleLimit = 8 } }
            @{ Operation = 'test online, 1 at a time'; Arguments = @{ ThrottleLimit = 1 } }
            @{ Operation = 'test -Offline, 8 at a time'; Arguments = @{ ThrottleLimit = 8; Offline = $true } })) {
        for ($run = 1; $run -le $Runs; $run++) {
            $watch.Restart()
            $records = @(& $localTest $case.Arguments 2>&1 3>&1)
            $seconds = $watch.Elapsed.TotalSeconds
            Add-Errors "$($case.Operation) (local, run $run)" $records
            Add-Timing $case.Operation 'local' $seconds @(Get-Reports $records | Where-Object IsConnected).Count
        }
    }

    foreach ($throttle in 1, 8) {
        for ($run = 1; $run -le $Runs; $run++) {
            $newKey = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId 'MAGE-LOCAL' -Environment Production -Directory (Join-Path $work "keys-local-$throttle-$run")
            $watch.Restart()
            $records = @(& {
                    # As Set-FleetApiKey.ps1 does it: the key read into a SecureString, the pair checked once online, then stored without asking again.
                    $privateKey = [securestring]::new()
                    $reader = [System.IO.StreamReader]::new($newKey.PrivateKeyPath)
                    try { while (($character = $reader.Read()) -ge 0) { $privateKey.AppendChar([char] $character) } } finally { $reader.Dispose() }
                    $privateKey.MakeReadOnly()
                    $checked = Test-CommerceApiKey -ApiKey $newKey.ApiKey -PrivateKey $privateKey -Environment Production -Online -GatewayUri $emulator.ProductionUri
                    if (-not $checked.IsValid) { throw "The new pair was refused: $(@($checked.Details) -join ' ')" }
                    $instances = @($localRows | Connect-CommerceInstance -PassThru -ErrorAction Continue)
                    try { $instances | Set-CommerceApiKey -ApiKey $newKey.ApiKey -PrivateKey $privateKey -Environment Production -SkipOnlineCheck -PassThru -ThrottleLimit $throttle -ErrorAction Continue }
                    finally { $instances | Disconnect-CommerceInstance }
                } 2>&1 3>&1)
            $seconds = $watch.Elapsed.TotalSeconds
            Add-Errors "rotation (local, -ThrottleLimit $throttle, run $run)" $records
            Add-Timing "key rotation, $throttle at a time" 'local' $seconds @(Get-Reports $records).Count
        }
    }
    $instances = @($localRows | Connect-CommerceInstance -PassThru)
    try { $localAfter = @($instances | Test-CommerceConnection | Where-Object IsConnected).Count }
    finally { $instances | Disconnect-CommerceInstance }

    # ---- The figures ---------------------------------------------------------------------------
    Write-Line
    $format = '  {0,-28} | {1,-26} | {2,-26} | {3,6}'
    Write-Line ($format -f 'operation', "$Hosts x $InstancesPerHost remoting: median s", "$count local: median s", 'ratio')
    Write-Line ($format -f '', '(range) inst/s done', '(range) inst/s done', 'rem/loc')
    Write-Line ('  ' + ('-' * 28) + '-+-' + ('-' * 26) + '-+-' + ('-' * 26) + '-+-' + ('-' * 7))
    foreach ($operation in $timings.Keys) {
        $cells = foreach ($side in 'remote', 'local') {
            $measured = $timings[$operation][$side]
            if (-not $measured) { [pscustomobject]@{ Text = '-'; Median = $null }; continue }
            $seconds = [double[]] @($measured.Seconds)
            $median = Get-Median $seconds
            $done = @($measured.Done | Sort-Object -Unique)
            [pscustomobject]@{
                Text   = '{0,6:F2} ({1:F2}-{2:F2}) {3,5:F1} {4}' -f $median, ($seconds | Measure-Object -Minimum).Minimum, ($seconds | Measure-Object -Maximum).Maximum, ($count / $median), ($done -join '/')
                Median = $median
            }
        }
        $ratio = if ($cells[0].Median -and $cells[1].Median) { '{0:F2}' -f ($cells[0].Median / $cells[1].Median) } else { '-' }
        Write-Line ($format -f $operation, $cells[0].Text, $cells[1].Text, $ratio)
    }
    Write-Line "  done: connected reports (test) or instances that hold the new pair (rotation), per run, of $count."
    Write-Line "  remoting rotation: examples/Fleet/Set-FleetApiKey.ps1 (one online check here, Set-CommerceApiKey -SkipOnlineCheck on each host, one instance at a time there)."
    Write-Line
    Write-Line '  last report in, per host (median s into the remoting call; per host, as the reports arrived here):'
    foreach ($operation in $timings.Keys) {
        $perHost = @(foreach ($address in ($hostNames.Keys | Sort-Object)) {
                if ($hostTimes.ContainsKey("$operation|$address")) { '{0} {1:F2}' -f $hostNames[$address], (Get-Median ([double[]] $hostTimes["$operation|$address"])) }
            })
        if ($perHost) { Write-Line "    $operation`: $($perHost -join ', ')" }
    }
    Write-Line "  sessions opened (New-PSSession over SSH, one at a time): $($sessionSeconds -join ', ')"
    Write-Line "  connected after the rotations (not timed): remoting $remoteAfter of $count, local $localAfter of $count"
    Write-Line "  setup (s): $(@($setup.GetEnumerator() | ForEach-Object { '{0} {1:F1}' -f $_.Key, $_.Value }) -join '; ')"
    foreach ($note in $notes) { Write-Line "  note: $note" }
}
finally {
    $failures = [System.Collections.Generic.List[string]]::new()
    if ($fleet) { try { Stop-TestSshHosts -Fleet $fleet } catch { $failures.Add("hosts: $_") } }
    if ($localDb) { try { Stop-TestMariaDb -Server $localDb } catch { $failures.Add("local MariaDB: $_") } }
    if ($emulator) { try { Stop-CommerceServicesEmulator -Emulator $emulator } catch { $failures.Add("emulator: $_") } }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
    Write-Line ("  whole benchmark {0:F1} s; load average at the end {1}" -f $total.Elapsed.TotalSeconds, (Get-Load))
    if ($failures.Count) { Write-Error "Cleaning up: $($failures -join '; ')" }
}
