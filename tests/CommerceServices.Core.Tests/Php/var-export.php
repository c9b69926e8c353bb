<?php
// The reference peer for configuration files: what PHP itself reads from a file.
//   php var-export.php <file.php>   prints var_export(include file)
echo var_export(include $argv[1], true);
