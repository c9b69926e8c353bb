#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# The fleet of TestSshHosts.ps1 (three SSH hosts on this machine: 127.0.0.2, .3 and .4, users
# cs-web1..3, two instances each in ~/shops) driven by Ansible, as a sysadmin who manages hosts with
# it does: ansible-playbook (ansible-core from apt: tests/run.sh installs it) runs the example
# examples/Fleet/Ansible/commerce-services.yml, with an inventory of the three hosts whose private
# key comes from an ansible-vault file, twice: the first run changes every instance, the second
# nothing. Then no file on any host (but the instances' encrypted config), nothing Ansible wrote on
# this machine, and nothing it printed holds a piece of the private key. Ansible's SSH connections
# (ControlPersist) are closed at the end, the hosts stopped. Needs root, OpenSSH and Ansible.
# The module gets to the hosts from its .nupkg (./build.ps1 -Task Package), as Fleet.Tests.ps1 installs it.
# On each host the playbook runs, as the host user, for each instance's state file:
#   pwsh -NoProfile -NonInteractive -Command "Set-CommerceServicesState -Path '<state file>' -AsJson -Secret @{ 'production-private-key' = [Console]::In.ReadToEnd() | ConvertTo-SecureString -AsPlainText -Force }"
# with the private key on stdin; it prints one line of JSON (changed, failed, status, instances with
# path, status, differences, errors) and exits 1 when it failed.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'TestSshHosts.ps1')
    Import-Module -Name $EmulatorManifest -Force -ErrorAction Stop

    foreach ($program in 'ansible-playbook', 'ansible-vault') {
        if (-not (Get-Command -Name $program -CommandType Application -ErrorAction Ignore)) {
            throw "$program is missing: install ansible-core (tests/run.sh does)."
        }
    }
    $script:Version = (Import-PowerShellDataFile -Path (Join-Path $RepositoryRoot 'CommerceServices.psd1')).ModuleVersion
    $script:Package = Join-Path $RepositoryRoot "out/CommerceServices.$Version.nupkg"
    if (-not (Test-Path -LiteralPath $Package)) {
        throw "The package $Package is missing: run './build.ps1 -Task Package' first."
    }
    $script:Example = Join-Path $RepositoryRoot 'examples/Fleet/Ansible'
    $script:ApplyTask = 'Set-CommerceServicesState on all instances of the host in one command (R6 compares them), the private key on stdin'
    $script:ReportTask = 'What each instance reports (status, settings changed or to change, errors, warnings; no secret)'

    $script:Emulator = Start-CommerceServicesEmulator
    $script:Fleet = Start-TestSshHosts -Emulator $Emulator
    $script:Sessions = @($Fleet.Hosts.Session)
    $null = & (Join-Path $RepositoryRoot 'examples/Fleet/Install-CommerceServicesOnHosts.ps1') -Session $Sessions -PackagePath $Package -ErrorAction Stop

    # The account's Production key pair, from the emulator's API Portal, here on the management host
    # only; and a project per host, whose data spaces Testing 1 and Testing 2 go one to each instance.
    $script:Key = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-ANSIBLE' -Edition AdobeCommerce -Environment Production -Directory (Join-Path $TestDrive 'keys')
    $privateKeyText = Get-Content -Raw -LiteralPath $Key.PrivateKeyPath
    $rsa = [System.Security.Cryptography.RSA]::Create()
    $rsa.ImportFromPem($privateKeyText)
    $script:Fingerprint = Get-TestKeyFingerprint $rsa
    $rsa.Dispose()
    # What the scan looks for: the base64 body, less the prefix all RSA PKCS#8 keys share.
    $script:PrivateKeyBody = (($privateKeyText -split '\r?\n' | Where-Object { $_ -and $_ -notlike '-----*' } | ForEach-Object Trim) -join '').Substring(32)
    $script:Projects = @{}
    foreach ($testHost in $Fleet.Hosts) {
        $project = New-SaasProject -ApiKey $Key.ApiKey -PrivateKeyPath $Key.PrivateKeyPath -GatewayUri $Key.GatewayUri -Name "Storefront $($testHost.User)" -ErrorAction Stop
        $Projects[$testHost.Name] = $project
    }

    # What each instance is to have: its project and data space, named in the state by name, on the
    # third host by id (Set-CommerceServicesState takes either).
    $script:Desired = @(
        foreach ($testHost in $Fleet.Hosts) {
            $project = $Projects[$testHost.Name]
            $spaces = @($project.DataSpaces | Where-Object Type -eq 'Testing' | Sort-Object -Property Name)
            for ($i = 0; $i -lt $testHost.Instances.Count; $i++) {
                $instance = $testHost.Instances[$i]
                $byId = $testHost.Name -eq 'cs-web3'
                [pscustomobject]@{
                    Host        = $testHost.Name
                    Name        = $instance.Name
                    Path        = $instance.Path
                    ConfigStore = $instance.ConfigStore
                    StateFile   = "$($testHost.Home)/.config/commerce-services/$($instance.Name).psd1"
                    ProjectId   = $project.ProjectId
                    Project     = if ($byId) { $project.ProjectId } else { $project.Name }
                    DataSpaceId = $spaces[$i].DataSpaceId
                    DataSpace   = if ($byId) { $spaces[$i].DataSpaceId } else { $spaces[$i].Name }
                }
            }
        })

    # Ansible's folder, root's only: its configuration, the inventory (the example's group_vars, the
    # hosts' own host_vars, the vault), the vault password, its home and temporary files, and the
    # sockets of its SSH connections.
    $script:AnsibleFolder = Join-Path $Fleet.Folder 'ansible'
    $null = New-Item -ItemType Directory -Path $AnsibleFolder
    & chmod 700 $AnsibleFolder
    $script:ControlFolder = Join-Path $AnsibleFolder 'cp'
    $vaultPassword = Join-Path $AnsibleFolder 'vault-password'
    [System.IO.File]::WriteAllText($vaultPassword, [Convert]::ToHexString([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(24)) + "`n")
    & chmod 600 $vaultPassword
    $script:AnsibleConfig = Join-Path $AnsibleFolder 'ansible.cfg'
    Set-Content -LiteralPath $AnsibleConfig -Value @(
        '[defaults]'
        "inventory = $AnsibleFolder/inventory"
        "home = $AnsibleFolder/home"
        "local_tmp = $AnsibleFolder/home/tmp"
        "vault_password_file = $vaultPassword"
        'interpreter_python = /usr/bin/python3'
        'forks = 3'
        'nocolor = true'
        ''
        '[ssh_connection]'
        'pipelining = true'
        "control_path_dir = $ControlFolder"
        "ssh_args = -C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=$($Fleet.KnownHosts) -o StrictHostKeyChecking=yes -o BatchMode=yes"
    )
    $inventory = Join-Path $AnsibleFolder 'inventory'
    $null = New-Item -ItemType Directory -Path (Join-Path $inventory 'host_vars')
    Copy-Item -LiteralPath (Join-Path $Example 'inventory/group_vars') -Destination $inventory -Recurse
    Set-Content -LiteralPath (Join-Path $inventory 'hosts') -Value @(
        '[commerce]'
        foreach ($testHost in $Fleet.Hosts) {
            "$($testHost.Name) ansible_host=$($testHost.Address) ansible_port=$($testHost.Port) ansible_user=$($testHost.User) ansible_ssh_private_key_file=$($Fleet.ClientKey)"
        }
    )
    foreach ($testHost in $Fleet.Hosts) {
        # JSON is YAML. The API key here overrides the example's group_vars; its state folder is the default.
        $rows = @($Desired | Where-Object Host -eq $testHost.Name)
        [ordered]@{
            commerce_pwsh               = $Fleet.Pwsh
            commerce_production_api_key = $Key.ApiKey
            commerce_project            = $rows[0].Project
            commerce_instances          = @($rows | ForEach-Object { [ordered]@{ path = $_.Path; config_store = "$($_.ConfigStore)"; data_space = $_.DataSpace } })
        } | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $inventory "host_vars/$($testHost.Name).yml")
    }

    function Invoke-Ansible {
        # Runs an Ansible program with this folder's ansible.cfg, $InputText (when given) on its stdin, and
        # returns ExitCode, Output (stdout), Errors (stderr) and Text (both). All it writes is kept for the scan.
        param([Parameter(Mandatory)] [string] $Program, [string[]] $ArgumentList = @(), [string] $InputText, [int] $TimeoutSeconds = 600)
        $start = [System.Diagnostics.ProcessStartInfo]::new((Get-Command -Name $Program -CommandType Application | Select-Object -First 1).Source)
        foreach ($argument in $ArgumentList) { $start.ArgumentList.Add($argument) }
        $start.WorkingDirectory = $AnsibleFolder
        $start.Environment['ANSIBLE_CONFIG'] = $AnsibleConfig
        $start.Environment['LC_ALL'] = 'C.UTF-8'
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.RedirectStandardInput = $true
        $start.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($start)
        try {
            $errors = $process.StandardError.ReadToEndAsync()
            $output = $process.StandardOutput.ReadToEndAsync()
            if ($InputText) { $process.StandardInput.Write($InputText) }
            $process.StandardInput.Close()
            if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
                $process.Kill($true)
                $process.WaitForExit()
                throw "$Program did not end within $TimeoutSeconds s and was stopped. It wrote:`n$($output.Result)$($errors.Result)"
            }
            $process.WaitForExit()
            $run = [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $output.Result; Errors = $errors.Result; Text = $output.Result + $errors.Result }
            $script:AnsibleText.Add($run.Text)
            $run
        }
        finally {
            $process.Dispose()
        }
    }
    $script:AnsibleText = [System.Collections.Generic.List[string]]::new()

    # The vault, as 'ansible-vault create' makes it, the plain text only on ansible-vault's stdin.
    $vault = Invoke-Ansible 'ansible-vault' @('encrypt', '--output', (Join-Path $inventory 'group_vars/commerce/vault.yml'), '-') -InputText (@{ vault_commerce_production_private_key = $privateKeyText } | ConvertTo-Json)
    if ($vault.ExitCode -ne 0) { throw "ansible-vault encrypt failed ($($vault.ExitCode)): $($vault.Text)" }
    Remove-Variable -Name privateKeyText

    function Invoke-Playbook {
        # Runs the example playbook on the three hosts; returns the run with, per host, the lines of
        # the task that applies the state (Apply: status of each item, then of the task), what each
        # instance reported (Reports: the JSON of Set-CommerceServicesState) and its PLAY RECAP counts.
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-Ansible 'ansible-playbook' @((Join-Path $Example 'commerce-services.yml'))
        $run | Add-Member -NotePropertyName Seconds -NotePropertyValue $watch.Elapsed.TotalSeconds
        $sections = @{}
        foreach ($match in [regex]::Matches($run.Output, '(?ms)^(?:TASK \[(?<name>[^\]\r\n]*)\]|(?<name>PLAY RECAP)) \*+[ \t]*$(?<body>.*?)(?=^(?:TASK|PLAY) |\z)')) {
            $sections[$match.Groups['name'].Value] = $match.Groups['body'].Value
        }
        $run | Add-Member -NotePropertyName Sections -NotePropertyValue $sections
        $hosts = @{}
        foreach ($testHost in $Fleet.Hosts) {
            $name = [regex]::Escape($testHost.Name)
            $recap = [regex]::Match("$($sections['PLAY RECAP'])", "(?m)^$name\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)")
            $hosts[$testHost.Name] = [pscustomobject]@{
                Apply   = @([regex]::Matches("$($sections[$ApplyTask])", "(?m)^(\w+): \[$name\]") | ForEach-Object { $_.Groups[1].Value })
                Reports = @([regex]::Matches("$($sections[$ReportTask])", "(?ms)^ok: \[$name\] => (\{\s*$.*?^\})\s*$") | ForEach-Object { ($_.Groups[1].Value | ConvertFrom-Json).msg })
                Recap   = if ($recap.Success) { [pscustomobject]@{ Ok = [int] $recap.Groups[1].Value; Changed = [int] $recap.Groups[2].Value; Unreachable = [int] $recap.Groups[3].Value; Failed = [int] $recap.Groups[4].Value } }
            }
        }
        $run | Add-Member -NotePropertyName Hosts -NotePropertyValue $hosts
        $run
    }

    function Get-InstanceState {
        # What each instance holds now, read with the module over the sessions: per instance path,
        # its Production key pair (set, masked API key, fingerprint), project and data space.
        $rows = Invoke-Command -Session $Sessions -ArgumentList (, @($Desired.Path)) {
            param([string[]] $Path)
            $ErrorActionPreference = 'Stop'
            foreach ($one in $Path | Where-Object { $_.StartsWith("$HOME/") }) {
                $instance = Connect-CommerceInstance -Path $one -PassThru
                try {
                    $key = Get-CommerceApiKey -Instance $instance -Environment Production
                    $ids = @(Get-CommerceServicesConfig -Instance $instance -Path 'services_connector/services_id/*')
                    [pscustomobject]@{
                        Path        = $instance.Path
                        IsSet       = $key.IsSet
                        ApiKey      = $key.ApiKey
                        Fingerprint = $key.Fingerprint
                        ProjectId   = ($ids | Where-Object Path -eq 'services_connector/services_id/project_id').Value
                        DataSpaceId = ($ids | Where-Object Path -eq 'services_connector/services_id/environment_id').Value
                    }
                }
                finally { $instance | Disconnect-CommerceInstance }
            }
        }
        $state = @{}
        foreach ($row in $rows) { $state[$row.Path] = $row }
        $state
    }

    function Close-AnsibleConnection {
        # Ends the SSH connections Ansible keeps open (ControlPersist) through their sockets, then any of
        # their processes still running (by id); returns how many sockets there were.
        $sockets = @(if (Test-Path -LiteralPath $ControlFolder) { & find $ControlFolder -type s })
        foreach ($socket in $sockets) {
            $null = & /usr/bin/ssh -o "ControlPath=$socket" -O exit placeholder 2>&1
        }
        $left = @(Get-AnsibleSshProcess)
        if ($left) { Stop-TestProcessById $left }
        $sockets.Count
    }

    function Get-TestProcess {
        # Every process, from /proc: Id, Uid and CommandLine (its arguments joined by spaces).
        foreach ($folder in Get-ChildItem -Path '/proc/[0-9]*' -Directory -ErrorAction Ignore) {
            $uid = Select-String -LiteralPath "$($folder.FullName)/status" -Pattern '^Uid:\s+(\d+)' -ErrorAction Ignore
            $commandLine = (Get-Content -Raw -LiteralPath "$($folder.FullName)/cmdline" -ErrorAction Ignore) -replace "`0", ' '
            if ($uid -and $commandLine) {
                [pscustomobject]@{ Id = [int] $folder.Name; Uid = [int] $uid.Matches[0].Groups[1].Value; CommandLine = $commandLine.Trim() }
            }
        }
    }

    function Get-AnsibleSshProcess {
        # The ids of ssh processes that use a socket in Ansible's folder.
        @(Get-TestProcess | Where-Object { $_.CommandLine.StartsWith('ssh') -and $_.CommandLine.Contains($ControlFolder) }).Id
    }

    $script:Timings = [ordered]@{ 'start the three hosts' = $Fleet.StartSeconds }
}

AfterAll {
    if ($Fleet) {
        if ($ControlFolder) { $null = Close-AnsibleConnection }
        Stop-TestSshHosts -Fleet $Fleet
    }
    if ($Emulator) { Stop-CommerceServicesEmulator -Emulator $Emulator }
    if ($Timings) { Write-Host ("Ansible fleet timings (s): " + (($Timings.GetEnumerator() | ForEach-Object { '{0} {1:N1}' -f $_.Key, $_.Value }) -join '; ')) }
}

Describe 'The first run of examples/Fleet/Ansible/commerce-services.yml on three hosts' {
    BeforeAll {
        $script:Before = Get-InstanceState
        $script:First = Invoke-Playbook
        $Timings['first run'] = $First.Seconds
        $script:AfterFirst = Get-InstanceState
        $script:StateFiles = Invoke-Command -Session $Sessions {
            foreach ($file in Get-ChildItem -LiteralPath "$HOME/.config/commerce-services" -File) {
                [pscustomobject]@{
                    Path  = $file.FullName
                    Mode  = [Convert]::ToString([int] $file.UnixFileMode, 8)
                    Owner = "$($file.User)"
                    Data  = Import-PowerShellDataFile -LiteralPath $file.FullName
                }
            }
        }
    }

    It 'ends without a failure, on every host, and prints no warning and no colour code' {
        $First.ExitCode | Should -Be 0 -Because $First.Text
        $First.Text | Should -Not -Match '\[WARNING\]|\[DEPRECATION WARNING\]|\x1b'
        foreach ($testHost in $Fleet.Hosts) {
            $recap = $First.Hosts[$testHost.Name].Recap
            $recap | Should -Not -BeNullOrEmpty -Because $First.Output
            $recap.Unreachable | Should -Be 0
            $recap.Failed | Should -Be 0
        }
    }

    It 'starts with instances that hold no key pair and no data space' {
        $Before.Count | Should -Be 6
        foreach ($row in $Before.Values) {
            $row.IsSet | Should -BeFalse
            $row.DataSpaceId | Should -BeNullOrEmpty
        }
    }

    It 'reports the task that applies the states changed on every host, in one command per host, and hides its result' {
        foreach ($testHost in $Fleet.Hosts) {
            $First.Hosts[$testHost.Name].Apply | Should -Be @('changed') -Because $First.Sections[$ApplyTask]
        }
        $First.Sections[$ApplyTask] | Should -Not -Match 'stdout|invocation|BEGIN'
    }

    It 'shows what each instance reported: Changed, with what changed' {
        foreach ($testHost in $Fleet.Hosts) {
            $reports = $First.Hosts[$testHost.Name].Reports
            $reports | Should -HaveCount 1 -Because $First.Sections[$ReportTask]
            @($reports.instances) | Should -HaveCount 2
            foreach ($report in $reports) {
                $report.changed | Should -BeTrue
                $report.failed | Should -BeFalse
                $report.status | Should -Be 'Changed'
                foreach ($instance in $report.instances) {
                    $instance.status | Should -Be 'Changed'
                    @($instance.differences) | Should -Not -BeNullOrEmpty
                    @($instance.errors) | Should -BeNullOrEmpty
                }
            }
            @($reports.instances.path | Sort-Object) | Should -Be @($testHost.InstancePaths | Sort-Object)
        }
    }

    It 'writes the state of each instance to its host: 0640, the host user''s, the key named only by its secret' {
        @($StateFiles.Path | Sort-Object) | Should -Be @($Desired.StateFile | Sort-Object)
        foreach ($file in $StateFiles) {
            $want = $Desired | Where-Object StateFile -eq $file.Path
            $file.Mode | Should -Be '640'
            $file.Owner | Should -Be $want.Host
            $file.Data.Instance | Should -Be $want.Path
            $file.Data.ConfigStore | Should -Be "$($want.ConfigStore)"
            $file.Data.Project | Should -Be $want.Project
            $file.Data.DataSpace | Should -Be $want.DataSpace
            $file.Data.KeyPairs.Production.ApiKey | Should -Be $Key.ApiKey
            $file.Data.KeyPairs.Production.PrivateKeySecret | Should -Be 'production-private-key'
            @($file.Data.KeyPairs.Production.Keys | Sort-Object) | Should -Be @('ApiKey', 'PrivateKeySecret')
        }
    }

    It 'leaves every instance with the key pair, the project and the data space of its state' {
        $masked = $Key.ApiKey.Substring(0, 4) + '...' + $Key.ApiKey.Substring($Key.ApiKey.Length - 4)
        foreach ($want in $Desired) {
            $row = $AfterFirst[$want.Path]
            $row | Should -Not -BeNullOrEmpty
            $row.IsSet | Should -BeTrue
            $row.Fingerprint | Should -Be $Fingerprint
            $row.ApiKey | Should -Be $masked
            $row.ProjectId | Should -Be $want.ProjectId
            $row.DataSpaceId | Should -Be $want.DataSpaceId
        }
    }
}

Describe 'The second run: nothing to change' {
    BeforeAll {
        $script:Second = Invoke-Playbook
        $Timings['second run'] = $Second.Seconds
        $script:AfterSecond = Get-InstanceState
    }

    It 'ends without a failure and changes nothing on any host (PLAY RECAP: changed=0)' {
        $Second.ExitCode | Should -Be 0 -Because $Second.Text
        $Second.Text | Should -Not -Match '\[WARNING\]|\[DEPRECATION WARNING\]|\x1b'
        foreach ($testHost in $Fleet.Hosts) {
            $recap = $Second.Hosts[$testHost.Name].Recap
            $recap | Should -Not -BeNullOrEmpty -Because $Second.Output
            $recap.Changed | Should -Be 0 -Because $Second.Output
            $recap.Failed | Should -Be 0
            $recap.Unreachable | Should -Be 0
            $Second.Hosts[$testHost.Name].Apply | Should -Be @('ok') -Because $Second.Sections[$ApplyTask]
        }
    }

    It 'shows every instance Unchanged, with no difference' {
        foreach ($testHost in $Fleet.Hosts) {
            $reports = $Second.Hosts[$testHost.Name].Reports
            $reports | Should -HaveCount 1 -Because $Second.Sections[$ReportTask]
            @($reports.instances) | Should -HaveCount 2
            foreach ($report in $reports) {
                $report.changed | Should -BeFalse
                $report.failed | Should -BeFalse
                $report.status | Should -Be 'Unchanged'
                foreach ($instance in $report.instances) {
                    $instance.status | Should -Be 'Unchanged'
                    @($instance.differences) | Should -BeNullOrEmpty
                }
            }
        }
    }

    It 'leaves every instance as the first run left it' {
        foreach ($want in $Desired) {
            $properties = 'Path', 'IsSet', 'ApiKey', 'Fingerprint', 'ProjectId', 'DataSpaceId'
            ($AfterSecond[$want.Path] | Select-Object -Property $properties | ConvertTo-Json -Compress) | Should -Be ($AfterFirst[$want.Path] | Select-Object -Property $properties | ConvertTo-Json -Compress)
        }
    }
}

Describe 'No piece of the private key on the hosts, in Ansible''s files or in what it printed' {
    BeforeAll {
        $scanWatch = [System.Diagnostics.Stopwatch]::StartNew()
        # The private key only: the API key is in the state files and the inventory by design. Beside
        # it, as Fleet.Tests.ps1 scans, every instance's crypt key and every host's database password,
        # which only env.php and its backups hold.
        $script:KeyOnly = [CommerceServices.Tests.SecretFragments]::new()
        $KeyOnly.Add('private key', $PrivateKeyBody)
        $script:Everything = [CommerceServices.Tests.SecretFragments]::new()
        $Everything.Add('private key', $PrivateKeyBody)
        foreach ($testHost in $Fleet.Hosts) {
            foreach ($instance in $testHost.Instances) { $Everything.Add('crypt key', $instance.CryptKey) }
            $Everything.Add('database password', $testHost.Database.Password)
        }

        # The files: everything under each host user's home (instances and their backups, state files,
        # the module, Ansible's remote temporary folder, caches), the hosts' own folders, anything else
        # the host users own under /tmp, and Ansible's folder here (its configuration, inventory,
        # vault, home and temporary files). Regular files only: not the sockets of its connections.
        $paths = @(
            foreach ($testHost in $Fleet.Hosts) {
                & find $testHost.Home $testHost.Folder -xdev -type f 2>$null
                & find /tmp -xdev -user $testHost.User -type f 2>$null
            }
            & find $AnsibleFolder (Join-Path $Fleet.Folder 'keys') -xdev -type f 2>$null
        ) | Sort-Object -Unique
        $script:ScannedFiles = @($paths | ForEach-Object { Get-Item -LiteralPath $_ -Force })
        $script:FileLeaks = @(foreach ($file in $ScannedFiles) {
                $envPhp = $file.Name -eq 'env.php' -or $file.Name -like 'env.php.commerceservices-*'
                $scan = if ($envPhp) { $KeyOnly } else { $Everything }
                $found = $scan.Find([System.Text.Encoding]::Latin1.GetString([System.IO.File]::ReadAllBytes($file.FullName)))
                if ($found) { "$($file.FullName): $found" }
            })
        # What Ansible printed: both runs, and ansible-vault.
        $script:StreamText = $AnsibleText -join "`n"
        $Timings['secret scan'] = $scanWatch.Elapsed.TotalSeconds
    }

    It 'finds none in any file of the hosts or of Ansible here, the encrypted vault and instance config included' {
        $ScannedFiles.Count | Should -BeGreaterThan 50
        @($ScannedFiles | Where-Object FullName -in $Desired.StateFile) | Should -HaveCount 6
        @($ScannedFiles | Where-Object Name -eq 'vault.yml') | Should -HaveCount 1
        @($ScannedFiles | Where-Object { $_.Name -eq 'env.php' }).Count | Should -BeGreaterOrEqual 6
        $FileLeaks | Should -BeNullOrEmpty
    }

    It 'finds none in what ansible-playbook and ansible-vault wrote, on stdout or stderr' {
        $StreamText.Length | Should -BeGreaterThan 2000
        $StreamText | Should -Match ([regex]::Escape($ReportTask))
        $Everything.Find($StreamText) | Should -BeNullOrEmpty
    }

    It 'would find a fragment: a planted piece of the private key, in a file and in a stream' {
        $planted = Join-Path $TestDrive 'planted.txt'
        Set-Content -LiteralPath $planted -Value ('x' * 5000 + $PrivateKeyBody.Substring(700, 12) + 'x' * 5000)
        $Everything.Find('x' * 10012) | Should -BeNullOrEmpty
        $KeyOnly.Find([System.Text.Encoding]::Latin1.GetString([System.IO.File]::ReadAllBytes($planted))) | Should -Match '^a fragment of the private key at \d+: '
        $Everything.Find($StreamText + $PrivateKeyBody.Substring(100, 12)) | Should -Match '^a fragment of the private key at '
    }
}

Describe 'Nothing of Ansible left running' {
    BeforeAll {
        $script:WhileOpen = @(Get-AnsibleSshProcess)
        $script:Sockets = Close-AnsibleConnection
        # What the host users run: the sshd and pwsh -sshs of this test's PowerShell sessions, and
        # whatever Ansible started that is still there (its connections end a moment after their socket).
        $uids = @{}
        foreach ($testHost in $Fleet.Hosts) { $uids[[int] (& id -u $testHost.User)] = $testHost.User }
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        do {
            $script:HostProcesses = @(Get-TestProcess | Where-Object { $uids.ContainsKey($_.Uid) } | ForEach-Object { "$($uids[$_.Uid]) $($_.Id) $($_.CommandLine)" })
            $others = @($HostProcesses | Where-Object { $_ -notmatch '-sshs( |$)' -and $_ -notmatch ' sshd: ' })
            $sshd = @($HostProcesses | Where-Object { $_ -match ' sshd: ' })
            if (-not $others -and $sshd.Count -le $Fleet.Hosts.Count) { break }
            Start-Sleep -Milliseconds 200
        } while ($watch.Elapsed.TotalSeconds -lt 15)
    }

    It 'closes the SSH connections Ansible kept open (ControlPersist), one per host, through their sockets' {
        $Sockets | Should -Be $Fleet.Hosts.Count
        $WhileOpen | Should -HaveCount $Fleet.Hosts.Count
        @(Get-AnsibleSshProcess) | Should -BeNullOrEmpty
    }

    It 'leaves the host users running only the PowerShell sessions of this test' {
        @($HostProcesses | Where-Object { $_ -notmatch '-sshs( |$)' -and $_ -notmatch ' sshd: ' }) | Should -BeNullOrEmpty
        @($HostProcesses | Where-Object { $_ -match ' sshd: ' }) | Should -HaveCount $Fleet.Hosts.Count
    }
}
