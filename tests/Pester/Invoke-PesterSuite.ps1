<#
  Runs every *.Tests.ps1 of this folder with the given Pester, as 'build.ps1 -Task Test' does in a
  fresh pwsh, and writes its results to -ResultDirectory: Pester.xml (NUnit) and
  Pester.summary.json, whose counts are the ones the closing "tests: N passed, N failed" line adds.
  A file that fails to run, a block whose setup fails and a file without any test each count as one
  more failure, never as zero tests. Exit code 0 only when nothing failed.

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

$result = Invoke-Pester -Configuration $configuration

$withoutTests = @($result.Containers | Where-Object { $_.Result -ne 'Failed' -and $_.TotalCount -eq 0 })
foreach ($container in $withoutTests) {
    Write-Host "[-] $($container.Item) ran no test."
}
$summary = [ordered]@{
    Passed           = $result.PassedCount
    Failed           = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount + $withoutTests.Count
    FailedTests      = $result.FailedCount
    FailedBlocks     = $result.FailedBlocksCount
    FailedContainers = $result.FailedContainersCount
    WithoutTests     = $withoutTests.Count
    Skipped          = $result.SkippedCount
    NotRun           = $result.NotRunCount
    Duration         = $result.Duration.TotalSeconds
}
$summary | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $ResultDirectory 'Pester.summary.json')
exit ([int] ($summary.Failed -gt 0))
