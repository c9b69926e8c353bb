<#
  One command of the 'reads' benchmark (DatabaseReadsBenchmark.cs), run in a new pwsh as a user runs
  it: imports the module, connects every instance under -Root (sorted by folder name; the first is
  $instance, all of them $instances), imports the key pairs ($production, $sandbox), then runs
  -Command. It talks to the module only through its cmdlets.

  With -Handshake the driver turns MariaDB's general query log on and off around two stretches: this
  script writes 'cs-bench: start' and waits for a line on stdin, imports the module and connects the
  instances (the first stretch), writes 'cs-bench: ready' and waits, runs the command (the second),
  writes 'cs-bench: done' and waits once more before it exits (so that the pooled connections it
  leaves open are closed only after the log is off).

  Ends with one line of JSON: how many objects the command wrote, and how many of them say
  IsConnected = true (for Test-CommerceConnection). Fails (exit 1) on any error.
#>
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [string] $ProductionApiKey,
    [Parameter(Mandatory)] [string] $ProductionKeyPath,
    [Parameter(Mandatory)] [string] $SandboxApiKey,
    [Parameter(Mandatory)] [string] $SandboxKeyPath,
    [Parameter(Mandatory)] [string] $Command,
    [switch] $Handshake
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
function Handshake([string] $Marker) {
    if ($Handshake) {
        [Console]::Out.WriteLine("cs-bench: $Marker")
        [Console]::Out.Flush()
        $null = [Console]::In.ReadLine()
    }
}

Handshake 'start'

Import-Module $Module
$instances = @(Get-ChildItem -LiteralPath $Root -Directory | Sort-Object Name | Connect-CommerceInstance -PassThru)
$instance = $instances[0]
$production = Import-CommerceApiKey -ApiKey $ProductionApiKey -PrivateKeyPath $ProductionKeyPath -Environment Production
$sandbox = Import-CommerceApiKey -ApiKey $SandboxApiKey -PrivateKeyPath $SandboxKeyPath -Environment Sandbox
$block = [scriptblock]::Create($Command)

Handshake 'ready'

$output = @(. $block)

Handshake 'done'

$connected = @($output | Where-Object { $null -ne $_ -and $_.PSObject.Properties['IsConnected'] -and $_.IsConnected }).Count
[ordered]@{ instances = $instances.Count; outputs = $output.Count; connected = $connected } | ConvertTo-Json -Compress
