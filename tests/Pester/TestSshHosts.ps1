# Three private SSH hosts on this machine for the fleet tests (tests/Pester/Fleet.Tests.ps1), reached
# with real PowerShell remoting over SSH. Dot-source it after Common.ps1; it needs root (it creates
# users and starts sshd) and OpenSSH (tests/run.sh installs openssh-server and openssh-client).
#
# Each host is an sshd of its own on a loopback address of its own (127.0.0.2, .3, .4, so every
# result carries a PSComputerName of its own), on a free port, with a host key of its own, letting
# in one user of its own (cs-web1, cs-web2, cs-web3) with one client key, and running the pwsh that
# runs these tests as its 'powershell' subsystem. Each host has a private MariaDB and Commerce
# instances in its user's home, owned by that user. Everything else lives in one folder under /tmp
# (755: the host users run the pwsh copy and the subsystem wrapper there) that is deleted at the end.
# One fleet at a time on a machine: a lock file (/tmp/cs-fleet-hosts.lock) is held from start to stop.

$script:TestSshHostComment = 'CommerceServices fleet test host'
$script:TestSshHostLockPath = '/tmp/cs-fleet-hosts.lock'

# The client host of the sessions and the leak scan (see their summaries), compiled once per process.
if (-not ('CommerceServices.Tests.CaptureHost' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace CommerceServices.Tests
{
    /// <summary>
    /// The client host of the test sessions: what the hosts write to it (verbose, debug, warning,
    /// information, progress and Write-Host lines of remote commands, which PowerShell remoting
    /// shows on the host of the session, not on any stream a caller can redirect) is kept as text.
    /// It cannot prompt: a remote command that asks fails.
    /// </summary>
    public sealed class CaptureHost : PSHost
    {
        private readonly CaptureHostUserInterface ui = new CaptureHostUserInterface();
        public override string Name => "CommerceServicesTestCaptureHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public string Text => ui.Text;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    public sealed class CaptureHostUserInterface : PSHostUserInterface
    {
        private readonly StringBuilder text = new StringBuilder();
        public string Text { get { lock (text) return text.ToString(); } }
        private void Add(string kind, string value) { lock (text) text.Append(kind).Append(value).Append('\n'); }
        public override PSHostRawUserInterface RawUI => null;
        public override string ReadLine() => throw new NotSupportedException("no input in tests");
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("no input in tests");
        public override void Write(string value) => Add("", value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Add("", value);
        public override void WriteLine(string value) => Add("", value);
        public override void WriteErrorLine(string value) => Add("ERROR: ", value);
        public override void WriteDebugLine(string message) => Add("DEBUG: ", message);
        public override void WriteVerboseLine(string message) => Add("VERBOSE: ", message);
        public override void WriteWarningLine(string message) => Add("WARNING: ", message);
        public override void WriteInformation(InformationRecord record) => Add("INFORMATION: ", record.ToString());
        public override void WriteProgress(long sourceId, ProgressRecord record) => Add("PROGRESS: ", record.Activity + " " + record.StatusDescription + " " + record.CurrentOperation);
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException("no input in tests");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException("no input in tests");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException("no input in tests");
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw new NotSupportedException("no input in tests");
    }

    /// <summary>
    /// The fleet's leak scan, as tests/CommerceServices.Tests/Support/SecretScan.cs searches: any run
    /// of <see cref="Length"/> characters of a secret, anywhere in a text. Add the secrets (each with
    /// its kind), then Find in each text.
    /// </summary>
    public sealed class SecretFragments
    {
        public const int Length = 12;
        private readonly Dictionary<string, string> fragments = new Dictionary<string, string>(StringComparer.Ordinal);

        public int Count => fragments.Count;

        public void Add(string kind, string secret)
        {
            for (int i = 0; i + Length <= secret.Length; i++)
            {
                fragments.TryAdd(secret.Substring(i, Length), kind);
            }
        }

        /// <summary>Null when no fragment is in the text; else the kind of secret and the text around the first one.</summary>
        public string Find(string text)
        {
            Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup = fragments.GetAlternateLookup<ReadOnlySpan<char>>();
            for (int at = 0; at + Length <= text.Length; at++)
            {
                if (lookup.TryGetValue(text.AsSpan(at, Length), out string kind))
                {
                    int from = Math.Max(0, at - 60);
                    return "a fragment of the " + kind + " at " + at + ": " + text.Substring(from, Math.Min(text.Length - from, 120 + Length));
                }
            }

            return null;
        }
    }
}
'@
}

function Get-TestProcessDescendant([int] $ProcessId) {
    # The ids of every process below $ProcessId (children first, then theirs), from /proc.
    $children = foreach ($status in Get-ChildItem -Path '/proc/[0-9]*/status' -ErrorAction Ignore) {
        $parent = Select-String -LiteralPath $status.FullName -Pattern '^PPid:\s+(\d+)' -ErrorAction Ignore
        if ($parent -and [int] $parent.Matches[0].Groups[1].Value -eq $ProcessId) { [int] $status.Directory.Name }
    }
    foreach ($child in $children) {
        $child
        Get-TestProcessDescendant $child
    }
}

function Stop-TestProcessById([int[]] $Id) {
    # Ends the given processes (by id, as recorded): TERM, up to 5 s, then KILL.
    $alive = @($Id | Where-Object { Test-Path -LiteralPath "/proc/$_" })
    if (-not $alive) { return }
    $null = & /bin/kill -TERM @alive 2>&1
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while ($watch.Elapsed.TotalSeconds -lt 5) {
        # A zombie (State Z) has ended: its parent only has not reaped it yet.
        $alive = @($alive | Where-Object { (Get-Content -LiteralPath "/proc/$_/status" -ErrorAction Ignore) -match '^State:\s+[^Z]' })
        if (-not $alive) { return }
        Start-Sleep -Milliseconds 100
    }
    $null = & /bin/kill -KILL @alive 2>&1
}

function Test-OthersCanRun([string] $Path) {
    # Whether a user who is neither the owner nor in the group can run $Path: every folder above it
    # searchable by others, the file readable and runnable by them.
    $mode = [System.IO.File]::GetUnixFileMode($Path)
    if (($mode -band [System.IO.UnixFileMode]::OtherRead) -eq 0 -or ($mode -band [System.IO.UnixFileMode]::OtherExecute) -eq 0) { return $false }
    for ($folder = [System.IO.Path]::GetDirectoryName($Path); $folder; $folder = [System.IO.Path]::GetDirectoryName($folder)) {
        if (([System.IO.File]::GetUnixFileMode($folder) -band [System.IO.UnixFileMode]::OtherExecute) -eq 0) { return $false }
    }
    $true
}

function Start-TestSshHosts {
    <#
      Starts $Count (at most 3) private SSH hosts with Commerce instances and opens a PSSession to
      each. Every instance ($InstanceName, in ~/shops of the host user) has a database of its own on
      its host's MariaDB (New-TestExportInstance: exporting its catalog, the gateways of $Emulator in
      core_config_data); the first keeps its connector settings in the database, the second in
      env.php (ConfigStore of each). Nothing is provisioned yet: no keys, no data space.

      Returns the fleet: Folder, ClientKey, KnownHosts, Pwsh (the path of a pwsh the host users can
      run as a command, with the arguments it is given), Hosts, SessionHost (the CaptureHost of the
      sessions: its Text is all the hosts wrote to it) and StartSeconds; each host has Name,
      Address, Port, User, Home, Session (open), Instances (Name, Path, ConfigStore, Database, Sql()),
      InstancePaths, Database (its MariaDB, Stop()), Sshd (the listener process) and SessionSeconds.
      A failure on the way stops what was started. Stop everything with Stop-TestSshHosts.
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [ValidateRange(1, 3)] [int] $Count = 3,
        [string[]] $InstanceName = @('shop-a', 'shop-b'),
        [int] $LockTimeoutSeconds = 600
    )

    if ([Environment]::UserName -ne 'root') {
        throw "The fleet tests create users and start sshd: run them as root (CI does). This pwsh runs as $([Environment]::UserName)."
    }
    foreach ($program in '/usr/sbin/sshd', '/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/ssh-keyscan') {
        if (-not (Test-Path -LiteralPath $program)) { throw "$program is missing: install openssh-server and openssh-client (tests/run.sh does)." }
    }

    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $fleet = [pscustomobject]@{
        PSTypeName   = 'CommerceServices.Tests.SshFleet'
        Folder       = $null
        ClientKey    = $null
        KnownHosts   = $null
        Pwsh         = $null
        Hosts        = [System.Collections.Generic.List[object]]::new()
        Lock         = $null
        SessionHost  = [CommerceServices.Tests.CaptureHost]::new()
        Runspace     = $null
        StartSeconds = $null
    }
    try {
        # One fleet at a time: the users and addresses are fixed. The lock ends with its process too.
        while (-not $fleet.Lock) {
            try {
                $fleet.Lock = [System.IO.File]::Open($TestSshHostLockPath, 'OpenOrCreate', 'ReadWrite', 'None')
            }
            catch [System.IO.IOException] {
                if ($watch.Elapsed.TotalSeconds -gt $LockTimeoutSeconds) { throw "Another fleet test holds $TestSshHostLockPath for over $LockTimeoutSeconds s." }
                Start-Sleep -Seconds 1
            }
        }

        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('cs-fleet-' + [guid]::NewGuid().ToString('n').Substring(0, 12))
        $null = New-Item -ItemType Directory -Path $folder
        $fleet.Folder = $folder
        & chmod 755 $folder

        # The pwsh running these tests, where the host users can run it: the .NET tool lives under
        # root's home, which they cannot enter, so its folder is copied (61 MB, well under a second).
        $dotnet = [Environment]::ProcessPath
        $wrapper = Join-Path $folder 'pwsh-sshs'
        if ([System.IO.Path]::GetFileNameWithoutExtension($dotnet) -eq 'dotnet' -and -not (Test-OthersCanRun $dotnet)) {
            # dotnet itself in a folder the host users cannot enter (an SDK under root's home, say): a copy of
            # what running pwsh.dll needs, the dotnet host and this runtime.
            $dotnetRoot = [System.IO.Path]::GetDirectoryName($dotnet)
            $runtime = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory().TrimEnd('/')
            $dotnetCopy = Join-Path $folder 'dotnet'
            $null = New-Item -ItemType Directory -Path (Join-Path $dotnetCopy 'shared/Microsoft.NETCore.App')
            Copy-Item -LiteralPath $dotnet -Destination $dotnetCopy
            Copy-Item -LiteralPath (Join-Path $dotnetRoot 'host') -Destination $dotnetCopy -Recurse
            Copy-Item -LiteralPath $runtime -Destination (Join-Path $dotnetCopy 'shared/Microsoft.NETCore.App') -Recurse
            & chmod -R a+rX $dotnetCopy
            $dotnet = Join-Path $dotnetCopy ([System.IO.Path]::GetFileName($dotnet))
        }
        if ([System.IO.Path]::GetFileNameWithoutExtension($dotnet) -eq 'dotnet') {
            $pwshCopy = Join-Path $folder 'pwsh'
            Copy-Item -LiteralPath $PSHOME -Destination $pwshCopy -Recurse
            & chmod -R a+rX $pwshCopy
            $command = "export DOTNET_ROOT='$([System.IO.Path]::GetDirectoryName($dotnet))'`nexec '$dotnet' '$pwshCopy/pwsh.dll'"
        }
        else {
            $command = "exec '$dotnet'"
        }
        # sshd runs a subsystem as one command line; the wrapper makes it one program.
        [System.IO.File]::WriteAllText($wrapper, "#!/bin/sh`n$command -sshs -NoLogo -NoProfile`n")
        & chmod 755 $wrapper
        # The same pwsh as a program of its own, with the arguments it is given, for what runs pwsh
        # on a host as a command (Ansible's command module: pwsh -NoProfile -NonInteractive -Command ...).
        $fleet.Pwsh = Join-Path $folder 'bin/pwsh'
        $null = New-Item -ItemType Directory -Path (Join-Path $folder 'bin')
        [System.IO.File]::WriteAllText($fleet.Pwsh, "#!/bin/sh`n$command `"`$@`"`n")
        & chmod 755 (Join-Path $folder 'bin') $fleet.Pwsh

        $keys = Join-Path $folder 'keys'
        $null = New-Item -ItemType Directory -Path $keys
        & chmod 700 $keys
        $fleet.ClientKey = Join-Path $keys 'client_ed25519'
        $null = Invoke-TestProgram '/usr/bin/ssh-keygen' @('-q', '-t', 'ed25519', '-N', '', '-C', 'commerceservices-fleet-client', '-f', $fleet.ClientKey)
        $clientPublicKey = (Get-Content -Raw -LiteralPath "$($fleet.ClientKey).pub").Trim()
        $fleet.KnownHosts = Join-Path $keys 'known_hosts'
        $null = New-Item -ItemType File -Path $fleet.KnownHosts
        # sshd's privilege separation folder (Debian's service creates it at start).
        $null = New-Item -ItemType Directory -Path '/run/sshd' -Force

        for ($i = 1; $i -le $Count; $i++) {
            $name = "cs-web$i"
            $address = "127.0.0.$($i + 1)"
            $hostFolder = Join-Path $folder $name
            $null = New-Item -ItemType Directory -Path $hostFolder
            $testHost = [pscustomobject]@{
                PSTypeName     = 'CommerceServices.Tests.SshHost'
                Name           = $name
                Address        = $address
                Port           = $null
                User           = $name
                Home           = $null
                Session        = $null
                Instances      = @()
                InstancePaths  = @()
                Database       = $null
                Sshd           = $null
                Folder         = $hostFolder
                SessionSeconds = $null
                UserCreated    = $false
            }
            $fleet.Hosts.Add($testHost)

            # The user: a leftover of an earlier run that stopped half-way is removed first (the
            # lock says no run uses it); a user of the same name that is not ours stops the test.
            $existing = (& getent passwd $name) -split ':'
            if ($existing.Count -ge 5) {
                if ($existing[4] -ne $TestSshHostComment) { throw "A user $name exists that is not a fleet test host ('$($existing[4])'): not touching it." }
                $null = Invoke-TestProgram '/usr/sbin/userdel' @('-r', $name)
            }
            $null = Invoke-TestProgram '/usr/sbin/useradd' @('-m', '-s', '/bin/sh', '-c', $TestSshHostComment, $name)
            $testHost.UserCreated = $true
            # useradd's '!' is a locked account, which sshd refuses without PAM; '*' only has no password.
            $null = Invoke-TestProgram '/usr/sbin/usermod' @('-p', '*', $name)
            $testHost.Home = ((& getent passwd $name) -split ':')[5]
            $sshFolder = Join-Path $testHost.Home '.ssh'
            $null = New-Item -ItemType Directory -Path $sshFolder
            [System.IO.File]::WriteAllText((Join-Path $sshFolder 'authorized_keys'), "restrict $clientPublicKey`n")
            & chmod 700 $sshFolder
            & chmod 600 (Join-Path $sshFolder 'authorized_keys')

            # Its database, reachable by the host user over the server's socket (a 755 folder, a 777 socket).
            $testHost.Database = Start-TestMariaDb
            $shops = Join-Path $testHost.Home 'shops'
            $null = New-Item -ItemType Directory -Path $shops
            $stores = 'Database', 'EnvPhp'
            $testHost.Instances = @(for ($n = 0; $n -lt $InstanceName.Count; $n++) {
                    $instance = New-TestExportInstance -Server $testHost.Database -Name $InstanceName[$n] -Emulator $Emulator -Directory $shops
                    $instance | Add-Member -NotePropertyName Name -NotePropertyValue $InstanceName[$n]
                    $instance | Add-Member -NotePropertyName Path -NotePropertyValue $instance.Root
                    $instance | Add-Member -NotePropertyName ConfigStore -NotePropertyValue $stores[$n % 2]
                    $instance
                })
            $testHost.InstancePaths = @($testHost.Instances.Path)
            $null = Invoke-TestProgram '/bin/chown' @('-R', "${name}:$name", $testHost.Home)

            # Its sshd, on its own address and a free port; logs to a file in its folder.
            $testHost.Port = Get-FreeTcpPort $address
            $hostKey = Join-Path $keys "host_$name"
            $null = Invoke-TestProgram '/usr/bin/ssh-keygen' @('-q', '-t', 'ed25519', '-N', '', '-C', $name, '-f', $hostKey)
            $config = Join-Path $hostFolder 'sshd_config'
            Set-Content -LiteralPath $config -Value @(
                "ListenAddress $address"
                "Port $($testHost.Port)"
                "HostKey $hostKey"
                "PidFile $(Join-Path $hostFolder 'sshd.pid')"
                'AuthorizedKeysFile .ssh/authorized_keys'
                'PubkeyAuthentication yes'
                'PasswordAuthentication no'
                'KbdInteractiveAuthentication no'
                'UsePAM no'
                "AllowUsers $name"
                'PermitRootLogin no'
                'X11Forwarding no'
                'AllowTcpForwarding no'
                'PrintMotd no'
                "Subsystem powershell $wrapper"
                # As on any host: Ansible copies files over SFTP (else it warns and falls back).
                'Subsystem sftp internal-sftp'
            )
            $null = Invoke-TestProgram '/usr/sbin/sshd' @('-t', '-f', $config)
            # -D: stays in the foreground, so this is its process; -E: logs to a file. Through sh only
            # to give it no stdin/stdout/stderr of this process (exec keeps the id).
            $start = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
            foreach ($argument in '-c', 'exec "$0" "$@" </dev/null >/dev/null 2>&1', '/usr/sbin/sshd', '-D', '-E', (Join-Path $hostFolder 'sshd.log'), '-f', $config) {
                $start.ArgumentList.Add($argument)
            }
            $start.UseShellExecute = $false
            $testHost.Sshd = [System.Diagnostics.Process]::Start($start)

            # Ready when it shows its host key, which goes into our own known_hosts.
            $ready = [System.Diagnostics.Stopwatch]::StartNew()
            do {
                if ($testHost.Sshd.HasExited) { throw "sshd of $name ended at start: $(Get-Content -Raw -LiteralPath (Join-Path $hostFolder 'sshd.log') -ErrorAction Ignore)" }
                $scanned = & /usr/bin/ssh-keyscan -T 2 -t ed25519 -p $testHost.Port $address 2>$null
                if ($scanned) { break }
                Start-Sleep -Milliseconds 100
            } while ($ready.Elapsed.TotalSeconds -lt 30)
            if (-not $scanned) { throw "sshd of $name did not answer on ${address}:$($testHost.Port) within 30 s." }
            Add-Content -LiteralPath $fleet.KnownHosts -Value $scanned
        }

        # The sessions, one at a time (New-PSSession in parallel runspaces gives sessions that die with
        # them), opened in a runspace of their own whose host is the capture host: remote commands
        # write their verbose, debug and warning lines to the host of the runspace that opened the
        # session, whichever runspace calls them. The runspace stays open as long as the sessions.
        $fleet.Runspace = [runspacefactory]::CreateRunspace($fleet.SessionHost)
        $fleet.Runspace.Open()
        foreach ($testHost in $fleet.Hosts) {
            $opened = [System.Diagnostics.Stopwatch]::StartNew()
            $testHost.Session = New-TestSshSession -Fleet $fleet -TestHost $testHost
            $testHost.SessionSeconds = $opened.Elapsed.TotalSeconds
        }
        $fleet.StartSeconds = $watch.Elapsed.TotalSeconds
        $fleet
    }
    catch {
        Stop-TestSshHosts -Fleet $fleet
        throw
    }
}

function New-TestSshSession($Fleet, $TestHost) {
    # A PSSession to a test host, as a user opens one with a key: no prompt, only our known_hosts;
    # opened in the fleet's runspace (its host is the capture host).
    $open = [powershell]::Create()
    try {
        $open.Runspace = $Fleet.Runspace
        $null = $open.AddCommand('New-PSSession').AddParameters(@{
                HostName    = $TestHost.Address
                Port        = $TestHost.Port
                UserName    = $TestHost.User
                KeyFilePath = $Fleet.ClientKey
                Name        = $TestHost.Name
                ErrorAction = 'Stop'
                Options     = @{ UserKnownHostsFile = $Fleet.KnownHosts; StrictHostKeyChecking = 'yes'; BatchMode = 'yes' }
            })
        $session = @($open.Invoke())
        if ($session.Count -ne 1 -or $session[0].State -ne 'Opened') {
            throw "No session to $($TestHost.Name) ($($TestHost.Address):$($TestHost.Port)): $($open.Streams.Error -join ' ') $($Fleet.SessionHost.Text)"
        }
        $session[0]
    }
    finally {
        $open.Dispose()
    }
}

function Stop-TestSshHosts {
    # Stops what Start-TestSshHosts started, in reverse: sessions, sshd (its connections first), users
    # with their homes, databases, the folder, the lock. Goes on past a step that fails, then throws.
    param([Parameter(Mandatory)] $Fleet)
    $failures = [System.Collections.Generic.List[string]]::new()
    foreach ($testHost in $Fleet.Hosts) {
        try { if ($testHost.Session) { Remove-PSSession -Session $testHost.Session -ErrorAction Stop } }
        catch { $failures.Add("session of $($testHost.Name): $_") }
    }
    foreach ($testHost in $Fleet.Hosts) {
        if ($testHost.Sshd) {
            try {
                # Its connections (sshd: user [priv], user@notty, the pwsh subsystem), then itself.
                Stop-TestProcessById @(Get-TestProcessDescendant $testHost.Sshd.Id)
                if (-not $testHost.Sshd.HasExited) {
                    Stop-TestProcessById $testHost.Sshd.Id
                    $null = $testHost.Sshd.WaitForExit(5000)
                }
                $testHost.Sshd.Dispose()
            }
            catch { $failures.Add("sshd of $($testHost.Name): $_") }
        }
        if ($testHost.UserCreated) {
            try { $null = Invoke-TestProgram '/usr/sbin/userdel' @('-r', $testHost.User) }
            catch { $failures.Add("user $($testHost.User): $_") }
        }
        if ($testHost.Database) {
            try { Stop-TestMariaDb -Server $testHost.Database }
            catch { $failures.Add("MariaDB of $($testHost.Name): $_") }
        }
    }
    if ($Fleet.Runspace) { $Fleet.Runspace.Dispose() }
    if ($Fleet.Folder) { Remove-Item -LiteralPath $Fleet.Folder -Recurse -Force -ErrorAction Ignore }
    if ($Fleet.Lock) { $Fleet.Lock.Dispose() }
    if ($failures.Count) { throw "Stopping the test hosts: $($failures -join '; ')" }
}
