<?php
// php -l for a file, as a script (the reference peer's syntax check).
passthru(escapeshellarg(PHP_BINARY) . ' -l ' . escapeshellarg($argv[1]), $status);
exit($status);
