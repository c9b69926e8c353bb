# Shared setup for the Pester tests: import the built module (out/CommerceServices), never an
# installed copy. Build first: ./build.ps1 (or dotnet build CommerceServicesPS.sln -c Release).
$script:RepositoryRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = Join-Path $script:RepositoryRoot 'out/CommerceServices/CommerceServices.psd1'
$script:EmulatorManifest = Join-Path $script:RepositoryRoot 'out/CommerceServices.Emulator/CommerceServices.Emulator.psd1'
if (-not (Test-Path -LiteralPath $script:ModuleManifest)) {
    throw "The module is not built: $script:ModuleManifest is missing. Run './build.ps1' first."
}
Import-Module -Name $script:ModuleManifest -Force -ErrorAction Stop
# The demo instances of the examples (New-DemoInstance, Initialize-DemoInstance), as the examples use them.
. (Join-Path $script:RepositoryRoot 'examples/Support/DemoFleet.ps1')

function New-TestSecureString([string] $Text) {
    # Test-only: real scripts get the key from a vault, Read-Host -AsSecureString or a file.
    ConvertTo-SecureString -String $Text -AsPlainText -Force
}

function Get-TestKeyFingerprint([System.Security.Cryptography.RSA] $Rsa) {
    [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($Rsa.ExportSubjectPublicKeyInfo())).ToLowerInvariant()
}

function New-TestInstance {
    <#
      Writes a sample Magento root folder, $TestDrive/<Name>, and returns its path; with -ConfigStore,
      connects it (with -Role when given) and returns the connected instance, which then holds -Keys
      when given (Set-CommerceApiKey).

      Without -Emulator, the files a reader sees: env.php with a crypt key, the database (-DbHost,
      -TablePrefix; '' leaves the prefix out) and MAGE_MODE (-MageMode; '' leaves it out), install/date
      with -Installed, and the system/default values of -EnvPhpSystem (PHP source); config.php with the
      connector's modules; composer.lock of -Package 2.4.7-p3.
      With -Emulator, the demo instance of the examples (New-DemoInstance): a crypt key of its own and
      the emulator's gateways locked in env.php, installed on -DbHost when given, else not installed.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Files')]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [string] $DbHost,
        [Parameter(ParameterSetName = 'Files')] [string] $Package = 'magento/product-enterprise-edition',
        [Parameter(ParameterSetName = 'Files')] [AllowEmptyString()] [string] $TablePrefix = 'mg_',
        [Parameter(ParameterSetName = 'Files')] [AllowEmptyString()] [string] $MageMode = 'production',
        [Parameter(ParameterSetName = 'Files')] [switch] $Installed,
        [Parameter(ParameterSetName = 'Files')] [string] $EnvPhpSystem,
        [Parameter(Mandatory, ParameterSetName = 'Demo')] $Emulator,
        [ValidateSet('Database', 'EnvPhp')] [string] $ConfigStore,
        [string] $Role,
        [object[]] $Keys
    )

    $root = Join-Path $TestDrive $Name
    if ($PSCmdlet.ParameterSetName -eq 'Demo') {
        $demo = @{ Path = $root; Emulator = $Emulator }
        if ($DbHost) { $demo.DatabaseHost = $DbHost }
        $null = New-DemoInstance @demo
    }
    else {
        if (-not $PSBoundParameters.ContainsKey('DbHost')) { $DbHost = 'db.internal:3307' }
        $etc = New-Item -ItemType Directory -Path (Join-Path $root 'app/etc') -Force
        Set-Content -Path (Join-Path $etc 'config.php') -Value "<?php`nreturn ['modules' => ['Magento_ServicesConnector' => 1, 'Magento_ServicesId' => 1]];"
        $prefix = if ($TablePrefix) { "'table_prefix' => '$TablePrefix', " } else { '' }
        $settings = @(
            "    'crypt' => ['key' => 'base64AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=']"
            "    'db' => [$($prefix)'connection' => ['default' => ['host' => '$DbHost', 'dbname' => 'magento', 'username' => 'magento', 'password' => 'DbSecret']]]"
            if ($MageMode) { "    'MAGE_MODE' => '$MageMode'" }
            if ($Installed) { "    'install' => ['date' => 'Mon, 02 Sep 2024 10:11:12 +0000']" }
            if ($EnvPhpSystem) { "    'system' => ['default' => [$EnvPhpSystem]]" }
        )
        Set-Content -Path (Join-Path $etc 'env.php') -Value "<?php`nreturn [`n$($settings -join ",`n")`n];"
        Set-Content -Path (Join-Path $root 'composer.lock') -Value "{`"packages`": [{`"name`": `"$Package`", `"version`": `"2.4.7-p3`"}]}"
    }
    if (-not $ConfigStore) {
        return $root
    }

    $connect = @{ Path = $root; ConfigStore = $ConfigStore; PassThru = $true }
    if ($Role) { $connect.Role = $Role }
    $instance = Connect-CommerceInstance @connect
    if ($Keys) {
        $Keys | Set-CommerceApiKey -Instance $instance
    }
    $instance
}

function Get-EnvPhp($Instance) {
    # The text of app/etc/env.php of an instance: a connected one, or the path of its root folder.
    $root = if ($Instance -is [string]) { $Instance } else { $Instance.Path }
    Get-Content -Raw -LiteralPath (Join-Path $root 'app/etc/env.php')
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
