<#
  Rotates the Commerce Services key pair of one gateway environment on every instance of a fleet of
  hosts, over PowerShell remoting.

  Generating new keys in the API Portal stops the old pair at once, on every instance that uses it
  (rule R3), so the new pair has to reach all of them together. This script checks the new pair
  once, here, online at the gateway; then every host stores it in its instances at the same time
  (Set-CommerceApiKey -SkipOnlineCheck: the pair was just checked), each instance on its own, so an
  instance or a host that fails is left as it was while the others are written. It reports per host
  what was stored and what was not, and why: run it again for the hosts that failed.

  The private key never reaches a host as text, nor as a file: it goes to each host only as a
  SecureString argument of the remoting call (PowerShell remoting encrypts it with a key of the
  session) and is stored there encrypted with each instance's own crypt key, as Magento stores it.

  Real use, in pwsh 7.4+:
      $sessions = 'web1', 'web2', 'web3' | ForEach-Object { New-PSSession -HostName $_ -UserName deploy -KeyFilePath ~/.ssh/id_ed25519 }
      $key = Get-Secret CommerceProductionKey    # a SecureString, from a vault
      ./examples/Fleet/Set-FleetApiKey.ps1 -Session $sessions -Instance /var/www/shop -ApiKey $newApiKey -PrivateKey $key
      ./examples/Fleet/Set-FleetApiKey.ps1 -Session $sessions -Instance /var/www/shop -ApiKey $newApiKey -PrivateKeyPath ./production.pem

  -Instance names the Magento root folders on every host ('~' is the remote user's home), as paths
  or as rows with Path and ConfigStore (what Import-Csv gives for the list of
  examples/ConnectFromList.ps1). It writes one result per host (a list: the reasons are long):
  ComputerName, Status (Changed, Partly, NotChanged or Unreachable), Environment, Fingerprint (of
  the new pair), Changed (the instances that hold the new pair now) and NotChanged (each instance
  left as it was, with why and the error id).
  It needs sessions to real hosts, so it has no demo mode: tests/Pester/Fleet.Tests.ps1 runs it
  against three SSH hosts on one machine.
#>
[CmdletBinding(DefaultParameterSetName = 'SecureString')]
param(
    # Open sessions to the hosts (New-PSSession, over SSH or WinRM).
    [Parameter(Mandatory)]
    [System.Management.Automation.Runspaces.PSSession[]] $Session,
    # The instances on every host: root folders, or rows with Path (and ConfigStore).
    [Parameter(Mandatory)]
    [object[]] $Instance,
    # The new public API key, as shown in the API Portal.
    [Parameter(Mandatory)]
    [string] $ApiKey,
    # The new private key, as a SecureString (from a vault, or Read-Host -AsSecureString).
    [Parameter(Mandatory, ParameterSetName = 'SecureString')]
    [securestring] $PrivateKey,
    # The new private key file, on this machine: read here into a SecureString, never copied.
    [Parameter(Mandatory, ParameterSetName = 'File')]
    [string] $PrivateKeyPath,
    # The gateway environment of the new pair.
    [ValidateSet('Production', 'Sandbox')]
    [string] $Environment = 'Production',
    # The gateway to check the pair at; without it, Adobe's gateway of -Environment.
    [uri] $GatewayUri
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The module as built in this repository (out/), unless it is imported already (or installed).
if (-not (Get-Module -Name CommerceServices)) {
    $built = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'CommerceServices', 'CommerceServices.psd1')
    if (Test-Path -LiteralPath $built) { Import-Module $built } else { Import-Module CommerceServices }
}

if ($PrivateKeyPath) {
    # Character by character into a SecureString: the key is never one string in this process.
    $PrivateKey = [securestring]::new()
    $reader = [System.IO.StreamReader]::new((Resolve-Path -LiteralPath $PrivateKeyPath).ProviderPath)
    try {
        while (($character = $reader.Read()) -ge 0) { $PrivateKey.AppendChar([char] $character) }
    }
    finally {
        $reader.Dispose()
    }
    $PrivateKey.MakeReadOnly()
}

# 1. The pair, checked once, online: a pair the gateway refuses goes to no host.
$check = @{ ApiKey = $ApiKey; PrivateKey = $PrivateKey; Environment = $Environment; Online = $true }
if ($GatewayUri) { $check.GatewayUri = $GatewayUri }
$checked = Test-CommerceApiKey @check
if (-not $checked.IsValid) {
    throw "The new $Environment key pair was stored nowhere: $(@($checked.Details) -join ' ')"
}
Write-Verbose "The $Environment gateway accepts the new pair $($checked.Fingerprint.Substring(0, 16))...; storing it on $(@($Session).Count) hosts."

# 2. Every host at once: each connects its instances and stores the pair in each on its own.
$opened = @($Session | Where-Object { $_.State -eq 'Opened' })
$results = @(if ($opened) {
        Invoke-Command -Session $opened -ErrorAction SilentlyContinue -ErrorVariable unreachable -ArgumentList $Instance, $ApiKey, $PrivateKey, $Environment -ScriptBlock {
            param([object[]] $Instance, [string] $ApiKey, [securestring] $PrivateKey, [string] $Environment)
            $notChanged = [System.Collections.Generic.List[string]]::new()
            $connected = @($Instance | Connect-CommerceInstance -PassThru -ErrorAction SilentlyContinue -ErrorVariable connectFailed)
            try {
                $stored = @($connected | Set-CommerceApiKey -ApiKey $ApiKey -PrivateKey $PrivateKey -Environment $Environment -SkipOnlineCheck -PassThru -ErrorAction SilentlyContinue -ErrorVariable storeFailed)
                foreach ($failure in @($connectFailed) + @($storeFailed)) {
                    $target = if ($failure.TargetObject -and $failure.TargetObject.PSObject.Properties['Path']) { $failure.TargetObject.Path } else { "$($failure.TargetObject)" }
                    $notChanged.Add(('{0}: {1} ({2})' -f $target, $failure.Exception.Message, $failure.FullyQualifiedErrorId.Split(',')[0]))
                }
                [pscustomobject]@{
                    Changed    = [string[]] @($stored | ForEach-Object { $_.Instance.Path })
                    NotChanged = [string[]] $notChanged
                }
            }
            finally {
                $connected | Disconnect-CommerceInstance
            }
        }
    })

# 3. One result per host, in the order of -Session.
foreach ($hostSession in $Session) {
    $result = $results | Where-Object { $_.RunspaceId -eq $hostSession.InstanceId } | Select-Object -First 1
    if ($result) {
        $changed = @($result.Changed | Where-Object { $_ })
        $notChanged = @($result.NotChanged | Where-Object { $_ })
        $status = if (-not $notChanged) { 'Changed' } elseif ($changed) { 'Partly' } else { 'NotChanged' }
    }
    else {
        # Closed or broken: the host's instances were not touched.
        $why = @($unreachable | Where-Object { $_.OriginInfo -and $_.OriginInfo.RunspaceID -eq $hostSession.InstanceId } | ForEach-Object { $_.Exception.Message })
        $changed = @()
        $notChanged = @("the host could not be reached (session $($hostSession.State))" + $(if ($why) { ': ' + ($why -join ' ') }))
        $status = 'Unreachable'
    }
    [pscustomobject]@{
        ComputerName = $hostSession.ComputerName
        Status       = $status
        Environment  = $Environment
        Fingerprint  = $checked.Fingerprint
        Changed      = [string[]] $changed
        NotChanged   = [string[]] $notChanged
    }
}
