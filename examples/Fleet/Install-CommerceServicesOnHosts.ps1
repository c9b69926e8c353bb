<#
  Installs the CommerceServices module on every host of a fleet from its package, over PowerShell
  remoting, as Install-PSResource installs it from a gallery: the .nupkg (and the packages it
  requires) is copied to a folder on each host, registered there as a trusted folder repository,
  and installed for the remote user (Install-PSResource -Scope CurrentUser). Run it again at will:
  a host that has the version already is left as it is (nothing copied, nothing installed), a host
  with an older one gets the new one beside it (the newest is the one Import-Module loads).

  Real use, in pwsh 7.4+, after './build.ps1 -Task Package':
      $sessions = 'web1', 'web2', 'web3' | ForEach-Object { New-PSSession -HostName $_ -UserName deploy -KeyFilePath ~/.ssh/id_ed25519 }
      ./examples/Fleet/Install-CommerceServicesOnHosts.ps1 -Session $sessions -PackagePath ./out/CommerceServices.0.1.0.nupkg

  It writes one result per host: ComputerName, Action (Installed, Updated, UpToDate or
  NewerInstalled), Version (of -Name, now the newest there), PreviousVersion and Copied (the package
  files copied this time). A host that fails is an error of its own; the other hosts go on.
  It needs sessions to real hosts, so it has no demo mode: tests/Pester/Fleet.Tests.ps1 runs it
  against three SSH hosts on one machine.
#>
[CmdletBinding()]
param(
    # Open sessions to the hosts (New-PSSession, over SSH or WinRM).
    [Parameter(Mandatory)]
    [System.Management.Automation.Runspaces.PSSession[]] $Session,
    # The module's .nupkg, or a folder holding it (the newest version there is taken); the packages
    # it requires are taken from the same folder. Without it: this repository's out/ folder.
    [string] $PackagePath = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out'),
    # The module to install.
    [string] $Name = 'CommerceServices',
    # The folder on each host that keeps the packages, as a folder repository ('~' is the remote user's home).
    [string] $RemoteFolder = '~/.local/share/CommerceServices/packages',
    # The name of that repository on each host.
    [string] $RepositoryName = 'CommerceServicesFleet'
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Add-Type -AssemblyName System.IO.Compression.FileSystem

function Get-PackageInfo([string] $File) {
    # The id, version and dependencies a .nupkg declares in its .nuspec.
    $zip = [System.IO.Compression.ZipFile]::OpenRead($File)
    try {
        $entry = $zip.Entries | Where-Object { $_.FullName -notmatch '/' -and $_.Name -like '*.nuspec' } | Select-Object -First 1
        if (-not $entry) { throw "$File is not a NuGet package: it has no .nuspec." }
        $reader = [System.IO.StreamReader]::new($entry.Open())
        try { $nuspec = [xml] $reader.ReadToEnd() } finally { $reader.Dispose() }
    }
    finally {
        $zip.Dispose()
    }
    $metadata = $nuspec.package.metadata
    [pscustomobject]@{
        Id           = $metadata.id
        Version      = [System.Management.Automation.SemanticVersion] $metadata.version
        Dependencies = @($nuspec.SelectNodes("//*[local-name()='dependency']") | ForEach-Object { $_.id })
        File         = (Resolve-Path -LiteralPath $File).Path
    }
}

function Find-Package([string] $Folder, [string] $Id) {
    # The newest package of $Id in $Folder.
    $found = Get-ChildItem -LiteralPath $Folder -Filter '*.nupkg' -File |
        Where-Object { $_.Name -match "^$([regex]::Escape($Id))\.\d" } |
        ForEach-Object { Get-PackageInfo $_.FullName } |
        Where-Object { $_.Id -eq $Id } |
        Sort-Object -Property Version -Descending | Select-Object -First 1
    if (-not $found) { throw "No package of $Id in $Folder." }
    $found
}

# The package and the ones it requires, all from the same folder.
if (Test-Path -LiteralPath $PackagePath -PathType Container) {
    $main = Find-Package $PackagePath $Name
}
else {
    $main = Get-PackageInfo $PackagePath
    if ($main.Id -ne $Name) { throw "$PackagePath is a package of $($main.Id), not of $Name." }
}
$folder = [System.IO.Path]::GetDirectoryName($main.File)
$packages = [System.Collections.Generic.List[object]]::new()
$packages.Add($main)
for ($i = 0; $i -lt $packages.Count; $i++) {
    foreach ($dependency in $packages[$i].Dependencies) {
        if ($dependency -notin $packages.Id) { $packages.Add((Find-Package $folder $dependency)) }
    }
}
$hashes = @{}
foreach ($package in $packages) {
    $hashes[[System.IO.Path]::GetFileName($package.File)] = (Get-FileHash -LiteralPath $package.File -Algorithm SHA256).Hash
}

# 1. Every host at once: the folder there, and the package files it has already (by hash).
$failed = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
$remote = @{}
Invoke-Command -Session $Session -ErrorAction SilentlyContinue -ErrorVariable lookFailed -ArgumentList $RemoteFolder, @($hashes.Keys) -ScriptBlock {
    param([string] $Folder, [string[]] $Files)
    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Folder)
    $null = New-Item -ItemType Directory -Path $full -Force
    $existing = @{}
    foreach ($file in $Files) {
        $path = Join-Path $full $file
        if (Test-Path -LiteralPath $path) { $existing[$file] = (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash }
    }
    [pscustomobject]@{ Folder = $full; Hashes = $existing }
} | ForEach-Object { $remote[$_.RunspaceId] = $_ }
$lookFailed | ForEach-Object { $failed.Add($_) }

# 2. Each host on its own: the package files it lacks (or holds different), copied there.
$copied = @{}
foreach ($hostSession in $Session | Where-Object { $remote.ContainsKey($_.InstanceId) }) {
    $target = $remote[$hostSession.InstanceId]
    try {
        $copied[$hostSession.InstanceId] = [string[]] @(foreach ($package in $packages) {
                $file = [System.IO.Path]::GetFileName($package.File)
                if ($target.Hashes[$file] -ne $hashes[$file]) {
                    Copy-Item -LiteralPath $package.File -Destination "$($target.Folder)/$file" -ToSession $hostSession
                    $file
                }
            })
    }
    catch {
        $failed.Add($_)
    }
}

# 3. Every host at once: the folder as a trusted repository, then the module for the remote user,
# unless it has this version or a newer one already.
$ready = @($Session | Where-Object { $copied.ContainsKey($_.InstanceId) })
$results = @{}
if ($ready) {
    Invoke-Command -Session $ready -ErrorAction SilentlyContinue -ErrorVariable installFailed -ArgumentList $RemoteFolder, $RepositoryName, $Name, "$($main.Version)" -ScriptBlock {
        param([string] $Folder, [string] $Repository, [string] $Name, [string] $Version)
        $ErrorActionPreference = 'Stop'
        $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Folder)
        $registered = Get-PSResourceRepository -Name $Repository -ErrorAction SilentlyContinue
        if (-not $registered) {
            Register-PSResourceRepository -Name $Repository -Uri $full -Trusted
        }
        elseif ($registered.Uri.LocalPath.TrimEnd('/') -ne $full.TrimEnd('/') -or -not $registered.Trusted) {
            Set-PSResourceRepository -Name $Repository -Uri $full -Trusted
        }

        function Get-Newest {
            Get-InstalledPSResource -Name $Name -Scope CurrentUser -ErrorAction SilentlyContinue |
                ForEach-Object { [System.Management.Automation.SemanticVersion] ("$($_.Version)" + $(if ($_.Prerelease) { "-$($_.Prerelease)" })) } |
                Sort-Object -Descending | Select-Object -First 1
        }
        $wanted = [System.Management.Automation.SemanticVersion] $Version
        $before = Get-Newest
        $action = if ($null -eq $before) { 'Installed' } elseif ($before -lt $wanted) { 'Updated' } elseif ($before -eq $wanted) { 'UpToDate' } else { 'NewerInstalled' }
        if ($action -in 'Installed', 'Updated') {
            Install-PSResource -Name $Name -Version $Version -Repository $Repository -Scope CurrentUser -TrustRepository -Quiet
        }
        [pscustomobject]@{ Version = "$(Get-Newest)"; Action = $action; PreviousVersion = if ($before) { "$before" } }
    } | ForEach-Object { $results[$_.RunspaceId] = $_ }
    $installFailed | ForEach-Object { $failed.Add($_) }
}

# One result per host, in the order of -Session (shown as a table of all but Copied); a host that
# failed is an error of its own.
$shown = [System.Management.Automation.PSPropertySet]::new('DefaultDisplayPropertySet', [string[]] ('ComputerName', 'Action', 'Version', 'PreviousVersion'))
foreach ($hostSession in $Session) {
    $result = $results[$hostSession.InstanceId]
    if ($result) {
        [pscustomobject]@{
            ComputerName    = $hostSession.ComputerName
            Action          = $result.Action
            Version         = $result.Version
            PreviousVersion = $result.PreviousVersion
            Copied          = $copied[$hostSession.InstanceId]
        } | Add-Member -MemberType MemberSet -Name PSStandardMembers -Value ([System.Management.Automation.PSMemberInfo[]] @($shown)) -PassThru
    }
    else {
        $why = @($failed | Where-Object { $_.PSObject.Properties['OriginInfo'] -and $_.OriginInfo -and $_.OriginInfo.RunspaceID -eq $hostSession.InstanceId } | ForEach-Object { $_.Exception.Message })
        if (-not $why) { $why = @($failed | Where-Object { -not ($_.PSObject.Properties['OriginInfo'] -and $_.OriginInfo) } | ForEach-Object { $_.Exception.Message }) }
        Write-Error -Message "$Name was not installed on $($hostSession.ComputerName) (session $($hostSession.State)): $($why -join ' ')" -ErrorId 'HostInstallFailed' -Category NotInstalled -TargetObject $hostSession.ComputerName -ErrorAction Continue
    }
}
