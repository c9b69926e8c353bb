# Shared setup for the Pester tests: import the built module (out/CommerceServices), never an
# installed copy. Build first: dotnet build CommerceServicesPS.sln (or ./build.ps1 -Task Build).
$script:RepositoryRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = Join-Path $script:RepositoryRoot 'out/CommerceServices/CommerceServices.psd1'
if (-not (Test-Path -LiteralPath $script:ModuleManifest)) {
    throw "The module is not built: $script:ModuleManifest is missing. Run 'dotnet build CommerceServicesPS.sln' first."
}
Import-Module -Name $script:ModuleManifest -Force -ErrorAction Stop

function New-TestSecureString([string] $Text) {
    # Test-only: real scripts get the key from a vault, Read-Host -AsSecureString or a file.
    ConvertTo-SecureString -String $Text -AsPlainText -Force
}

function Get-TestKeyFingerprint([System.Security.Cryptography.RSA] $Rsa) {
    [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($Rsa.ExportSubjectPublicKeyInfo())).ToLowerInvariant()
}
