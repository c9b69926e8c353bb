<?php
// The reference peer: builds and checks x-gw-signature tokens the way Magento's
// services-connector (JwtSignatureToken) and firebase/php-jwt v6 do, with PHP's OpenSSL.
//
//   php connector-signature.php sign <private-key.pem> <exp>      prints the token
//   php connector-signature.php verify <token> <private-key.pem>  prints 1 when the signature verifies
//   php connector-signature.php fingerprint <private-key.pem>     prints sha256 of the DER public key
//   php connector-signature.php accepts <private-key.pem>         prints 1 when OpenSSL can sign with the key

function urlsafeB64Encode(string $input): string
{
    return str_replace('=', '', strtr(base64_encode($input), '+/', '-_'));
}

function urlsafeB64Decode(string $input): string
{
    $remainder = strlen($input) % 4;
    if ($remainder) {
        $input .= str_repeat('=', 4 - $remainder);
    }
    return base64_decode(strtr($input, '-_', '+/'));
}

function connectorPayload(int $exp): array
{
    // Claims and their order as in services-connector Model/JwtSignatureToken.php.
    return [
        'exp' => $exp,
        'iss' => '8E6307BF5D775FA00A495EF9@AdobeOrg',
        'sub' => '3181519E5E2714990A495E2E@techacct.adobe.com',
        'https://ims-na1.adobelogin.com/s/ent_reactor_sdk' => true,
        'https://ims-na1.adobelogin.com/s/asset_compute_meta' => true,
        'https://ims-na1.adobelogin.com/s/ent_adobeio_sdk' => true,
        'https://ims-na1.adobelogin.com/s/event_receiver_api' => true,
        'aud' => 'https://ims-na1.adobelogin.com/c/9ec9d05f79eb443e8f76ce477b1e413c',
    ];
}

function phpJwtEncode(array $payload, string $privateKey): string
{
    // firebase/php-jwt v6 JWT::encode with RS256.
    $header = ['typ' => 'JWT', 'alg' => 'RS256'];
    $segments = [
        urlsafeB64Encode(json_encode($header, JSON_UNESCAPED_SLASHES)),
        urlsafeB64Encode(json_encode($payload, JSON_UNESCAPED_SLASHES)),
    ];
    $signingInput = implode('.', $segments);
    $signature = '';
    if (!openssl_sign($signingInput, $signature, $privateKey, 'SHA256')) {
        fwrite(STDERR, "openssl_sign failed: " . openssl_error_string() . "\n");
        exit(3);
    }
    $segments[] = urlsafeB64Encode($signature);
    return implode('.', $segments);
}

// The functions above are shared with connector-requests.php; the commands run only when this file is the script.
if (realpath($argv[0]) !== __FILE__) {
    return;
}

[$script, $mode] = [$argv[0], $argv[1] ?? ''];
switch ($mode) {
    case 'sign':
        echo phpJwtEncode(connectorPayload((int)$argv[3]), file_get_contents($argv[2]));
        break;
    case 'verify':
        [$h, $p, $s] = explode('.', $argv[2]);
        $public = openssl_pkey_get_details(openssl_pkey_get_private(file_get_contents($argv[3])))['key'];
        echo openssl_verify("$h.$p", urlsafeB64Decode($s), $public, OPENSSL_ALGO_SHA256);
        break;
    case 'fingerprint':
        $public = openssl_pkey_get_details(openssl_pkey_get_private(file_get_contents($argv[2])))['key'];
        $der = base64_decode(preg_replace('/-----[^-]+-----|\s/', '', $public));
        echo hash('sha256', $der);
        break;
    case 'accepts':
        $key = openssl_pkey_get_private(file_get_contents($argv[2]));
        $signature = '';
        echo ($key !== false && openssl_sign('probe', $signature, $key, 'SHA256')) ? '1' : '0';
        break;
    default:
        fwrite(STDERR, "usage: connector-signature.php sign|verify|fingerprint|accepts ...\n");
        exit(2);
}
