@{
    RootModule           = 'CommerceServices.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = 'b3c4c0b6-6f0e-4b43-9a57-2f0f5d7c2e11'
    Author               = 'CommerceServices contributors'
    CompanyName          = 'CommerceServices contributors'
    Copyright            = '(c) CommerceServices contributors. MIT License.'
    Description          = 'Connect Adobe Commerce and Magento Open Source instances to Adobe Commerce Services without the Admin: validate API key pairs, manage SaaS projects and data spaces, and check connections, from the console, scripts and Pester.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('CommerceServices.format.ps1xml')
    TypesToProcess       = @('CommerceServices.types.ps1xml')
    CmdletsToExport      = @(
        'Connect-CommerceInstance'
        'Disconnect-CommerceInstance'
        'Export-CommerceServicesConfig'
        'Get-CommerceApiKey'
        'Get-CommerceDataExportStatus'
        'Get-CommerceInstance'
        'Get-CommerceServicesConfig'
        'Get-CommerceServicesConfigBackup'
        'Get-SaasDataSpace'
        'Get-SaasProject'
        'Import-CommerceApiKey'
        'New-SaasProject'
        'Rename-SaasDataSpace'
        'Rename-SaasProject'
        'Restore-CommerceServicesConfig'
        'Set-CommerceApiKey'
        'Set-CommerceDataSpace'
        'Set-CommerceGatewayEnvironment'
        'Set-CommerceImsOrganization'
        'Set-CommerceProject'
        'Set-CommerceServicesState'
        'Start-CommerceDataExportResync'
        'Test-CommerceApiKey'
        'Test-CommerceConnection'
        'Test-CommerceServicesState'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Magento', 'AdobeCommerce', 'CommerceServices', 'SaaS', 'LiveSearch', 'ProductRecommendations', 'PaymentServices', 'PSEdition_Desktop', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://github.com/commerceservices/CommerceServicesPS'
            LicenseUri   = 'https://github.com/commerceservices/CommerceServicesPS/blob/main/LICENSE'
            ReleaseNotes = 'First release: Test-CommerceApiKey and Import-CommerceApiKey validate and repair Commerce Services API key pairs and sign gateway requests exactly as the Magento connector does; Get-, New- and Rename-SaasProject and Get- and Rename-SaasDataSpace manage SaaS projects and data spaces through the gateway, with retries, typed errors and -WhatIf.'
        }
    }
}
