<?php
// The reference peer for CONFIG__ environment variables, as Magento's
// Magento\Config\App\Config\Source\EnvironmentConfigSource reads them. It applies the documented rule
// to the variables PHP put into $_ENV for this process (Adobe's documentation asks
// for variables_order = "EGPCS", so run it with -d variables_order=EGPCS):
//   - a variable counts when its name is "CONFIG__" in capitals, then one letter, then any mix of
//     letters, digits and underscores;
//   - its configuration path is the name without that prefix, with each "__" read as "/" from the
//     left, then put in lower case;
//   - values are filed in $_ENV order, so a later name that gives the same path replaces an earlier one.
// It prints one JSON object: "order" (the names in $_ENV order), "decoded" (name => path, or null for a
// name that does not count) and "winners" (path => the name and value that is filed last).

$pattern = '/^CONFIG__[A-Za-z][A-Za-z0-9_]*$/';
$decoded = [];
$winners = [];
foreach ($_ENV as $name => $value) {
    $name = (string) $name;
    if (preg_match($pattern, $name) !== 1) {
        $decoded[$name] = null;
        continue;
    }

    $path = strtolower(str_replace('__', '/', substr($name, strlen('CONFIG__'))));
    $decoded[$name] = $path;
    $winners[$path] = ['name' => $name, 'value' => $value];
}

echo json_encode(
    ['order' => array_map('strval', array_keys($_ENV)), 'decoded' => (object) $decoded, 'winners' => (object) $winners],
    JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE
), "\n";
