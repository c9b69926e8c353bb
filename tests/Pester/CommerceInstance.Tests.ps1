#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Connect-CommerceInstance' {
    AfterEach {
        Disconnect-CommerceInstance -All
    }

    It 'reads edition, version, mode, modules and database' {
        $instance = Connect-CommerceInstance -Path (New-TestInstance 'shop') -PassThru
        $instance.Edition | Should -Be 'AdobeCommerce'
        $instance.Version | Should -Be '2.4.7-p3'
        $instance.MageMode | Should -Be 'production'
        $instance.ServicesConnectorEnabled | Should -BeTrue
        $instance.Database.Port | Should -Be 3307
        $instance.Database.TablePrefix | Should -Be 'mg_'
        ($instance | Out-String) | Should -Not -Match 'DbSecret'
    }

    It 'reads Open Source and unix sockets' {
        $instance = Connect-CommerceInstance -Path (New-TestInstance 'oss' -Package 'magento/product-community-edition' -DbHost '/run/mysqld/mysqld.sock') -PassThru
        $instance.Edition | Should -Be 'MagentoOpenSource'
        $instance.Database.Socket | Should -Be '/run/mysqld/mysqld.sock'
    }

    It 'remembers connections per session with the last as default' {
        (New-TestInstance 'a'), (New-TestInstance 'b') | Connect-CommerceInstance
        (Get-CommerceInstance).Name | Should -Be @('a', 'b')
        (Get-CommerceInstance -Default).Name | Should -Be 'b'
    }

    It 'names the file and line of a value that needs PHP' {
        $root = New-TestInstance 'broken'
        Set-Content -Path (Join-Path $root 'app/etc/env.php') -Value "<?php`nreturn [`n    'db' => getenv('DB'),`n];"
        { Connect-CommerceInstance -Path $root -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConfigFileNotReadable,CommerceServices.PowerShell.Commands.ConnectCommerceInstanceCommand' -ExpectedMessage '*line 3*'
    }

    It 'refuses a folder that is not a Magento root' {
        { Connect-CommerceInstance -Path $TestDrive -ErrorAction Stop } |
            Should -Throw -ErrorId 'NotACommerceInstance,CommerceServices.PowerShell.Commands.ConnectCommerceInstanceCommand'
    }
}
