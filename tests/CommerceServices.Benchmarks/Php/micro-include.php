<?php
// The PHP peer of the env.php parsing ratio: what Magento does on every request without opcache,
// a fresh include of app/etc/env.php (the same path each time, as a request includes it).
//
//   php micro-include.php <env.php> <operations>
// Includes the file <operations> times after a warm-up and prints the nanoseconds per include,
// timed with hrtime() inside this process, so PHP's start-up is not counted.

[$file, $operations] = array_slice($argv, 1);
$operations = (int)$operations;
if (!is_array(include $file)) {
    fwrite(STDERR, "$file does not return an array\n");
    exit(3);
}

for ($i = 0, $warmUp = intdiv($operations, 10); $i < $warmUp; $i++) {
    $config = include $file;
}
$start = hrtime(true);
for ($i = 0; $i < $operations; $i++) {
    $config = include $file;
}
echo (hrtime(true) - $start) / $operations, "\n";
