<?php
declare(strict_types=1);

/*
 * Hand-edited: every comment style, both string styles, heredoc and nowdoc, odd numbers.
 */
# shell-style comment
return [ // the configuration
    "crypt" => ["key" => "6wRADHwwCBGgdxbcHhovGB0upmg0mbsN"],
    'escapes' => "tab\there\nnew line \$notavar \"quoted\" \x41\x4a \101 \u{1F600} back\\slash \q stays",
    'single' => 'no $interpolation here, \n stays, it\'s fine',
    'numbers' => [-5, +7, 1.5, -2.5e3, .5, 1_000_000, 0x1F, 0b101, 017, 0o17, 9223372036854775807, 9223372036854775808, 1e3, 7E-3],
    'bools' => [True, FALSE, Null, \true],
    'keys' => ['8' => 'string eight is integer eight', '08' => 'stays a string', -3 => 'negative key', 'x' => 1, 'after' , 5 => 'five', 'next', 'x' => 'duplicate replaces'],
    'services_connector' => [
        'sandbox_private_key' => <<<KEY
            -----BEGIN PRIVATE KEY-----
            MIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8AgEAAkEA
            -----END PRIVATE KEY-----
            KEY,
        'nowdoc' => <<<'RAW'
literal $var and \n stay
RAW
        ,
        'quoted_heredoc' => <<<"TXT"
      indented "text"\twith a tab
    TXT,
    ],
    'empty' => [],
    'old' => array(1, 2, array('a' => ARRAY()),),
    'multi
line key' => 'value',
];
?>
