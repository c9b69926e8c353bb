<?php
// The reference peer for how Magento 2.4 writes app/etc/env.php and config.php back: its
// DeploymentConfig Writer (saveConfig) with PhpFormatter and CommentParser, re-stated here from
// their rules (not their code), with PHP's own tokenizer and include.
//
//   php magento-deployment-writer.php comments <file.php>
//       prints var_export of the section comments Magento finds in the file
//   php magento-deployment-writer.php rewrite <file.php> [<changes.json>]
//       prints the file Magento writes after merging the changes (array_replace_recursive; none when
//       omitted), with no comments from the caller, as config:set --lock-env does
//   php magento-deployment-writer.php merged <file.php> <changes.json>
//       prints var_export of the array that rewrite writes: the file's array with the changes merged

// Section comments: doc comments holding "* For the section: <name>"; the text is each other line
// that starts with white space, a star and not a slash, trimmed and without "* " (or "*").
function sectionCommentsOf(string $source): array
{
    $sections = [];
    foreach (token_get_all($source) as $token) {
        if (!is_array($token) || $token[0] !== T_DOC_COMMENT) {
            continue;
        }
        $doc = $token[1];
        $name = preg_match('/\s+\* For the section: (.+)\s/', $doc, $found) ? trim($found[1]) : null;
        $kept = [];
        foreach (preg_split('/\r?\n/', $doc) as $line) {
            if (preg_match('/^\s+\*[^\/]/', $line) === 1 && strpos($line, 'For the section') === false) {
                $kept[] = preg_replace('/^\*\s?/', '', trim($line));
            }
        }
        $text = $kept === [] ? null : implode(PHP_EOL, $kept);
        if ($name && $text) {
            $sections[$name] = $text;
        }
    }
    return $sections;
}

// Scalars and keys as var_export writes them, but null in lower case.
function scalarText($value): string
{
    return $value === null ? 'null' : var_export($value, true);
}

// Short layout. An array counts as a list only when it has elements keyed 0..n-1, so an empty
// array is "[", an empty line, and "]" at the indentation of the level above.
function shortLayout($value, int $level): string
{
    if (!is_array($value)) {
        return scalarText($value);
    }
    $list = $value !== [] && array_keys($value) === range(0, count($value) - 1);
    $rows = [];
    foreach ($value as $key => $item) {
        $rows[] = str_repeat('    ', $level) . ($list ? '' : scalarText($key) . ' => ') . shortLayout($item, $level + 1);
    }
    return "[\n" . implode(",\n", $rows) . "\n" . str_repeat('    ', $level - 1) . ']';
}

// Long layout, used whenever there are comments: one element per line, each followed by a comma,
// every key written, nested arrays opened on the key's line and closed by "],".
function longLayout(array $value, array $comments, string $indent): string
{
    $rows = [];
    foreach ($value as $key => $item) {
        if (!empty($comments[$key])) {
            $rows[] = $indent . '/**';
            $rows[] = $indent . ' * For the section: ' . $key;
            foreach (explode("\n", $comments[$key]) as $line) {
                $rows[] = $indent . ' * ' . $line;
            }
            $rows[] = $indent . ' */';
        }
        if (is_array($item)) {
            $rows[] = $indent . scalarText($key) . ' => [';
            $rows[] = longLayout($item, [], $indent . '    ');
            $rows[] = $indent . '],';
        } else {
            $rows[] = $indent . scalarText($key) . ' => ' . scalarText($item) . ',';
        }
    }
    return implode("\n", $rows);
}

function fileText(array $data, array $comments): string
{
    if ($comments !== []) {
        return "<?php\nreturn [\n" . longLayout($data, $comments, '    ') . "\n];\n";
    }
    return "<?php\nreturn " . shortLayout($data, 1) . ";\n";
}

[$mode, $file] = [$argv[1] ?? '', $argv[2] ?? ''];
$source = file_get_contents($file);
switch ($mode) {
    case 'comments':
        echo var_export(sectionCommentsOf($source), true);
        break;
    case 'rewrite':
    case 'merged':
        $data = include $file;
        if (isset($argv[3])) {
            $data = array_replace_recursive($data, json_decode(file_get_contents($argv[3]), true));
        }
        if ($mode === 'merged') {
            echo var_export($data, true);
            break;
        }
        // The writer merges the file's comments with the caller's (none): array_merge renumbers integer names.
        echo fileText($data, array_merge(sectionCommentsOf($source), []));
        break;
    default:
        fwrite(STDERR, "usage: magento-deployment-writer.php comments|rewrite|merged <file.php> [<changes.json>]\n");
        exit(2);
}
