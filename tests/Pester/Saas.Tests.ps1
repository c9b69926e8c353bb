#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Projects and data spaces against a local gateway emulator, as a user's own Pester suite would.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module -Name $EmulatorManifest -Force -ErrorAction Stop

    $script:Emulator = Start-CommerceServicesEmulator
    $script:Commerce = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-AC' -Edition AdobeCommerce -Directory $TestDrive
    $script:OpenSource = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-OS' -Edition MagentoOpenSource -Directory $TestDrive
    $script:Key = $Commerce | Import-CommerceApiKey
    $script:Gateway = $Emulator.ProductionUri
}

AfterAll {
    Stop-CommerceServicesEmulator -Emulator $Emulator
}

Describe 'SaaS projects and data spaces' {
    It 'creates an Adobe Commerce project with 1 Production and 2 Testing data spaces' {
        $project = New-SaasProject -ApiKey $Key -GatewayUri $Gateway -Name 'Storefront'
        $project.DataSpaces.Type | Should -Be @('Production', 'Testing', 'Testing')
    }

    It 'creates a Magento Open Source project with 1 Production data space' {
        $project = $OpenSource | New-SaasProject -Name 'Shop'
        $project.DataSpaces.Type | Should -Be @('Production')
    }

    It 'refuses a second project of the same name unless forced' {
        { New-SaasProject -ApiKey $Key -GatewayUri $Gateway -Name 'Storefront' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ProjectAlreadyExists,CommerceServices.PowerShell.Commands.NewSaasProjectCommand'
    }

    It 'pipes projects into data spaces and data spaces into renames' {
        $renamed = Get-SaasProject -ApiKey $Key -GatewayUri $Gateway -Name 'Storefront' |
            Get-SaasDataSpace -Name 'Testing 2' |
            Rename-SaasDataSpace -NewName 'Staging' -PassThru
        $renamed.Name | Should -Be 'Staging'
        (Get-SaasDataSpace -ApiKey $Key -GatewayUri $Gateway -DataSpaceId $renamed.DataSpaceId).Name | Should -Be 'Staging'
    }

    It 'renames a project and is silent without -PassThru' {
        $project = Get-SaasProject -ApiKey $Key -GatewayUri $Gateway -Name 'Storefront'
        $project | Rename-SaasProject -NewName 'Storefront EU' | Should -BeNullOrEmpty
        (Get-SaasProject -ApiKey $Key -GatewayUri $Gateway -ProjectId $project.ProjectId).Name | Should -Be 'Storefront EU'
    }

    It 'sends nothing with -WhatIf' {
        $Emulator.ClearRequests()
        New-SaasProject -ApiKey $Key -GatewayUri $Gateway -Name 'Imagined' -WhatIf
        $Emulator.Requests | Should -BeNullOrEmpty
    }

    It 'retries a read after 429 and does not retry a write after 503' {
        $null = $Emulator.AddFault([CommerceServices.Emulator.EmulatorFault]::new('TooManyRequests', 1))
        { Get-SaasProject -ApiKey $Key -GatewayUri $Gateway -ErrorAction Stop } | Should -Not -Throw

        $fault = [CommerceServices.Emulator.EmulatorFault]::new('ServiceUnavailable', 1)
        $fault.Method = 'POST'
        $null = $Emulator.AddFault($fault)
        { New-SaasProject -ApiKey $Key -GatewayUri $Gateway -Name 'Once' -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'GatewayUnavailable,CommerceServices.PowerShell.Commands.NewSaasProjectCommand'
    }

    It 'reports ApiKeyRejected once new keys were generated' {
        $old = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-ROT' -Directory (Join-Path $TestDrive 'old')
        $null = New-CommerceServicesEmulatorKey -Emulator $Emulator -MageId 'MAGE-ROT' -Directory (Join-Path $TestDrive 'new')
        { $old | Get-SaasProject -ErrorAction Stop } | Should -Throw -ErrorId 'ApiKeyRejected,CommerceServices.PowerShell.Commands.GetSaasProjectCommand'
        ($old | Test-CommerceApiKey -Online).Problems | Should -Be @('ApiKeyRejected')
    }

    It 'turns a malformed answer into GatewayProtocolError' {
        $null = $Emulator.AddFault([CommerceServices.Emulator.EmulatorFault]::new('MalformedJson', 1))
        { Get-SaasDataSpace -ApiKey $Key -GatewayUri $Gateway -ErrorAction Stop } |
            Should -Throw -ErrorId 'GatewayProtocolError,CommerceServices.PowerShell.Commands.GetSaasDataSpaceCommand'
    }
}
