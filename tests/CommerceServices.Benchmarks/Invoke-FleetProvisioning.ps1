<#
  The fleet run the 1,000-instance benchmark times: what a provisioning script does to connect a
  fleet of Magento instances to Commerce Services, written as a user would write it. The driver
  (FleetBenchmark.cs) prepares the instances, the database and the gateway, then runs this file in a
  new pwsh process and times the process from start to exit.

  Connects every instance under -Root, stores both key pairs in each (one pipeline each, checked
  online once, eight instances written at a time), creates a SaaS project per instance and chooses
  its Testing data space, then tests every instance. Fails (exit 1) unless every instance ends
  connected. Prints one line of JSON: the seconds of each step, the CPU seconds (and how much of it
  the JIT took, for how many methods) and the peak working set of this process.
#>
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [string] $ProductionApiKey,
    [Parameter(Mandatory)] [string] $ProductionKeyPath,
    [Parameter(Mandatory)] [string] $SandboxApiKey,
    [Parameter(Mandatory)] [string] $SandboxKeyPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$steps = [ordered]@{}
$watch = [System.Diagnostics.Stopwatch]::StartNew()
function Step([string] $Name) {
    $steps[$Name] = [Math]::Round($watch.Elapsed.TotalSeconds, 2)
    $watch.Restart()
}

Import-Module $Module
Step 'import'

$instances = Get-ChildItem -LiteralPath $Root -Directory | Connect-CommerceInstance -PassThru
Step 'connect'

$production = Import-CommerceApiKey -ApiKey $ProductionApiKey -PrivateKeyPath $ProductionKeyPath -Environment Production
$sandbox = Import-CommerceApiKey -ApiKey $SandboxApiKey -PrivateKeyPath $SandboxKeyPath -Environment Sandbox
$instances | Set-CommerceApiKey -ApiKey $production -ThrottleLimit 8
$instances | Set-CommerceApiKey -ApiKey $sandbox -ThrottleLimit 8
Step 'storeKeys'

$projects = foreach ($instance in $instances) {
    New-SaasProject -Name $instance.Name -Instance $instance
}
Step 'createProjects'

for ($i = 0; $i -lt $instances.Count; $i++) {
    $projects[$i].DataSpaces | Where-Object Type -EQ 'Testing' | Select-Object -First 1 |
        Set-CommerceDataSpace -Instance $instances[$i] -Confirm:$false
}
Step 'chooseDataSpaces'

$reports = $instances | Test-CommerceConnection
Step 'test'

$notConnected = @($reports | Where-Object { -not $_.IsConnected })
if ($reports.Count -ne $instances.Count -or $notConnected.Count -gt 0) {
    $notConnected | Select-Object -First 3 | ForEach-Object { $_.Checks | Where-Object Status -EQ 'Fail' | Out-String | Write-Host }
    throw "$($notConnected.Count) of $($instances.Count) instances are not connected ($($reports.Count) reports)."
}

$process = [System.Diagnostics.Process]::GetCurrentProcess()
[ordered]@{
    instances      = $instances.Count
    steps          = $steps
    cpuSeconds     = [Math]::Round($process.TotalProcessorTime.TotalSeconds, 1)
    jitSeconds     = [Math]::Round([System.Runtime.JitInfo]::GetCompilationTime().TotalSeconds, 1)
    jitMethods     = [System.Runtime.JitInfo]::GetCompiledMethodCount()
    peakWorkingSet = $process.PeakWorkingSet64
} | ConvertTo-Json -Compress
