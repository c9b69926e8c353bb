<?php
// The reference peer for configuration encryption: Magento 2.4's Encryptor (cipher 3,
// ChaCha20-Poly1305 IETF via PHP's sodium, associated data = nonce), written from its algorithm.
//
//   php magento-encryptor.php encrypt <crypt-key-file> <plaintext-file>   prints k:3:base64
//   php magento-encryptor.php decrypt <crypt-key-file> <value-file>       prints the plaintext
//   php magento-encryptor.php connector-read <crypt-key-file> <value-file> prints the key the connector
//       uses for a stored value, or "(not set)": services-connector KeyEncrypted::safeDecrypt (empty()
//       stays empty; a value that does not decrypt, or decrypts to an empty() or non-UTF-8 one, is used
//       as stored), then the connector's empty() test of the key (KeyValidation, ServicesConfig); a
//       ciphertext that decrypts to an empty() value prints "(ciphertext of an empty value)" before it

function keys(string $setting): array
{
    $keys = preg_split('/\s+/s', trim($setting));
    return array_map(function ($key) {
        return strpos($key, 'base64') === 0 ? base64_decode(substr($key, 6)) : $key;
    }, $keys);
}

$mode = $argv[1] ?? '';
$keys = keys(file_get_contents($argv[2]));
$input = file_get_contents($argv[3]);
if ($mode === 'encrypt') {
    $version = count($keys) - 1;
    $nonce = random_bytes(SODIUM_CRYPTO_AEAD_CHACHA20POLY1305_IETF_NPUBBYTES);
    $cipher = sodium_crypto_aead_chacha20poly1305_ietf_encrypt($input, $nonce, $nonce, $keys[$version]);
    echo $version . ':3:' . base64_encode($nonce . $cipher);
} elseif ($mode === 'decrypt') {
    $parts = explode(':', $input, 4);
    if (count($parts) !== 3 || $parts[1] !== '3') {
        fwrite(STDERR, "only k:3:data is supported here\n");
        exit(2);
    }
    $key = $keys[(int)$parts[0]] ?? null;
    $payload = base64_decode($parts[2]);
    $nonce = substr($payload, 0, SODIUM_CRYPTO_AEAD_CHACHA20POLY1305_IETF_NPUBBYTES);
    $plain = sodium_crypto_aead_chacha20poly1305_ietf_decrypt(substr($payload, SODIUM_CRYPTO_AEAD_CHACHA20POLY1305_IETF_NPUBBYTES), $nonce, $nonce, $key);
    if ($plain === false) {
        fwrite(STDERR, "decryption failed\n");
        exit(3);
    }
    echo trim($plain);
} elseif ($mode === 'connector-read') {
    $value = '';
    $ofEmpty = false;
    if (!empty($input)) {
        $decrypted = '';
        $parts = explode(':', $input, 4);
        if (count($parts) === 3 && $parts[1] === '3' && isset($keys[(int)$parts[0]])) {
            $payload = base64_decode($parts[2]);
            $nonce = substr($payload, 0, SODIUM_CRYPTO_AEAD_CHACHA20POLY1305_IETF_NPUBBYTES);
            try {
                $plain = sodium_crypto_aead_chacha20poly1305_ietf_decrypt(substr($payload, SODIUM_CRYPTO_AEAD_CHACHA20POLY1305_IETF_NPUBBYTES), $nonce, $nonce, $keys[(int)$parts[0]]);
            } catch (\SodiumException $e) {
                $plain = false;
            }
            $decrypted = $plain === false ? '' : trim($plain);
            $ofEmpty = $plain !== false && empty($decrypted);
        }
        $failed = empty($decrypted) || preg_match('//u', $decrypted) !== 1;
        $value = $failed ? $input : $decrypted;
    }
    echo empty($value) ? '(not set)' : ($ofEmpty ? '(ciphertext of an empty value)' : '') . $value;
} else {
    fwrite(STDERR, "usage: magento-encryptor.php encrypt|decrypt|connector-read <crypt-key-file> <input-file>\n");
    exit(2);
}
