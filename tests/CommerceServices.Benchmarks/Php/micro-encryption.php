<?php
// The PHP peer of the encryption ratios: Magento 2.4's Encryptor with ext-sodium, following the calls that
// Magento\Framework\Encryption\Encryptor::encrypt()/decrypt() and its Adapter\SodiumChachaIetf make
// (magento/magento2, lib/internal/Magento/Framework/Encryption/Encryptor.php at 4dbca70e and
// Adapter/SodiumChachaIetf.php at e8452444), without the framework around them (object manager, DI):
//  - encrypt(): `new SodiumChachaIetf($this->keys[$this->keyVersion])` per call, then
//    `$this->keyVersion . ':' . CIPHER_AEAD_CHACHA20POLY1305 . ':' . base64_encode($crypt->encrypt($data))`;
//    the adapter's encrypt(string $data) draws random_bytes(NPUBBYTES) and returns $nonce . $cipherText of
//    sodium_crypto_aead_chacha20poly1305_ietf_encrypt((string)$data, $nonce, $nonce, $this->key).
//  - decrypt(): `if ($data)`, explode(':', $data, 4) and the branches on its count (4: cipher 2 with an IV,
//    3, 2, 1), `(int)` casts, `isset($this->keys[$keyVersion])`, then getCrypt($key, $cryptVersion, $initVector):
//    `!$key` check, validateCipher() (in_array over the four cipher versions, strict) and a new SodiumChachaIetf
//    for cipher 3; then trim($crypt->decrypt(base64_decode((string)$data))). The adapter's decrypt(string $data)
//    takes nonce and payload with mb_substr(..., '8bit'), calls the sodium decrypt inside try/catch SodiumException
//    and returns '' for false. Ciphers 0-2 (mcrypt) are not needed here: the inputs are cipher 3.
// The adapter file declares strict_types=1, as here. The keys are read as crypt/key is read (split on whitespace,
// a "base64" prefix decoded) once, before timing. Magento requires ext-mbstring; where it is missing, substr()
// stands in for mb_substr(..., '8bit') (same bytes, a little faster, so PHP's figure can only look better).
//
//   php micro-encryption.php encrypt|decrypt <crypt-key-file> <input-file> <operations>
// Runs the operation <operations> times after a warm-up and prints the nanoseconds per operation,
// timed with hrtime() inside this process, so PHP's start-up is not counted.
declare(strict_types=1);

/** Magento\Framework\Encryption\Adapter\SodiumChachaIetf, the cipher 3 adapter. */
final class SodiumChachaIetf
{
    private $key;

    public function __construct(string $key)
    {
        $this->key = $key;
    }

    public function encrypt(string $data): string
    {
        $nonce = random_bytes(SODIUM_CRYPTO_AEAD_CHACHA20POLY1305_IETF_NPUBBYTES);
        $cipherText = sodium_crypto_aead_chacha20poly1305_ietf_encrypt((string)$data, $nonce, $nonce, $this->key);
        return $nonce . $cipherText;
    }

    public function decrypt(string $data): string
    {
        $nonce = mb_substr($data, 0, SODIUM_CRYPTO_AEAD_CHACHA20POLY1305_IETF_NPUBBYTES, '8bit');
        $payload = mb_substr($data, SODIUM_CRYPTO_AEAD_CHACHA20POLY1305_IETF_NPUBBYTES, null, '8bit');
        try {
            $plainText = sodium_crypto_aead_chacha20poly1305_ietf_decrypt($payload, $nonce, $nonce, $this->key);
        } catch (\SodiumException $e) {
            $plainText = '';
        }

        return $plainText !== false ? $plainText : '';
    }
}

if (!function_exists('mb_substr')) {
    fwrite(STDERR, "micro-encryption.php: ext-mbstring is missing (Magento requires it); substr() stands in for mb_substr(..., '8bit')\n");
    function mb_substr(string $string, int $start, ?int $length = null, ?string $encoding = null): string
    {
        return $length === null ? substr($string, $start) : substr($string, $start, $length);
    }
}

/** The encrypt()/decrypt() path of Magento\Framework\Encryption\Encryptor for cipher 3. */
final class Encryptor
{
    const CIPHER_BLOWFISH = 0;
    const CIPHER_RIJNDAEL_128 = 1;
    const CIPHER_RIJNDAEL_256 = 2;
    const CIPHER_AEAD_CHACHA20POLY1305 = 3;
    const CIPHER_LATEST = 3;

    protected $cipher = self::CIPHER_LATEST;
    protected $keyVersion;
    protected $keys = [];

    public function __construct(array $keys)
    {
        $this->keys = $keys;
        $this->keyVersion = count($this->keys) - 1;
    }

    public function validateCipher($version)
    {
        $types = [self::CIPHER_BLOWFISH, self::CIPHER_RIJNDAEL_128, self::CIPHER_RIJNDAEL_256, self::CIPHER_AEAD_CHACHA20POLY1305];
        $version = (int)$version;
        if (!in_array($version, $types, true)) {
            throw new \Exception('Not supported cipher version');
        }
        return $version;
    }

    public function encrypt($data)
    {
        $crypt = new SodiumChachaIetf($this->keys[$this->keyVersion]);
        return $this->keyVersion . ':' . self::CIPHER_AEAD_CHACHA20POLY1305 . ':' . base64_encode($crypt->encrypt($data));
    }

    public function decrypt($data)
    {
        if ($data) {
            $parts = explode(':', $data, 4);
            $partsCount = count($parts);
            $initVector = null;
            if (4 === $partsCount) {
                list($keyVersion, $cryptVersion, $iv, $data) = $parts;
                $initVector = $iv ? $iv : null;
                $keyVersion = (int)$keyVersion;
                $cryptVersion = self::CIPHER_RIJNDAEL_256;
            } elseif (3 === $partsCount) {
                list($keyVersion, $cryptVersion, $data) = $parts;
                $keyVersion = (int)$keyVersion;
                $cryptVersion = (int)$cryptVersion;
            } elseif (2 === $partsCount) {
                list($cryptVersion, $data) = $parts;
                $keyVersion = 0;
                $cryptVersion = (int)$cryptVersion;
            } elseif (1 === $partsCount) {
                $keyVersion = 0;
                $cryptVersion = self::CIPHER_BLOWFISH;
            } else {
                return '';
            }
            if (!isset($this->keys[$keyVersion])) {
                return '';
            }
            $crypt = $this->getCrypt($this->keys[$keyVersion], $cryptVersion, $initVector);
            if (null === $crypt) {
                return '';
            }
            return trim($crypt->decrypt(base64_decode((string)$data)));
        }
        return '';
    }

    private function getCrypt(string $key = null, int $cipherVersion = null, string $initVector = null): ?SodiumChachaIetf
    {
        if (null === $key && null === $cipherVersion) {
            $cipherVersion = $this->cipher;
        }
        if (null === $key) {
            $key = $this->keys[$this->keyVersion];
        }
        if (!$key) {
            return null;
        }
        if (null === $cipherVersion) {
            $cipherVersion = $this->cipher;
        }
        $cipherVersion = $this->validateCipher($cipherVersion);
        if ($cipherVersion >= self::CIPHER_AEAD_CHACHA20POLY1305) {
            return new SodiumChachaIetf($key);
        }
        throw new \Exception('Ciphers 0-2 (mcrypt) are not part of this benchmark');
    }
}

function magentoKeys(string $setting): array
{
    return array_map(function ($key) {
        return strpos($key, 'base64') === 0 ? base64_decode(substr($key, 6)) : $key;
    }, preg_split('/\s+/s', trim($setting)));
}

[$mode, $keyFile, $inputFile, $operations] = array_slice($argv, 1);
$encryptor = new Encryptor(magentoKeys(file_get_contents($keyFile)));
$input = file_get_contents($inputFile);
$operations = (int)$operations;
if ($mode !== 'encrypt' && $mode !== 'decrypt') {
    fwrite(STDERR, "usage: micro-encryption.php encrypt|decrypt <crypt-key-file> <input-file> <operations>\n");
    exit(2);
}
$roundTrips = $mode === 'encrypt' ? $encryptor->decrypt($encryptor->encrypt($input)) === trim($input) : $encryptor->decrypt($input) !== '';
if (!$roundTrips) {
    fwrite(STDERR, "$mode does not round-trip\n");
    exit(3);
}

// Plain loops calling the Encryptor's methods, as Magento's callers do, with no closure in between.
$warmUp = intdiv($operations, 10);
if ($mode === 'encrypt') {
    for ($i = 0; $i < $warmUp; $i++) {
        $encryptor->encrypt($input);
    }
    $start = hrtime(true);
    for ($i = 0; $i < $operations; $i++) {
        $encryptor->encrypt($input);
    }
} else {
    for ($i = 0; $i < $warmUp; $i++) {
        $encryptor->decrypt($input);
    }
    $start = hrtime(true);
    for ($i = 0; $i < $operations; $i++) {
        $encryptor->decrypt($input);
    }
}
echo (hrtime(true) - $start) / $operations, "\n";
