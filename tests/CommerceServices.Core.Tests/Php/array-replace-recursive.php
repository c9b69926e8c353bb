<?php
// The reference peer for how Magento merges app/etc/config.php and env.php (env.php wins):
//   php array-replace-recursive.php <config.php> <env.php>   prints var_export(array_replace_recursive(config, env))
echo var_export(array_replace_recursive(include $argv[1], include $argv[2]), true);
