<?php
// The reference peer for the private key reader's fuzz test: what PHP's OpenSSL reads and signs, many inputs in one process.
//   php private-key-fuzz.php <list> <first> <data>
// <list> holds one line per input, "<file>\t<export>": the input's file, and the base64 of the PKCS#8 PEM our
// reader exported from it (empty when we refused it). From line <first> (0-based) on, prints "<index>\tstart",
// then "<index>\t<as pasted>\t<export>", each "refused" (openssl_pkey_get_private returns false), "-" (no export)
// or "<type>:<bits>:<base64 signature>:<verifies>": the key read and, for inputs we accepted, openssl_sign of <data>
// with SHA-256 as the connector signs (firebase/php-jwt), and 1 when openssl_verify accepts that signature with the
// key's public key. Keys we refused are not signed: a corrupt key with a huge exponent takes OpenSSL seconds.
// The key is read with the passphrase '', as openssl_sign reads a PEM string: an encrypted key never prompts.
ini_set('display_errors', '0');
error_reporting(E_ALL);

function readKey(string $pem, ?string $data): string
{
    $key = openssl_pkey_get_private($pem, '');
    if ($key === false) {
        while (openssl_error_string() !== false) {
        }
        return 'refused';
    }
    $details = openssl_pkey_get_details($key);
    $types = [OPENSSL_KEYTYPE_RSA => 'rsa', OPENSSL_KEYTYPE_DSA => 'dsa', OPENSSL_KEYTYPE_DH => 'dh', OPENSSL_KEYTYPE_EC => 'ec'];
    $type = $types[$details['type']] ?? 'other';
    if ($data === null) {
        return $type . ':' . $details['bits'] . '::0';
    }
    $signature = '';
    if (!openssl_sign($data, $signature, $key, OPENSSL_ALGO_SHA256)) {
        while (openssl_error_string() !== false) {
        }
        return $type . ':' . $details['bits'] . '::0';
    }
    $verifies = openssl_verify($data, $signature, $details['key'], OPENSSL_ALGO_SHA256) === 1 ? '1' : '0';
    while (openssl_error_string() !== false) {
    }
    return $type . ':' . $details['bits'] . ':' . base64_encode($signature) . ':' . $verifies;
}

$lines = file($argv[1], FILE_IGNORE_NEW_LINES);
$data = $argv[3];
$exports = [];
for ($i = (int)$argv[2]; $i < count($lines); $i++) {
    echo $i, "\tstart\n";
    flush();
    [$file, $export] = explode("\t", $lines[$i]);
    $pasted = readKey(file_get_contents($file), $export === '' ? null : $data);
    if ($export === '') {
        $exported = '-';
    } else {
        // Most accepted inputs hold the same few keys: each export is read and signed once.
        $exported = $exports[$export] ??= readKey(base64_decode($export), $data);
    }
    echo $i, "\t", $pasted, "\t", $exported, "\n";
}
