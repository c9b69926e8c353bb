#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# What pwsh users do with real runspaces, which an in-process test host cannot show:
# ForEach-Object -Parallel over a fleet with the explicit -Instance, the per-runspace default
# connection, and Start-ThreadJob returning live objects and the module's error records. The
# instances are demo instances (not installed: the env.php store writes their files, no database)
# against the gateway emulator, which this runspace starts and every other runspace shares.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module -Name $EmulatorManifest -Force -ErrorAction Stop

    $script:Emulator = Start-CommerceServicesEmulator

    # One account per fleet member, so every instance has key pairs and a project of its own and
    # a write that lands on the wrong instance shows: fingerprints, project and data space differ.
    $script:FleetSize = 4
    $script:Accounts = foreach ($index in 1..$FleetSize) {
        $files = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId "MAGE-PAR-$index" -Edition AdobeCommerce -Environment Production, Sandbox -Directory (Join-Path $TestDrive "keys-$index")
        $pairs = $files | Import-CommerceApiKey
        $production = $pairs | Where-Object Environment -eq 'Production'
        $project = New-SaasProject -ApiKey $production -GatewayUri $Emulator.ProductionUri -Name "Shop $index"
        # Alternate the two Testing data spaces, so members differ in the space's name too.
        $spaceName = if ($index % 2) { 'Testing 1' } else { 'Testing 2' }
        [pscustomobject]@{
            Index         = $index
            Files         = $files
            Pairs         = $pairs
            ProjectName   = $project.Name
            DataSpaceName = $spaceName
            DataSpaceId   = ($project.DataSpaces | Where-Object Name -eq $spaceName).DataSpaceId
            Fingerprints  = @(($pairs | Sort-Object Environment).Fingerprint)
        }
    }

    # What every member does, the same text for the sequential and the parallel run (a script
    # block cannot cross into a parallel runspace with $using:, its text can): store both key
    # pairs, choose the data space, test. Every cmdlet gets the instance explicitly.
    $script:ProvisionText = {
        param($Instance, $Pairs, [string] $DataSpaceName)
        foreach ($pair in $Pairs) {
            Set-CommerceApiKey -Instance $Instance -ApiKey $pair -ErrorAction Stop
        }
        Get-SaasDataSpace -Instance $Instance -Name $DataSpaceName -ErrorAction Stop |
            Set-CommerceDataSpace -Instance $Instance -Confirm:$false -ErrorAction Stop
        Test-CommerceConnection -Instance $Instance
    }.ToString()

    # A report as comparable data, without the instance's folder (the two runs use two fleets).
    function ConvertTo-Outcome($Report, [int] $Index) {
        [pscustomobject]@{
            Index         = $Index
            IsConnected   = $Report.IsConnected
            ProjectName   = $Report.ProjectName
            DataSpaceName = $Report.DataSpaceName
            DataSpaceId   = $Report.DataSpaceId
            Checks        = ($Report.Checks | ForEach-Object { "$($_.Name)=$($_.Status)" }) -join ';'
            Fingerprints  = (@(Get-CommerceApiKey -Instance $Report.Instance | Sort-Object Environment | ForEach-Object Fingerprint)) -join ';'
        } | ConvertTo-Json -Compress
    }
}

AfterAll {
    Disconnect-CommerceInstance -All
    Stop-CommerceServicesEmulator -Emulator $Emulator
}

Describe 'ForEach-Object -Parallel with -Instance' {
    AfterEach {
        Disconnect-CommerceInstance -All
    }

    It 'provisions every instance of a fleet in parallel runspaces, each with its own writes, as the sequential run does' {
        # The sequential run first, on a fleet of its own, in this runspace.
        $sequentialFleet = @(foreach ($account in $Accounts) { New-TestInstance "sequential-$($account.Index)" -Emulator $Emulator -ConfigStore EnvPhp -Role Staging })
        $provision = [scriptblock]::Create($ProvisionText)
        $sequential = foreach ($account in $Accounts) {
            $instance = $sequentialFleet[$account.Index - 1]
            ConvertTo-Outcome (& $provision $instance $account.Pairs $account.DataSpaceName) $account.Index
        }
        Disconnect-CommerceInstance -All

        $fleet = @(foreach ($account in $Accounts) { New-TestInstance "parallel-$($account.Index)" -Emulator $Emulator -ConfigStore EnvPhp -Role Staging })
        $work = foreach ($account in $Accounts) {
            [pscustomobject]@{ Instance = $fleet[$account.Index - 1]; Pairs = $account.Pairs; DataSpaceName = $account.DataSpaceName }
        }
        $returned = $work | ForEach-Object -ThrottleLimit $FleetSize -Parallel {
            Import-Module -Name $using:ModuleManifest -ErrorAction Stop
            $provision = [scriptblock]::Create($using:ProvisionText)
            [pscustomobject]@{
                Report   = & $provision $_.Instance $_.Pairs $_.DataSpaceName
                Runspace = [runspace]::DefaultRunspace.InstanceId
                Thread   = [System.Threading.Thread]::CurrentThread.ManagedThreadId
            }
        } -ErrorVariable parallelErrors

        $parallelErrors | Should -BeNullOrEmpty
        $returned | Should -HaveCount $FleetSize
        # Really in parallel runspaces, none of them this one.
        $returned.Runspace | Should -Not -Contain ([runspace]::DefaultRunspace.InstanceId)
        @($returned.Runspace | Sort-Object -Unique).Count | Should -BeGreaterThan 1

        foreach ($account in $Accounts) {
            $instance = $fleet[$account.Index - 1]
            $report = ($returned | Where-Object { [object]::ReferenceEquals($_.Report.Instance, $instance) }).Report
            $report | Should -HaveCount 1 -Because "the report of $($instance.Path) is about that very instance"
            $report.IsConnected | Should -BeTrue -Because ($report.Failed -join ', ')
            $report.ProjectName | Should -Be $account.ProjectName
            $report.DataSpaceName | Should -Be $account.DataSpaceName
            $report.DataSpaceId | Should -Be $account.DataSpaceId

            # Read back here, in the caller: each instance holds its own account's pairs and data space.
            $stored = Get-CommerceApiKey -Instance $instance | Sort-Object Environment
            $stored.Environment | Should -Be @('Production', 'Sandbox')
            $stored.Fingerprint | Should -Be $account.Fingerprints
            $stored.ApiKeyLayer | Should -Be @('EnvPhp', 'EnvPhp')
            $again = Test-CommerceConnection -Instance $instance
            $again.IsConnected | Should -BeTrue
            $again.DataSpaceId | Should -Be $account.DataSpaceId
        }

        $parallel = foreach ($account in $Accounts) {
            $instance = $fleet[$account.Index - 1]
            ConvertTo-Outcome ($returned | Where-Object { [object]::ReferenceEquals($_.Report.Instance, $instance) }).Report $account.Index
        }
        $parallel | Should -Be $sequential
    }

    It 'gives a parallel runspace no default connection: Get-CommerceInstance is empty and a cmdlet without -Instance fails with NoCommerceInstance' {
        $mine = New-TestInstance 'caller-default' -Emulator $Emulator -ConfigStore EnvPhp
        $before = Get-EnvPhp $mine

        $seen = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module -Name $using:ModuleManifest -ErrorAction Stop
            $ids = foreach ($call in { Get-CommerceServicesConfig }, { Test-CommerceConnection -Offline }, { Set-CommerceGatewayEnvironment -Environment Sandbox }, { Get-SaasProject }) {
                try {
                    & $call
                    'no error'
                }
                catch {
                    $_.FullyQualifiedErrorId
                }
            }
            [pscustomobject]@{
                Instances = @(Get-CommerceInstance).Count
                Default   = @(Get-CommerceInstance -Default).Count
                ErrorIds  = $ids
            }
        }

        $seen | Should -HaveCount 3
        foreach ($runspace in $seen) {
            $runspace.Instances | Should -Be 0
            $runspace.Default | Should -Be 0
            $runspace.ErrorIds | Should -Be @(
                'NoCommerceInstance,CommerceServices.PowerShell.Commands.GetCommerceServicesConfigCommand'
                'NoCommerceInstance,CommerceServices.PowerShell.Commands.TestCommerceConnectionCommand'
                'NoCommerceInstance,CommerceServices.PowerShell.Commands.SetCommerceGatewayEnvironmentCommand'
                'NoCommerceInstance,CommerceServices.PowerShell.Commands.GetSaasProjectCommand'
            )
        }

        # The caller's session is as it was, and nothing was written to its default instance.
        $default = Get-CommerceInstance -Default
        [object]::ReferenceEquals($default, $mine) | Should -BeTrue
        @(Get-CommerceInstance) | Should -HaveCount 1
        Get-EnvPhp $mine | Should -BeExactly $before
    }

    It 'brings the NoCommerceInstance error of a parallel runspace back to the caller as an error record with its id' {
        $null = New-TestInstance 'caller-errors' -Emulator $Emulator -ConfigStore EnvPhp

        # -ErrorAction is not allowed with -Parallel: the errors are rewritten here under this
        # scope's preference (a runner may have set Stop), so merge the error stream and take it apart.
        $ErrorActionPreference = 'Continue'
        $all = 1..2 | ForEach-Object -Parallel {
            Import-Module -Name $using:ModuleManifest -ErrorAction Stop
            Get-CommerceServicesConfig
        } 2>&1
        $failures = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })

        $all | Should -HaveCount 2
        $failures | Should -HaveCount 2
        $failures | ForEach-Object {
            $_ | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $_.FullyQualifiedErrorId | Should -Be 'NoCommerceInstance,CommerceServices.PowerShell.Commands.GetCommerceServicesConfigCommand'
            $_.CategoryInfo.Category | Should -Be 'ConnectionError'
        }
    }

    It 'keeps a Connect-CommerceInstance inside a parallel runspace out of the caller''s session' {
        $mine = New-TestInstance 'caller-own' -Emulator $Emulator -ConfigStore EnvPhp
        $roots = 1..3 | ForEach-Object { New-TestInstance "connected-elsewhere-$_" -Emulator $Emulator }

        # -UseNewRunspace: each iteration a runspace of its own (see the next test for reuse).
        $connected = $roots | ForEach-Object -ThrottleLimit 3 -UseNewRunspace -Parallel {
            Import-Module -Name $using:ModuleManifest -ErrorAction Stop
            $instance = Connect-CommerceInstance -Path $_ -ConfigStore EnvPhp -Role Development -PassThru
            [pscustomobject]@{
                Instance  = $instance
                Connected = @(Get-CommerceInstance).Path
                IsDefault = [object]::ReferenceEquals((Get-CommerceInstance -Default), $instance)
            }
        }

        $connected | Should -HaveCount 3
        foreach ($item in $connected) {
            $item.Connected | Should -Be @($item.Instance.Path)
            $item.IsDefault | Should -BeTrue
        }
        @(Get-CommerceInstance) | Should -HaveCount 1
        [object]::ReferenceEquals((Get-CommerceInstance -Default), $mine) | Should -BeTrue

        # An instance connected elsewhere is still a live object: -Instance takes it here.
        $report = Test-CommerceConnection -Instance $connected[0].Instance -Offline
        $report.Instance.Role | Should -Be 'Development'
        $report.Failed | Should -Contain 'ProductionKeyPair'
    }

    It 'checks R6 against the connections of its own runspace only; the caller''s fleet test reports a data space shared from parallel runspaces' {
        $account = $Accounts[2]
        $pair = 'shared-1', 'shared-2' | ForEach-Object {
            New-TestInstance $_ -Emulator $Emulator -ConfigStore EnvPhp
        }

        # Both connected here, but each parallel runspace knows none of them: nothing is refused.
        $pair | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module -Name $using:ModuleManifest -ErrorAction Stop
            $shared = $using:account
            $shared.Files | Set-CommerceApiKey -Instance $_
            Get-SaasDataSpace -Instance $_ -Name $shared.DataSpaceName | Set-CommerceDataSpace -Instance $_ -Confirm:$false
        } -ErrorVariable parallelErrors
        $parallelErrors | Should -BeNullOrEmpty

        $reports = $pair | Test-CommerceConnection
        $reports.DataSpaceId | Should -Be @($account.DataSpaceId, $account.DataSpaceId)
        $reports.IsConnected | Should -Be @($false, $false)
        $reports | ForEach-Object { $_.Failed | Should -Be @('SharedDataSpace') }
    }

    It 'shares a reused runspace''s connections between the iterations it runs, as any module''s state, but not with -UseNewRunspace' {
        $roots = 1..4 | ForEach-Object { New-TestInstance "reused-$_" -Emulator $Emulator }
        $probe = {
            Import-Module -Name $using:ModuleManifest -ErrorAction Stop
            $before = @(Get-CommerceInstance).Count
            $null = Connect-CommerceInstance -Path $_ -ConfigStore EnvPhp
            [pscustomobject]@{ Runspace = [runspace]::DefaultRunspace.InstanceId; Before = $before }
        }

        # One runspace runs all four iterations one after the other: the pool reuses it (pwsh 7.1+).
        $reused = $roots | ForEach-Object -ThrottleLimit 1 -Parallel $probe
        @($reused.Runspace | Sort-Object -Unique) | Should -HaveCount 1
        $reused.Before | Should -Be @(0, 1, 2, 3)

        $fresh = $roots | ForEach-Object -ThrottleLimit 1 -UseNewRunspace -Parallel $probe
        @($fresh.Runspace | Sort-Object -Unique) | Should -HaveCount 4
        $fresh.Before | Should -Be @(0, 0, 0, 0)

        @(Get-CommerceInstance) | Should -HaveCount 0
    }
}

Describe 'Start-ThreadJob' {
    BeforeAll {
        Import-Module -Name Microsoft.PowerShell.ThreadJob -ErrorAction Stop
    }

    AfterEach {
        Disconnect-CommerceInstance -All
    }

    It 'returns live objects of the module''s own types from a thread job given an instance with $using:' {
        $account = $Accounts[0]
        $files = $account.Files
        $instance = New-TestInstance 'job-using' -Emulator $Emulator -ConfigStore EnvPhp

        $results = Start-ThreadJob -ScriptBlock {
            Import-Module -Name $using:ModuleManifest -ErrorAction Stop
            $target = $using:instance
            $using:files | Set-CommerceApiKey -Instance $target -PassThru
            Test-CommerceConnection -Instance $target
            Get-SaasProject -Instance $target
        } | Receive-Job -Wait -AutoRemoveJob

        $stored = @($results | Where-Object { $_ -is [CommerceServices.Instances.StoredApiKey] })
        $report = @($results | Where-Object { $_ -is [CommerceServices.Diagnostics.CommerceConnectionReport] })
        $project = @($results | Where-Object { $_ -is [CommerceServices.Saas.SaasProject] })
        $stored | Should -HaveCount 2
        $report | Should -HaveCount 1
        $project | Should -HaveCount 1
        $results | Should -HaveCount 4

        # Live objects, not the property bags a process job or remoting returns.
        foreach ($result in $results) {
            $result.pstypenames | Should -Not -Match '^Deserialized\.'
            $result.GetType().Assembly.GetName().Name | Should -BeLike 'CommerceServices*'
        }
        [object]::ReferenceEquals($report[0].Instance, $instance) | Should -BeTrue
        $report[0].Checks[0] | Should -BeOfType ([CommerceServices.Diagnostics.ConnectionCheck])
        $report[0].Failed | Should -Be @('SaasIdentifier')
        ($stored | Sort-Object Environment).Fingerprint | Should -Be $account.Fingerprints
        $project[0].Name | Should -Be $account.ProjectName
        $project[0].DataSpaces | Should -HaveCount 3

        # What the job wrote is what this runspace reads.
        (Get-CommerceApiKey -Instance $instance | Sort-Object Environment).Fingerprint | Should -Be $account.Fingerprints
        # A live project still pipes on, here, with the key pair it carries.
        ($project[0] | Get-SaasDataSpace -Type Testing).Name | Should -Be @('Testing 1', 'Testing 2')
    }

    It 'takes the instance from -ArgumentList and brings errors back as error records with the module''s ids' {
        $account = $Accounts[1]
        $instance = New-TestInstance 'job-arguments' -Emulator $Emulator -ConfigStore EnvPhp
        Initialize-DemoInstance -Instance $instance -Keys $account.Files -DataSpaceName $account.DataSpaceName -ProjectName $account.ProjectName
        $before = Get-EnvPhp $instance

        $job = Start-ThreadJob -ArgumentList $instance, $ModuleManifest -ScriptBlock {
            param($Target, [string] $Manifest)
            Import-Module -Name $Manifest -ErrorAction Stop
            Get-SaasProject -Instance $Target -ProjectId 'no-such-project'
            Set-CommerceDataSpace -Instance $Target -DataSpaceId 'no-such-space' -Confirm:$false
            Test-CommerceConnection -Instance $Target
            # No default connection in the job's runspace: terminating, so it comes last.
            Get-CommerceServicesConfig
        }
        $results = $job | Receive-Job -Wait -AutoRemoveJob -ErrorAction SilentlyContinue -ErrorVariable failures

        $results | Should -HaveCount 1
        $results[0] | Should -BeOfType ([CommerceServices.Diagnostics.CommerceConnectionReport])
        $results[0].IsConnected | Should -BeTrue
        $results[0].DataSpaceName | Should -Be $account.DataSpaceName

        $failures | Should -HaveCount 3
        $failures | ForEach-Object { $_ | Should -BeOfType ([System.Management.Automation.ErrorRecord]) }
        $failures.FullyQualifiedErrorId | Should -Be @(
            'ProjectNotFound,CommerceServices.PowerShell.Commands.GetSaasProjectCommand'
            'DataSpaceNotFound,CommerceServices.PowerShell.Commands.SetCommerceDataSpaceCommand'
            'NoCommerceInstance,CommerceServices.PowerShell.Commands.GetCommerceServicesConfigCommand'
        )
        # The gateway errors keep their typed exceptions, live.
        $failures[0].Exception.GetType().FullName | Should -Be 'CommerceServices.Gateway.ProjectNotFoundException'
        $failures[1].Exception.GetType().FullName | Should -Be 'CommerceServices.Gateway.DataSpaceNotFoundException'
        $failures[0].TargetObject | Should -Be 'no-such-project'

        # A refused change changed nothing.
        Get-EnvPhp $instance | Should -BeExactly $before
    }
}
