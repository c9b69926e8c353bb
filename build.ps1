<#
.SYNOPSIS
    Builds, tests and packages the CommerceServices module (for pwsh users).

.DESCRIPTION
    Build    compiles the solution; the ready-to-import module lands in out/CommerceServices.
    Test     builds, runs the xunit suites (core and in-process engine tests), then the Pester
             tests in tests/Pester in a fresh pwsh process when Pester 5 is installed.
    Package  builds in Release and writes out/CommerceServices.<version>.nupkg and
             out/CommerceServices.Emulator.<version>.nupkg with PSResourceGet
             (Publish-PSResource) to a local file repository.

    On a machine without pwsh, 'bash tests/run.sh' runs the same xunit suites (see README.md).

.EXAMPLE
    ./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$moduleFolder = Join-Path $root 'out/CommerceServices'

function Invoke-Native {
    param([string] $Command, [string[]] $Arguments)
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Invoke-BuildTask {
    Invoke-Native dotnet @('build', (Join-Path $root 'CommerceServicesPS.sln'), '-c', $Configuration, '-nologo')
    Write-Host "Module: $moduleFolder"
}

function Invoke-TestTask {
    Invoke-BuildTask
    foreach ($project in Get-ChildItem -Path (Join-Path $root 'tests') -Filter '*.Tests.csproj' -Recurse) {
        Invoke-Native dotnet @('test', $project.FullName, '-c', $Configuration, '--no-build', '-nologo')
    }

    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version.Major -ge 5 } | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed; skipping tests/Pester. Install it with: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser'
        return
    }

    # A fresh process, so the DLLs are not locked in this session and no stale copy is imported.
    $pesterScript = "Import-Module Pester -MinimumVersion 5.0; `$c = New-PesterConfiguration; `$c.Run.Path = '$(Join-Path $root 'tests/Pester')'; `$c.Run.Exit = `$true; `$c.Output.Verbosity = 'Detailed'; Invoke-Pester -Configuration `$c"
    $shell = (Get-Process -Id $PID).Path
    Invoke-Native $shell @('-NoProfile', '-NonInteractive', '-Command', $pesterScript)
}

function Invoke-PackageTask {
    $script:Configuration = 'Release'
    Invoke-BuildTask
    $repository = Join-Path $root 'out/repository'
    $null = New-Item -ItemType Directory -Path $repository -Force
    $name = 'CommerceServicesLocalBuild'
    if (-not (Get-PSResourceRepository -Name $name -ErrorAction SilentlyContinue)) {
        Register-PSResourceRepository -Name $name -Uri $repository -Trusted
    }
    try {
        Publish-PSResource -Path $moduleFolder -Repository $name
        Publish-PSResource -Path (Join-Path $root 'out/CommerceServices.Emulator') -Repository $name
        Get-ChildItem -Path $repository -Filter 'CommerceServices*.nupkg' | Move-Item -Destination (Join-Path $root 'out') -Force -PassThru
    }
    finally {
        Unregister-PSResourceRepository -Name $name
    }
}

foreach ($step in $Task) {
    & "Invoke-$($step)Task"
}
