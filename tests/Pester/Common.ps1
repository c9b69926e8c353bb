# Shared setup for the Pester tests: import the built module (out/CommerceServices), never an
# installed copy. Build first: ./build.ps1 (or dotnet build CommerceServicesPS.sln -c Release).
$script:RepositoryRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = Join-Path $script:RepositoryRoot 'out/CommerceServices/CommerceServices.psd1'
$script:EmulatorManifest = Join-Path $script:RepositoryRoot 'out/CommerceServices.Emulator/CommerceServices.Emulator.psd1'
if (-not (Test-Path -LiteralPath $script:ModuleManifest)) {
    throw "The module is not built: $script:ModuleManifest is missing. Run './build.ps1' first."
}
Import-Module -Name $script:ModuleManifest -Force -ErrorAction Stop

function New-TestSecureString([string] $Text) {
    # Test-only: real scripts get the key from a vault, Read-Host -AsSecureString or a file.
    ConvertTo-SecureString -String $Text -AsPlainText -Force
}

function Get-TestKeyFingerprint([System.Security.Cryptography.RSA] $Rsa) {
    [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($Rsa.ExportSubjectPublicKeyInfo())).ToLowerInvariant()
}

function Invoke-Pwsh {
    <#
      Runs the pwsh that runs these tests in a new process, as a user starts it, and returns its
      exit code and what it wrote (colour sequences removed): Output (stdout), Errors (stderr) and
      Text (both). -Environment sets variables of the new process; a $null value removes one. A
      process still running after -TimeoutSeconds is killed with its children, and that is an error
      that shows what it wrote.
    #>
    param(
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $script:RepositoryRoot,
        [int] $TimeoutSeconds = 300
    )

    # The pwsh .NET tool runs as 'dotnet pwsh.dll'; an installed pwsh is its own executable.
    $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    if ([System.IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
        $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll'))
    }
    foreach ($argument in $ArgumentList) {
        $start.ArgumentList.Add($argument)
    }
    $start.WorkingDirectory = $WorkingDirectory
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $null = $start.Environment.Remove($name) } else { $start.Environment[$name] = [string] $Environment[$name] }
    }

    $process = [System.Diagnostics.Process]::Start($start)
    try {
        $errors = $process.StandardError.ReadToEndAsync()
        $output = $process.StandardOutput.ReadToEndAsync()
        $ansi = '\x1b\[[0-9;?]*[A-Za-z]'
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            $process.WaitForExit()
            throw "pwsh $($ArgumentList -join ' ') did not end within $TimeoutSeconds s and was stopped. It wrote:`n" + (($output.Result + $errors.Result) -replace $ansi)
        }
        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Output   = $output.Result -replace $ansi
            Errors   = $errors.Result -replace $ansi
            Text     = ($output.Result + $errors.Result) -replace $ansi
        }
    }
    finally {
        $process.Dispose()
    }
}
