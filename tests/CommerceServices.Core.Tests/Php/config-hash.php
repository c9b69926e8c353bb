<?php
// The reference peer for Magento's deployment-config hash: sha1(json_encode(section)) of the
// merged config.php + env.php (ChangeDetector / Hash\Generator), and json_encode itself.
//   php config-hash.php <config.php> <env.php> <section>    prints the hash
//   php config-hash.php json <file.php>                      prints json_encode(include file)
if ($argv[1] === 'json') {
    echo json_encode(include $argv[2]);
    exit(0);
}
$merged = array_replace_recursive(include $argv[1], include $argv[2]);
echo sha1(json_encode($merged[$argv[3]] ?? []));
