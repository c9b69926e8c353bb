<?php
// The PHP peer of the encryption ratios: Magento 2.4's Encryptor with ext-sodium, step by step as
// Encryptor::encrypt()/decrypt() and its SodiumChachaIetf adapter take them (random_bytes nonce,
// ChaCha20-Poly1305 IETF with the nonce as associated data, base64, the "<key version>:3:" prefix).
//
//   php micro-encryption.php encrypt|decrypt <crypt-key-file> <input-file> <operations>
// Runs the operation <operations> times after a warm-up and prints the nanoseconds per operation,
// timed with hrtime() inside this process, so PHP's start-up is not counted.

function magentoKeys(string $setting): array
{
    return array_map(function ($key) {
        return strpos($key, 'base64') === 0 ? base64_decode(substr($key, 6)) : $key;
    }, preg_split('/\s+/s', trim($setting)));
}

function magentoEncrypt(string $data, array $keys): string
{
    $keyVersion = count($keys) - 1;
    $nonce = random_bytes(SODIUM_CRYPTO_AEAD_CHACHA20POLY1305_IETF_NPUBBYTES);
    $cipherText = sodium_crypto_aead_chacha20poly1305_ietf_encrypt($data, $nonce, $nonce, $keys[$keyVersion]);
    return $keyVersion . ':3:' . base64_encode($nonce . $cipherText);
}

function magentoDecrypt(string $data, array $keys): string
{
    $parts = explode(':', $data, 4);
    if (count($parts) !== 3) {
        return '';
    }
    [$keyVersion, $cryptVersion, $data] = $parts;
    if (!isset($keys[(int)$keyVersion]) || (int)$cryptVersion !== 3) {
        return '';
    }
    $payload = base64_decode((string)$data);
    $nonce = substr($payload, 0, SODIUM_CRYPTO_AEAD_CHACHA20POLY1305_IETF_NPUBBYTES);
    $plain = sodium_crypto_aead_chacha20poly1305_ietf_decrypt(
        substr($payload, SODIUM_CRYPTO_AEAD_CHACHA20POLY1305_IETF_NPUBBYTES), $nonce, $nonce, $keys[(int)$keyVersion]);
    return $plain === false ? '' : trim($plain);
}

[$mode, $keyFile, $inputFile, $operations] = array_slice($argv, 1);
$keys = magentoKeys(file_get_contents($keyFile));
$input = file_get_contents($inputFile);
$operations = (int)$operations;
if ($mode !== 'encrypt' && $mode !== 'decrypt') {
    fwrite(STDERR, "usage: micro-encryption.php encrypt|decrypt <crypt-key-file> <input-file> <operations>\n");
    exit(2);
}
$roundTrips = $mode === 'encrypt' ? magentoDecrypt(magentoEncrypt($input, $keys), $keys) === trim($input) : magentoDecrypt($input, $keys) !== '';
if (!$roundTrips) {
    fwrite(STDERR, "$mode does not round-trip\n");
    exit(3);
}

// Plain loops, no closure between the loop and the operation, so PHP's side carries no extra call.
$warmUp = intdiv($operations, 10);
if ($mode === 'encrypt') {
    for ($i = 0; $i < $warmUp; $i++) {
        magentoEncrypt($input, $keys);
    }
    $start = hrtime(true);
    for ($i = 0; $i < $operations; $i++) {
        magentoEncrypt($input, $keys);
    }
} else {
    for ($i = 0; $i < $warmUp; $i++) {
        magentoDecrypt($input, $keys);
    }
    $start = hrtime(true);
    for ($i = 0; $i < $operations; $i++) {
        magentoDecrypt($input, $keys);
    }
}
echo (hrtime(true) - $start) / $operations, "\n";
