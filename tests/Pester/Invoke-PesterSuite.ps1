<#
  Runs every *.Tests.ps1 of this folder with the given Pester, as 'build.ps1 -Task Test' does in a
  fresh pwsh, and writes its results to -ResultDirectory: Pester.xml (NUnit) and
  Pester.summary.json, whose counts are the ones the closing "tests: N passed, N failed" line adds.
  A file that fails to run, a block whose setup or teardown fails without a failed test, a file
  without any test, and a test that is skipped or not run each count as a failure, never as zero
  tests. Exit code 0 only when nothing failed.

      dotnet pwsh tests/Pester/Invoke-PesterSuite.ps1 -PesterManifest (dotnet msbuild tests/Pester/Pester.csproj -getProperty:PesterManifest)
#>
param(
    # Pester.psd1 of the pinned Pester (tests/Pester/Pester.csproj).
    [Parameter(Mandatory)] [string] $PesterManifest,
    [string] $ResultDirectory = (Join-Path $PSScriptRoot '../../out/TestResults')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

Import-Module -Name $PesterManifest
$null = New-Item -ItemType Directory -Path $ResultDirectory -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
if ([Console]::IsOutputRedirected) {
    # A log, not a terminal: no colour sequences from Pester or from pwsh's own warnings.
    $configuration.Output.RenderMode = 'Plaintext'
    $PSStyle.OutputRendering = 'PlainText'
}
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = Join-Path $ResultDirectory 'Pester.xml'

# The test files run with pwsh's defaults, as 'Invoke-Pester tests/Pester' runs them, not with
# this script's strict mode and error preference.
$result = & {
    Set-StrictMode -Off
    $ErrorActionPreference = 'Continue'
    Invoke-Pester -Configuration $configuration
}

# What failed without a failed test to show for it: a file that did not run, a block whose setup or
# teardown failed after its tests passed; and a file without a test, or a test that did not run.
$failedWithoutTest = @(@($result.FailedContainers) + @($result.FailedBlocks) | Where-Object { $_.FailedCount -eq 0 })
$withoutTests = @($result.Containers | Where-Object { $_.Result -ne 'Failed' -and $_.TotalCount -eq 0 })
foreach ($container in $withoutTests) {
    Write-Host "[-] $($container.Item) ran no test."
}
$notRun = $result.SkippedCount + $result.NotRunCount + $result.InconclusiveCount
if ($notRun) {
    Write-Host "[-] $notRun tests were skipped or not run; this suite runs every test, so they count as failed."
}
$summary = [ordered]@{
    Passed            = $result.PassedCount
    Failed            = $result.FailedCount + $failedWithoutTest.Count + $withoutTests.Count + $notRun
    FailedTests       = $result.FailedCount
    FailedWithoutTest = $failedWithoutTest.Count
    WithoutTests      = $withoutTests.Count
    NotRun            = $notRun
    Duration          = $result.Duration.TotalSeconds
}
$summary | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $ResultDirectory 'Pester.summary.json')
exit ([int] ($summary.Failed -gt 0))
