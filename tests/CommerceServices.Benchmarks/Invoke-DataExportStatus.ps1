<#
  The status read the data-export benchmark times (DataExportStatusBenchmark.cs), as a user runs it:
  connect every instance under -Root, then Get-CommerceDataExportStatus over all of them with
  -ThrottleLimit, -Runs times, the statuses counted (not printed). Only the status call is timed, not
  the import or the connects. Prints one line of JSON: the seconds of each run, how many statuses it
  gave and in which states, and the process's peak resident memory (VmHWM) after the connects and at
  the end, with its CPU time.
#>
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [int] $ThrottleLimit,
    [int] $Runs = 3
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Get-PeakResident {
    # Linux: the high-water mark of the resident set, in bytes.
    $line = Get-Content -LiteralPath '/proc/self/status' | Where-Object { $_ -like 'VmHWM:*' }
    [long] (($line -split '\s+')[1]) * 1024
}

$watch = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module $Module
$import = $watch.Elapsed.TotalSeconds
$watch.Restart()
$instances = @(Get-ChildItem -LiteralPath $Root -Directory | ForEach-Object { Connect-CommerceInstance $_.FullName -PassThru })
$connect = $watch.Elapsed.TotalSeconds
$afterConnect = Get-PeakResident

$seconds = @()
$counts = @()
$states = $null
for ($run = 1; $run -le $Runs; $run++) {
    $watch.Restart()
    $statuses = $instances | Get-CommerceDataExportStatus -ThrottleLimit $ThrottleLimit | Measure-Object
    $seconds += $watch.Elapsed.TotalSeconds
    $counts += $statuses.Count
}

# Once more, outside the timing, to show what the statuses say (the seeded mix should read Failing and Behind).
$states = [ordered]@{}
$instances | Select-Object -First 1 | Get-CommerceDataExportStatus | ForEach-Object { $states[$_.Feed] = [string] $_.State }

$process = [System.Diagnostics.Process]::GetCurrentProcess()
[ordered]@{
    instances          = $instances.Count
    importSeconds      = [Math]::Round($import, 2)
    connectSeconds     = [Math]::Round($connect, 2)
    seconds            = $seconds
    counts             = $counts
    firstInstance      = $states
    peakAfterConnect   = $afterConnect
    peakResident       = Get-PeakResident
    cpuSeconds         = [Math]::Round($process.TotalProcessorTime.TotalSeconds, 1)
} | ConvertTo-Json -Compress
