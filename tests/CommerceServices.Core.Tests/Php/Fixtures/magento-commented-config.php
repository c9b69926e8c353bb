<?php
return [
    'modules' => [
        'Magento_Store' => 1,
        'Magento_ServicesConnector' => 1,
        'Magento_ServicesId' => 0,
    ],
    'scopes' => [
        'websites' => [
            'admin' => [
                'website_id' => '0',
                'code' => 'admin',
                'name' => 'Admin',
            ],
        ],
    ],
    /**
     * For the section: system
     * For further information on values in this section, see documentation.
     */
    'system' => [
        'default' => [
            'general' => [
                'locale' => [
                    'code' => 'en_US',
                ],
            ],
        ],
    ],
    'i18n' => [
        'dictionaries' => [
            0 => 'a',
            1 => 'b',
        ],
    ],
];
