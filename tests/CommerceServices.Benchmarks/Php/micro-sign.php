<?php
// The PHP peer of the signing ratio: the connector's x-gw-signature token as firebase/php-jwt's
// JWT::encode builds it (JSON header and claims, base64url, RS256 with openssl_sign), the private
// key loaded once beforehand as an OpenSSL key, as a long-running signer would hold it.
//
//   php micro-sign.php <private-key.pem> <operations>
// Signs <operations> tokens after a warm-up and prints the nanoseconds per token, timed with
// hrtime() inside this process, so PHP's start-up and the key import are not counted.

function urlsafeB64Encode(string $input): string
{
    return str_replace('=', '', strtr(base64_encode($input), '+/', '-_'));
}

function gatewaySignature($privateKey): string
{
    $claims = [
        'exp' => time() + 300,
        'iss' => '8E6307BF5D775FA00A495EF9@AdobeOrg',
        'sub' => '3181519E5E2714990A495E2E@techacct.adobe.com',
        'https://ims-na1.adobelogin.com/s/ent_reactor_sdk' => true,
        'https://ims-na1.adobelogin.com/s/asset_compute_meta' => true,
        'https://ims-na1.adobelogin.com/s/ent_adobeio_sdk' => true,
        'https://ims-na1.adobelogin.com/s/event_receiver_api' => true,
        'aud' => 'https://ims-na1.adobelogin.com/c/9ec9d05f79eb443e8f76ce477b1e413c',
    ];
    $signingInput = urlsafeB64Encode(json_encode(['typ' => 'JWT', 'alg' => 'RS256'], JSON_UNESCAPED_SLASHES))
        . '.' . urlsafeB64Encode(json_encode($claims, JSON_UNESCAPED_SLASHES));
    $signature = '';
    if (!openssl_sign($signingInput, $signature, $privateKey, OPENSSL_ALGO_SHA256)) {
        fwrite(STDERR, "openssl_sign failed: " . openssl_error_string() . "\n");
        exit(3);
    }
    return $signingInput . '.' . urlsafeB64Encode($signature);
}

[$keyFile, $operations] = array_slice($argv, 1);
$operations = (int)$operations;
$privateKey = openssl_pkey_get_private(file_get_contents($keyFile));
if ($privateKey === false) {
    fwrite(STDERR, "OpenSSL cannot read the private key\n");
    exit(3);
}

for ($i = 0, $warmUp = max(1, intdiv($operations, 10)); $i < $warmUp; $i++) {
    gatewaySignature($privateKey);
}
$start = hrtime(true);
for ($i = 0; $i < $operations; $i++) {
    gatewaySignature($privateKey);
}
echo (hrtime(true) - $start) / $operations, "\n";
