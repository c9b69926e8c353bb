<#
  Tests every Commerce instance on every host of a fleet in one call, over PowerShell remoting: is
  each one connected to Commerce Services, and if not, why. Each host connects its own instances
  and tests them with the CommerceServices module installed there (Install-CommerceServicesOnHosts.ps1),
  all hosts at once; the reports come back here as one list, each with the host it came from
  (PSComputerName), sorted by host and instance, and show as one table; with
  '| Format-Table -View ByHost', one table per host under its heading.

  Real use, in pwsh 7.4+:
      $sessions = 'web1', 'web2', 'web3' | ForEach-Object { New-PSSession -HostName $_ -UserName deploy -KeyFilePath ~/.ssh/id_ed25519 }
      ./examples/Fleet/Test-FleetConnection.ps1 -Session $sessions -Instance /var/www/shop, /var/www/staging
      ./examples/Fleet/Test-FleetConnection.ps1 -Session $sessions -Instance (Import-Csv ./instances.csv) -Offline

  -Instance names the Magento root folders on every host ('~' is the remote user's home), as paths
  or as rows with Path, Role and ConfigStore (what Import-Csv gives for the list of
  examples/ConnectFromList.ps1). A host that cannot be reached, or an instance that cannot be
  connected there, is an error (its OriginInfo names the host); the others are still tested.
  It needs sessions to real hosts, so it has no demo mode: tests/Pester/Fleet.Tests.ps1 runs it
  against three SSH hosts on one machine.
#>
[CmdletBinding()]
param(
    # Open sessions to the hosts (New-PSSession, over SSH or WinRM).
    [Parameter(Mandatory)]
    [System.Management.Automation.Runspaces.PSSession[]] $Session,
    # The instances on every host: root folders, or rows with Path (and Role, ConfigStore).
    [Parameter(Mandatory)]
    [object[]] $Instance,
    # Test without asking the gateway (keys, project and data space are checked as stored).
    [switch] $Offline,
    # How many instances each host tests at the same time.
    [ValidateRange(1, 64)]
    [int] $ThrottleLimit = 8
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# One call for the whole fleet: every host runs this at the same time; the reports, as they come in
# from the hosts, are put in order of host and instance.
Invoke-Command -Session $Session -ErrorAction Continue -ScriptBlock {
    $connected = @($using:Instance | Connect-CommerceInstance -PassThru -ErrorAction Continue)
    try {
        if ($connected) {
            $connected | Test-CommerceConnection -Offline:$using:Offline -ThrottleLimit $using:ThrottleLimit
        }
    }
    finally {
        # The session stays open for the next call: it keeps no instance from this one.
        $connected | Disconnect-CommerceInstance
    }
} | Sort-Object -Property PSComputerName, { $_.Instance.Path }
