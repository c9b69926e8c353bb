#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# The guard rails (R6, R7, R8), connection tests and fleet rotation, against the gateway emulator and
# sample instances that name no database (not installed yet: the env.php store writes their files
# directly), as a team's own Pester suite would test its provisioning.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module -Name $EmulatorManifest -Force -ErrorAction Stop

    $script:Emulator = Start-CommerceServicesEmulator
    $script:Keys = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-GUARD' -Edition AdobeCommerce -Environment Production, Sandbox -Directory (Join-Path $TestDrive 'keys')

    # A demo instance with the key pairs, connected with the env.php store as a Staging instance unless -Role says otherwise.
    $script:Guarded = @{ Emulator = $Emulator; ConfigStore = 'EnvPhp'; Role = 'Staging'; Keys = $Keys }

    $script:Project = New-SaasProject -ApiKey ($Keys[0] | Import-CommerceApiKey) -GatewayUri $Emulator.ProductionUri -Name 'Guarded'
}

AfterAll {
    Disconnect-CommerceInstance -All
    Stop-CommerceServicesEmulator -Emulator $Emulator
}

Describe 'Guard rails' {
    AfterEach {
        Disconnect-CommerceInstance -All
    }

    It 'refuses a Production data space for an instance not declared Production (R7), and changes nothing, unless forced' {
        $staging = New-TestInstance 'r7-staging' @Guarded -Role Staging
        $before = Get-EnvPhp $staging
        $production = Get-SaasDataSpace -Instance $staging -ProjectId $Project.ProjectId -Type Production

        { $production | Set-CommerceDataSpace -Instance $staging -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'ProductionDataSpaceOnNonProduction,CommerceServices.PowerShell.Commands.SetCommerceDataSpaceCommand'
        Get-EnvPhp $staging | Should -BeExactly $before

        $production | Set-CommerceDataSpace -Instance $staging -Confirm:$false -Force
        $report = Test-CommerceConnection -Instance $staging
        $report.DataSpaceType | Should -Be 'Production'
        ($report.Checks | Where-Object Name -eq 'ProductionDataSpaceRole').Status | Should -Be 'Fail'
    }

    It 'lets an instance declared Production use the Production data space' {
        $live = New-TestInstance 'r7-live' @Guarded -Role Production

        Get-SaasDataSpace -Instance $live -ProjectId $Project.ProjectId -Type Production |
            Set-CommerceDataSpace -Instance $live -Confirm:$false
        (Test-CommerceConnection -Instance $live).DataSpaceType | Should -Be 'Production'
        Test-CommerceConnection -Instance $live -Quiet | Should -BeTrue
    }

    It 'refuses a data space another connected instance uses (R6), naming it, unless forced' {
        $first = New-TestInstance 'r6-first' @Guarded
        $second = New-TestInstance 'r6-second' @Guarded
        $space = Get-SaasDataSpace -Instance $first -ProjectId $Project.ProjectId -Name 'Testing 2'
        $space | Set-CommerceDataSpace -Instance $first -Confirm:$false

        $space | Set-CommerceDataSpace -Instance $second -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable refused
        $refused | Should -HaveCount 1
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'DataSpaceInUse,*'
        $refused[0].Exception.Message | Should -BeLike "*$($first.Path)*(R6)*"

        $space | Set-CommerceDataSpace -Instance $second -Confirm:$false -Force
        $reports = $first, $second | Test-CommerceConnection
        $reports.IsConnected | Should -Be @($false, $false)
        ($reports[0].Checks | Where-Object Name -eq 'SharedDataSpace').Status | Should -Be 'Fail'
    }

    It 'refuses to leave a Production data space in the session that changed the keys (R8), unless forced' {
        $live = New-TestInstance 'r8-live' @Guarded -Role Production
        $production = Get-SaasDataSpace -Instance $live -ProjectId $Project.ProjectId -Type Production
        $production | Set-CommerceDataSpace -Instance $live -Confirm:$false
        $Keys[0] | Set-CommerceApiKey -Instance $live
        $before = Get-EnvPhp $live

        { Get-SaasDataSpace -Instance $live -ProjectId $Project.ProjectId -Name 'Testing 1' |
            Set-CommerceDataSpace -Instance $live -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'ProductionIdentifierAfterKeyChange,CommerceServices.PowerShell.Commands.SetCommerceDataSpaceCommand'
        Get-EnvPhp $live | Should -BeExactly $before

        Get-SaasDataSpace -Instance $live -ProjectId $Project.ProjectId -Name 'Testing 1' |
            Set-CommerceDataSpace -Instance $live -Confirm:$false -Force
        (Test-CommerceConnection -Instance $live -Offline).DataSpaceName | Should -Be 'Testing 1'
    }

    It 'changes nothing with -WhatIf' {
        $staging = New-TestInstance 'whatif' @Guarded
        $before = Get-EnvPhp $staging

        Get-SaasDataSpace -Instance $staging -ProjectId $Project.ProjectId -Name 'Testing 1' | Set-CommerceDataSpace -Instance $staging -WhatIf
        Get-EnvPhp $staging | Should -BeExactly $before
    }
}

Describe 'Connection tests and fleet rotation' {
    AfterEach {
        Disconnect-CommerceInstance -All
    }

    It 'says why a fresh instance is not connected' {
        $report = New-TestInstance 'fresh' -Emulator $Emulator -ConfigStore EnvPhp | Test-CommerceConnection

        $report.IsConnected | Should -BeFalse
        $report.Failed | Should -Be @('ProductionKeyPair', 'SandboxKeyPair', 'SaasIdentifier')
        ($report.Checks | Where-Object Status -eq 'Fail').Remedy | Should -Not -BeNullOrEmpty
    }

    It 'asks the gateway about a new pair once for the whole fleet, and stores it everywhere' {
        $fleet = 'fleet-1', 'fleet-2', 'fleet-3' | ForEach-Object { New-TestInstance $_ @Guarded }
        $new = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-GUARD' -Environment Production -Directory (Join-Path $TestDrive 'new-keys')
        $key = $new | Import-CommerceApiKey
        $Emulator.ClearRequests()

        $stored = $fleet | Set-CommerceApiKey -ApiKey $key -PassThru

        @($Emulator.Requests | Where-Object Path -like '*ping') | Should -HaveCount 1
        $stored | Should -HaveCount 3
        $stored.Fingerprint | Sort-Object -Unique | Should -Be $key.Fingerprint
        ($fleet | Test-CommerceConnection | ForEach-Object { ($_.Checks | Where-Object Name -eq 'ProductionKeyOnline').Status }) |
            Should -Be @('Pass', 'Pass', 'Pass')
    }

    It 'changes no instance when the gateway refuses the pair' {
        $fleet = 'refused-1', 'refused-2' | ForEach-Object { New-TestInstance $_ -Emulator $Emulator -ConfigStore EnvPhp }
        $before = $fleet | ForEach-Object { Get-EnvPhp $_ }
        $old = $Keys[0] | Import-CommerceApiKey
        # New Production keys generated in the API Portal: the old pair is refused from now on (R3).
        $null = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-GUARD' -Environment Production -Directory (Join-Path $TestDrive 'newer-keys')

        $fleet | Set-CommerceApiKey -ApiKey $old -ErrorAction SilentlyContinue -ErrorVariable refused
        $refused | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Should -Be @('ApiKeyRejected', 'ApiKeyRejected')
        $fleet | ForEach-Object { Get-EnvPhp $_ } | Should -Be $before
    }
}
