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
    dotnet pwsh ./build.ps1 -Task Package

    Packages with Compress-PSResource, which pwsh 7.5 and later bring (PSResourceGet 1.1).
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
$tasksDone = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)

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

    # One closing line over every suite. A suite that stops before it has counted its failures (a
    # crashed test host, a runner that cannot start) counts as one failure more; a test that did
    # not run (skipped, not executed) counts as failed too: this run runs every test.
    $passed = 0
    $failed = 0
    foreach ($project in Get-ChildItem -Path (Join-Path $root 'tests') -Filter '*.Tests.csproj' -Recurse) {
        $trx = Join-Path $results "$($project.BaseName).trx"
        & dotnet test $project.FullName -c $Configuration --no-build -nologo `
            --logger "trx;LogFileName=$($project.BaseName).trx" --logger 'console;verbosity=minimal' --results-directory $results
        $exitCode = $LASTEXITCODE
        $counted = 0
        if (Test-Path -LiteralPath $trx) {
            $summary = ([xml](Get-Content -Raw -LiteralPath $trx)).TestRun.ResultSummary
            $passed += [int] $summary.Counters.passed
            $counted = [int] $summary.Counters.failed + [int] $summary.Counters.notExecuted
            if ($summary.outcome -ne 'Completed' -and $counted -eq 0 -and $exitCode -eq 0) { $counted = 1 }
        }
        if ($exitCode -ne 0 -and $counted -eq 0) {
            Write-Host "$($project.BaseName) ended with exit code $exitCode before its results counted a failure."
            $counted = 1
        }
        $failed += $counted
    }

    # Pester, pinned by tests/Pester/Pester.csproj, in a fresh pwsh: no module this session holds is reused.
    $pester = & dotnet msbuild (Join-Path $root 'tests/Pester/Pester.csproj') -getProperty:PesterManifest
    if ($LASTEXITCODE -ne 0 -or -not $pester -or -not (Test-Path -LiteralPath $pester)) {
        Write-Host "Pester is not restored ($pester): run 'dotnet restore tests/Pester/Pester.csproj'."
        $failed += 1
    }
    else {
        $pwsh = @(Get-PwshCommand)
        $pwshArguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File',
            (Join-Path $root 'tests/Pester/Invoke-PesterSuite.ps1'), '-PesterManifest', $pester, '-ResultDirectory', $results)
        & $pwsh[0] @pwshArguments
        $exitCode = $LASTEXITCODE
        $pesterSummary = Join-Path $results 'Pester.summary.json'
        $counted = 0
        if (Test-Path -LiteralPath $pesterSummary) {
            $summary = Get-Content -Raw -LiteralPath $pesterSummary | ConvertFrom-Json
            $passed += $summary.Passed
            $counted = $summary.Failed
        }
        if ($exitCode -ne 0 -and $counted -eq 0) {
            Write-Host "The Pester suite ended with exit code $exitCode before its summary counted a failure."
            $counted = 1
        }
        $failed += $counted
    }

    Write-Host "tests: $passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) {
        exit 1
    }
}

foreach ($step in $Task) {
    Invoke-Task $step
}
exit 0
