<?php
// The reference peer for where the connector sends its requests and with which headers: PHP's own
// parse_url and the real Guzzle (Debian's php-guzzlehttp-guzzle, the HTTP client the connector
// uses), driven by the connector's rules (its config.xml defaults and the classes named below):
//   - key check (services-connector KeyValidation + Environment::getKeyValidationUrl): the host of
//     {env}_gateway_url, as parse_url gives it, listed in cloudfront_validation_domains (explode on
//     ",", strict in_array) selects cloudfront_validation_url, otherwise {env}_key_validation_url;
//     a URL that is false to PHP means no request; GET without Content-Type;
//   - registry (services-id ServicesClient + ServicesConfig::getRegistryApiUrl): registry_api_path
//     followed by the operation, sent with Content-Type: application/json and the body ('' if none);
//   - every request: base_uri = {env}_gateway_url, magento-api-key, x-api-key, x-gw-signature.
//
//   php connector-requests.php resolve <cases.json>
//       cases: [{"gatewayUrl", "environment", "settings": {path: value}, "operation"}]
//       prints [{"host", "keyCheck" (URL or null), "registry" (URL)}] as JSON
//   php connector-requests.php host <url>
//       prints var_export of parse_url($url, PHP_URL_HOST), false (a URL PHP refuses) as NULL
//   php connector-requests.php refusal <http-status> <body-file>
//       prints the message when the connector's callers read the answer to a cloudid or feature PUT
//       as an error (services-id ServicesClient::parseResponseBody, then MerchantRegistryClient), else "ok"
//   php connector-requests.php send <case.json> <api-key> <private-key.pem>
//       sends the key check, then GET registry and PUT operation as the connector does, and prints
//       the statuses as JSON; the server on the other end records what arrived
require '/usr/share/php/GuzzleHttp/autoload.php';
require __DIR__ . '/connector-signature.php';

use GuzzleHttp\Client;
use GuzzleHttp\HandlerStack;
use GuzzleHttp\Middleware;
use GuzzleHttp\Psr7\UriResolver;
use GuzzleHttp\Psr7\Utils;
use Psr\Http\Message\RequestInterface;

function setting(array $case, string $path)
{
    return $case['settings'][$path] ?? null;
}

function keyCheckPath(array $case): ?string
{
    $environment = $case['environment'];
    $domains = explode(',', (string)setting($case, 'services_connector/cloudfront_validation_domains'));
    $host = parse_url($case['gatewayUrl'], PHP_URL_HOST);
    $url = in_array($host, $domains, true)
        ? setting($case, 'services_connector/cloudfront_validation_url')
        : setting($case, "services_connector/{$environment}_key_validation_url");
    return $url ? $url : null;
}

function registryPath(array $case, string $operation): string
{
    return setting($case, 'services_connector/services_id/registry_api_path') . $operation;
}

function resolve(string $base, string $reference): string
{
    return (string)UriResolver::resolve(Utils::uriFor($base), Utils::uriFor($reference));
}

$mode = $argv[1] ?? '';
if ($mode === 'resolve') {
    $out = [];
    foreach (json_decode(file_get_contents($argv[2]), true) as $case) {
        $check = keyCheckPath($case);
        $host = parse_url($case['gatewayUrl'], PHP_URL_HOST);
        $out[] = [
            'host' => $host === null || $host === false ? null : $host,
            'keyCheck' => $check === null ? null : resolve($case['gatewayUrl'], $check),
            'registry' => resolve($case['gatewayUrl'], registryPath($case, $case['operation'])),
        ];
    }
    echo json_encode($out, JSON_UNESCAPED_SLASHES);
    exit(0);
}

if ($mode === 'host') {
    $host = parse_url($argv[2], PHP_URL_HOST);
    var_export($host === false ? null : $host);
    exit(0);
}

if ($mode === 'refusal') {
    $body = file_get_contents($argv[3]);
    $response = json_decode($body, true);
    if (json_last_error() !== JSON_ERROR_NONE) {
        // Magento's Json serializer throws on what json_decode cannot read; the client then keeps the status and the raw body.
        $response = ['status' => (int)$argv[2], 'statusText' => '', 'message' => $body];
    }
    $isError = $response && is_array($response) && !empty($response['status']) && $response['status'] != 200 && !empty($response['message']);
    echo $isError ? (is_string($response['message']) ? $response['message'] : json_encode($response['message'])) : 'ok';
    exit(0);
}

if ($mode === 'send') {
    $case = json_decode(file_get_contents($argv[2]), true);
    [$apiKey, $privateKey] = [$argv[3], file_get_contents($argv[4])];
    $stack = HandlerStack::create();
    $stack->push(Middleware::mapRequest(function (RequestInterface $request) use ($apiKey, $privateKey) {
        return $request
            ->withHeader('magento-api-key', $apiKey)
            ->withHeader('x-api-key', $apiKey)
            ->withHeader('x-gw-signature', phpJwtEncode(connectorPayload(time() + 300), $privateKey));
    }));
    $client = new Client(['http_errors' => false, 'base_uri' => $case['gatewayUrl'], 'handler' => $stack]);
    $statuses = [];
    $check = keyCheckPath($case);
    if ($check !== null) {
        $statuses[] = $client->request('GET', $check)->getStatusCode();
    }
    $registry = ['headers' => ['Content-Type' => 'application/json'], 'body' => ''];
    $statuses[] = $client->request('GET', registryPath($case, 'registry'), $registry)->getStatusCode();
    $statuses[] = $client->request('PUT', registryPath($case, $case['operation']), $registry)->getStatusCode();
    echo json_encode($statuses);
    exit(0);
}

fwrite(STDERR, "usage: connector-requests.php resolve <cases.json> | send <case.json> <api-key> <private-key.pem>\n");
exit(2);
