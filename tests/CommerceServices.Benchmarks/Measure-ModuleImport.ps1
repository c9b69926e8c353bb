<#
  What importing CommerceServices costs a user: the wall time of a new pwsh process that imports the
  built module ('pwsh -NoProfile -c "Import-Module ..."') minus that of one that does nothing
  ('pwsh -NoProfile -c $null'), each the median of -Runs, the two interleaved so that the machine's
  drift hits both alike. A benchmark, not a test: it prints figures and asserts nothing.

      dotnet pwsh -NoProfile -File tests/CommerceServices.Benchmarks/Measure-ModuleImport.ps1 [-Runs 10]

  It runs the pwsh it is started with, and imports out/CommerceServices (build first: ./build.ps1).
#>
param(
    [ValidateRange(1, 1000)]
    [int] $Runs = 10,
    [string] $Manifest = (Join-Path $PSScriptRoot '../../out/CommerceServices/CommerceServices.psd1')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Manifest = (Resolve-Path -LiteralPath $Manifest).Path

# The pwsh .NET tool runs as 'dotnet pwsh.dll'; an installed pwsh is its own executable.
$pwsh = @([Environment]::ProcessPath)
if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh[0]) -eq 'dotnet') {
    $pwsh += Join-Path $PSHOME 'pwsh.dll'
}

function Measure-Pwsh([string] $Command) {
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Command)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $null = & $pwsh[0] @arguments
    $watch.Stop()
    if ($LASTEXITCODE -ne 0) { throw "pwsh -c '$Command' failed with exit code $LASTEXITCODE." }
    $watch.Elapsed.TotalMilliseconds
}

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

$import = "Import-Module '$($Manifest -replace "'", "''")'"
$null = Measure-Pwsh '$null'   # warm the file cache for both
$null = Measure-Pwsh $import
$bare = [System.Collections.Generic.List[double]]::new()
$withModule = [System.Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt $Runs; $i++) {
    $bare.Add((Measure-Pwsh '$null'))
    $withModule.Add((Measure-Pwsh $import))
}

$bareMedian = Get-Median $bare
$moduleMedian = Get-Median $withModule
'pwsh {0}, {1} interleaved runs each' -f $PSVersionTable.PSVersion, $Runs
"pwsh -NoProfile -c '`$null'                 median {0,7:F0} ms (min {1:F0}, max {2:F0})" -f $bareMedian, ($bare | Measure-Object -Minimum).Minimum, ($bare | Measure-Object -Maximum).Maximum
"pwsh -NoProfile -c 'Import-Module ...'      median {0,7:F0} ms (min {1:F0}, max {2:F0})" -f $moduleMedian, ($withModule | Measure-Object -Minimum).Minimum, ($withModule | Measure-Object -Maximum).Maximum
'Cold import of CommerceServices:            {0,7:F0} ms' -f ($moduleMedian - $bareMedian)
