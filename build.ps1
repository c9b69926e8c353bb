<#
.SYNOPSIS
    Builds, packages and tests the CommerceServices modules.

.DESCRIPTION
    Build    compiles the solution; the ready-to-import modules land in out/CommerceServices and
             out/CommerceServices.Emulator.
    Package  builds, then writes out/CommerceServices.<version>.nupkg and
             out/CommerceServices.Emulator.<version>.nupkg with PSResourceGet (Compress-PSResource):
             the packages a gallery would serve, installable with Install-PSResource.
    Test     builds and packages, runs the xunit suites (core, emulator, in-process engine), then
             the Pester suite in tests/Pester in a fresh pwsh (it also runs every example and
             installs the packages as from a gallery), and ends with one line:
             "tests: N passed, N failed". Results are in out/TestResults.

    Each task runs at most once per call, however many tasks need it.

    The repository pins its tools: pwsh 7.6.9 in .config/dotnet-tools.json ('dotnet tool restore',
    then 'dotnet pwsh ./build.ps1'), and Pester 5.9.1 in tests/Pester/Pester.csproj, restored from
    NuGet with the solution. The xunit suites need PHP CLI (openssl, sodium) and MariaDB, which
    tests/run.sh installs on Debian.

.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build, Package, Test

.EXAMPLE
    ./build.ps1 -Task Package -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Package', 'Test')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$modules = 'CommerceServices', 'CommerceServices.Emulator'
$tasksDone = [System.Collections.Generic.HashSet[string]]::new()

function Invoke-Native {
    param([string] $Command, [string[]] $Arguments)
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Invoke-Task([string] $Name) {
    if ($tasksDone.Add($Name)) {
        & "Invoke-$($Name)Task"
    }
}

function Invoke-BuildTask {
    Invoke-Native dotnet @('build', (Join-Path $root 'CommerceServicesPS.sln'), '-c', $Configuration, '-nologo', '-v', 'quiet', '-clp:NoSummary')
    foreach ($module in $modules) {
        Write-Host "Module: $(Join-Path $out $module)"
    }
}

function Invoke-PackageTask {
    Invoke-Task Build
    foreach ($module in $modules) {
        Get-ChildItem -Path $out -Filter "$module.*.nupkg" | Where-Object { $_.Name -match "^$([regex]::Escape($module))\.\d" } | Remove-Item
        Compress-PSResource -Path (Join-Path $out $module) -DestinationPath $out
    }
    Get-ChildItem -Path $out -Filter '*.nupkg' | ForEach-Object { Write-Host "Package: $($_.FullName)" }
}

function Get-PwshCommand {
    # The pwsh running this script: its own executable, or 'dotnet pwsh.dll' for the .NET tool.
    $process = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return $process, (Join-Path $PSHOME 'pwsh.dll')
    }
    return , $process
}

function Invoke-TestTask {
    Invoke-Task Build
    Invoke-Task Package
    $results = Join-Path $out 'TestResults'
    Remove-Item -Path $results -Recurse -Force -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Path $results
    $runFailed = $false

    foreach ($project in Get-ChildItem -Path (Join-Path $root 'tests') -Filter '*.Tests.csproj' -Recurse) {
        & dotnet test $project.FullName -c $Configuration --no-build -nologo `
            --logger "trx;LogFileName=$($project.BaseName).trx" --logger 'console;verbosity=minimal' --results-directory $results
        $runFailed = $runFailed -or $LASTEXITCODE -ne 0
    }

    # Pester, pinned by tests/Pester/Pester.csproj, in a fresh pwsh: no module this session holds is reused.
    $pester = & dotnet msbuild (Join-Path $root 'tests/Pester/Pester.csproj') -getProperty:PesterManifest
    if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $pester)) {
        throw "Pester is not restored ($pester); run 'dotnet restore tests/Pester/Pester.csproj'."
    }
    $pwsh = @(Get-PwshCommand)
    $pwshArguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File',
        (Join-Path $root 'tests/Pester/Invoke-PesterSuite.ps1'), '-PesterManifest', $pester, '-ResultDirectory', $results)
    & $pwsh[0] @pwshArguments
    $runFailed = $runFailed -or $LASTEXITCODE -ne 0

    # One closing line over every suite: xunit's trx counters and Pester's summary.
    $passed = 0
    $failed = 0
    foreach ($trx in Get-ChildItem -Path $results -Filter '*.trx') {
        $counters = ([xml](Get-Content -Raw -LiteralPath $trx.FullName)).TestRun.ResultSummary.Counters
        $passed += [int] $counters.passed
        $failed += [int] $counters.failed
    }
    $pesterSummary = Join-Path $results 'Pester.summary.json'
    if (Test-Path -LiteralPath $pesterSummary) {
        $summary = Get-Content -Raw -LiteralPath $pesterSummary | ConvertFrom-Json
        $passed += $summary.Passed
        $failed += $summary.Failed
    }
    else {
        Write-Host 'The Pester suite wrote no summary: it did not run to the end.'
        $failed += 1
    }

    Write-Host "tests: $passed passed, $failed failed"
    if ($runFailed -or $failed -gt 0 -or $passed -eq 0) {
        exit 1
    }
}

foreach ($step in $Task) {
    Invoke-Task $step
}
exit 0
