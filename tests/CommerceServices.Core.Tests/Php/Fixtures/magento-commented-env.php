<?php
return [
    'backend' => [
        'frontName' => 'admin_k2v9r',
    ],
    'crypt' => [
        'key' => 'f3c1e2d4b5a6978869504132a1b2c3d4
base64ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=',
    ],
    /**
     * For the section: db
     * Database credentials come from the vault at deploy time.
     * Do not edit by hand: run 'bin/magento setup:config:set' instead.
     */
    'db' => [
        'table_prefix' => 'mg_',
        'connection' => [
            'default' => [
                'host' => '10.0.3.7:3306',
                'dbname' => 'shop',
                'username' => 'shop',
                'password' => 'It\'s a secret \\ really',
                'model' => 'mysql4',
                'engine' => 'innodb',
                'initStatements' => 'SET NAMES utf8;',
                'active' => '1',
                'driver_options' => [
                    1014 => false,
                ],
            ],
        ],
    ],
    'resource' => [
        'default_setup' => [
            'connection' => 'default',
        ],
    ],
    'x-frame-options' => 'SAMEORIGIN',
    'MAGE_MODE' => 'production',
    'session' => [
        'save' => 'redis',
        'redis' => [
            'host' => '10.0.3.9',
            'port' => '6379',
            'password' => '',
            'timeout' => '2.5',
            'database' => '2',
            'compression_threshold' => '2048',
            'log_level' => '1',
            'max_concurrency' => '6',
            'disable_locking' => '0',
        ],
    ],
    'cache' => [
        'frontend' => [
            'default' => [
                'id_prefix' => '9a1_',
                'backend' => 'Magento\\Framework\\Cache\\Backend\\Redis',
                'backend_options' => [
                    'server' => '10.0.3.9',
                    'database' => '0',
                    'port' => '6379',
                    'compress_data' => '1',
                ],
            ],
            'page_cache' => [
                'id_prefix' => '9a1_',
            ],
        ],
        'allow_parallel_generation' => false,
    ],
    'lock' => [
        'provider' => 'db',
        'config' => [
            'prefix' => null,
        ],
    ],
    'cache_types' => [
        'config' => 1,
        'layout' => 1,
        'full_page' => 1,
        'translate' => 0,
    ],
    /**
     * For the section: downloadable_domains
     * Hosts that downloadable products may be fetched from.
     */
    'downloadable_domains' => [
        0 => 'shop.example.com',
        1 => 'media.example.com',
    ],
    'install' => [
        'date' => 'Tue, 14 May 2024 08:30:00 +0000',
    ],
    /**
     * For the section: system
     * Locked settings: change them here and run 'bin/magento app:config:import'.
     * 
     *   (values set with 'bin/magento config:set --lock-env')
     */
    'system' => [
        'default' => [
            'web' => [
                'secure' => [
                    'use_in_frontend' => '1',
                ],
                'unsecure' => [
                    'base_url' => '{{unsecure_base_url}}',
                ],
            ],
            'services_connector' => [
                'services_id' => [
                    'environment' => null,
                ],
            ],
        ],
    ],
];
