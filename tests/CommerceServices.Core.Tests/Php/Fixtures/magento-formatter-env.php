<?php
return [
    'backend' => [
        'frontName' => 'admin_1x9k2'
    ],
    'remote_storage' => [
        'driver' => 'file'
    ],
    'queue' => [
        'consumers_wait_for_messages' => 1
    ],
    'crypt' => [
        'key' => 'base64AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
6wRADHwwCBGgdxbcHhovGB0upmg0mbsN'
    ],
    'db' => [
        'table_prefix' => 'mg_',
        'connection' => [
            'default' => [
                'host' => '127.0.0.1:3307',
                'dbname' => 'magento',
                'username' => 'magento',
                'password' => 'p@ss\'word\\',
                'model' => 'mysql4',
                'engine' => 'innodb',
                'initStatements' => 'SET NAMES utf8;',
                'active' => '1',
                'driver_options' => [
                    1014 => false
                ]
            ]
        ]
    ],
    'resource' => [
        'default_setup' => [
            'connection' => 'default'
        ]
    ],
    'x-frame-options' => 'SAMEORIGIN',
    'MAGE_MODE' => 'production',
    'session' => [
        'save' => 'files'
    ],
    'cache' => [
        'frontend' => [
            'default' => [
                'id_prefix' => '75e_'
            ],
            'page_cache' => [
                'id_prefix' => '75e_'
            ]
        ],
        'allow_parallel_generation' => false
    ],
    'lock' => [
        'provider' => 'db',
        'config' => [
            'prefix' => null
        ]
    ],
    'directories' => [
        'document_root_is_pub' => true
    ],
    'cache_types' => [
        'config' => 1,
        'layout' => 1,
        'full_page' => 0
    ],
    'downloadable_domains' => [
        'shop.example.com',
        'cdn.example.com'
    ],
    'install' => [
        'date' => 'Mon, 02 Sep 2024 10:11:12 +0000'
    ],
    'system' => [
        'default' => [
            'services_connector' => [
                'services_connector_integration' => [
                    'production_api_key' => '1:3:AAECAwQFBgcICQoLwZ5kbEY38i/F71vSuTxGgLJvjjLGozGOfHSnDAPr'
                ],
                'services_id' => [
                    'environment' => null
                ]
            ],
            'web' => [
                'unsecure' => [
                    'base_url' => '{{unsecure_base_url}}'
                ]
            ]
        ]
    ]
];
