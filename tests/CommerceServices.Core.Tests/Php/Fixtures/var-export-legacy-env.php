<?php
return array (
  'backend' => 
  array (
    'frontName' => 'admin',
  ),
  'db' => 
  array (
    'table_prefix' => '',
    'connection' => 
    array (
      'default' => 
      array (
        'host' => '/var/run/mysqld/mysqld.sock',
        'dbname' => 'magento2',
        'username' => 'root',
        'password' => '',
        'active' => '1',
        'persistent' => NULL,
      ),
    ),
  ),
  'crypt' => 
  array (
    'key' => '8a9c3d2e1f0b4a5c6d7e8f9a0b1c2d3e',
  ),
  'MAGE_MODE' => 'default',
  'cache_types' => 
  array (
    'config' => 1,
    'compiled_config' => TRUE,
  ),
);
