<?php
// The reference peer for bytes that are not UTF-8: what PHP reads, as hex, so nothing is lost on the way.
//   php bytes.php values <file.php>        one line per leaf of include file: "<hex of the path>\t<type>\t<hex of the value>"
//                                          (path: keys joined by '/', value: var_export of it)
//   php bytes.php var-export <file.php>    bin2hex(var_export(include file, true))
//   php bytes.php json <file.php>          bin2hex(json_encode(include file)), or "false" and json_last_error_msg()
//   php bytes.php run <script.php> <args>  bin2hex of what the script (another peer here) prints
function leaves(array $array, string $path): void
{
    foreach ($array as $key => $value) {
        $at = $path === '' ? (string)$key : $path . '/' . $key;
        if (is_array($value)) {
            leaves($value, $at);
        } else {
            echo bin2hex($at), "\t", gettype($value), "\t", bin2hex(var_export($value, true)), "\n";
        }
    }
}

switch ($argv[1] ?? '') {
    case 'values':
        leaves(include $argv[2], '');
        break;
    case 'var-export':
        echo bin2hex(var_export(include $argv[2], true));
        break;
    case 'json':
        $json = json_encode(include $argv[2]);
        echo $json === false ? 'false ' . json_last_error_msg() : bin2hex($json);
        break;
    case 'run':
        $script = $argv[2];
        $argv = array_merge([$script], array_slice($argv, 3));
        $argc = count($argv);
        ob_start();
        include __DIR__ . '/' . $script;
        echo bin2hex(ob_get_clean());
        break;
    default:
        fwrite(STDERR, "usage: bytes.php values|var-export|json|run ...\n");
        exit(2);
}
