@{
    RootModule           = 'CommerceServices.Emulator.dll'
    ModuleVersion        = '{{ModuleVersion}}'  # filled in by the build from CommerceServices.psd1
    CompatiblePSEditions = @('Core')
    GUID                 = '5d0c2b7e-3f4a-4c61-9d2e-8a7b6c5d4e31'
    Author               = 'CommerceServices contributors'
    CompanyName          = 'CommerceServices contributors'
    Copyright            = '(c) CommerceServices contributors. MIT License.'
    Description          = 'A local emulator of the Adobe Commerce Services gateway and API Portal, for testing scripts that use the CommerceServices module without reaching Adobe.'
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('CommerceServices.Emulator.format.ps1xml')
    CmdletsToExport      = @(
        'Start-CommerceServicesEmulator'
        'Stop-CommerceServicesEmulator'
        'New-CommerceServicesEmulatorKey'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Magento', 'AdobeCommerce', 'CommerceServices', 'Testing', 'Emulator', 'Pester', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/commerceservices/CommerceServicesPS'
            LicenseUri   = 'https://github.com/commerceservices/CommerceServicesPS/blob/main/LICENSE'
            ReleaseNotes = 'First release: both gateway environments, the merchant registry, key issuing and revocation, fault injection and a request log.'
        }
    }
}
