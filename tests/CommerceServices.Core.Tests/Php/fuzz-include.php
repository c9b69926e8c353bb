<?php
// The reference peer for the reader's fuzz test: what PHP reads from many files, in one process.
//   php fuzz-include.php <list> [<first>]
// <list> names one file a line; from line <first> (0-based) on, prints for each file one line
// "<index>\t<status>\t<base64>": status "array" (base64 of var_export of what include returns),
// "array-with-output" (an array, with text outside the PHP tags shown), "not-array", "refused"
// (a ParseError or Error), or "not-literal" (not run: the file holds a name, variable, call or operator,
// so it is not a plain array literal); "array-deep" is an array nested deeper than DEEP, read but not
// exported. A fatal compile error ends the process after "<index>\tstart"; the caller goes on from
// the next file.
ini_set('display_errors', '0');
error_reporting(E_ALL);

// Only files made of literals are included: no names other than true/false/null/INF/NAN, no variables,
// no parentheses other than array(...) and declare(...), no '[' after a value, no binary operators.
// Returns the deepest nesting of brackets and parentheses of such a file, or null for any other file.
function literalDepth(string $source): ?int
{
    $allowed = [T_OPEN_TAG, T_CLOSE_TAG, T_INLINE_HTML, T_WHITESPACE, T_COMMENT, T_DOC_COMMENT, T_RETURN, T_ARRAY,
        T_DECLARE, T_CONSTANT_ENCAPSED_STRING, T_LNUMBER, T_DNUMBER, T_DOUBLE_ARROW, T_START_HEREDOC,
        T_END_HEREDOC, T_ENCAPSED_AND_WHITESPACE,
        // '++' and '--' before a number: a parse error, nothing run, and the reader must refuse them too.
        T_INC, T_DEC];
    $previous = null;
    $depth = 0;
    $deepest = 0;
    foreach (token_get_all($source) as $token) {
        if (is_array($token)) {
            [$id, $text] = $token;
            if (in_array($id, [T_WHITESPACE, T_COMMENT, T_DOC_COMMENT], true)) {
                continue;
            }
            if ($id === T_STRING || $id === T_NAME_FULLY_QUALIFIED) {
                if (!in_array(strtolower($text), ['true', 'false', 'null', 'strict_types', '\true', '\false', '\null'], true)
                    && !in_array($text, ['INF', 'NAN', '\INF', '\NAN'], true)) {
                    return null;
                }
            } elseif (!in_array($id, $allowed, true)) {
                return null;
            }
            $previous = $id === T_ARRAY || $id === T_DECLARE ? 'call'
                : (in_array($id, [T_CONSTANT_ENCAPSED_STRING, T_LNUMBER, T_DNUMBER, T_STRING, T_NAME_FULLY_QUALIFIED, T_END_HEREDOC], true) ? 'value' : 'other');
            continue;
        }
        if (!in_array($token, ['[', ']', '(', ')', ',', ';', '=', '-', '+', '"'], true)) {
            return null;
        }
        if ($token === '(' && $previous !== 'call') {
            return null;
        }
        if (($token === '[' || $token === '-' || $token === '+') && ($previous === 'value' || $previous === 'close')) {
            return null;
        }
        if ($token === '[' || $token === '(') {
            $deepest = max($deepest, ++$depth);
        } elseif ($token === ']' || $token === ')') {
            $depth--;
        }
        $previous = $token === ']' || $token === ')' ? 'close' : ($token === '"' ? 'value' : $token);
    }
    return $deepest;
}

// What PHP reads from one file, as one output line.
function readOne(int $i, string $file): void
{
    $depth = literalDepth(file_get_contents($file));
    if ($depth === null) {
        echo $i, "\tnot-literal\t\n";
        return;
    }
    ob_start();
    try {
        $value = include $file;
    } catch (Throwable $e) {
        ob_end_clean();
        echo $i, "\trefused\t", base64_encode(get_class($e)), "\n";
        return;
    }
    $output = ob_get_clean();
    if (!is_array($value)) {
        echo $i, "\tnot-array\t\n";
    } elseif ($depth > DEEP) {
        // var_export indents each level: its text grows with the square of the depth (33 MB at 3,300 levels).
        echo $i, "\tarray-deep\t\n";
    } else {
        $status = trim($output, " \t\n\r") === '' ? 'array' : 'array-with-output';
        echo $i, "\t", $status, "\t", base64_encode(var_export($value, true)), "\n";
    }
}

// Arrays nested deeper than this are reported read, not exported (the reader refuses beyond 512 levels).
const DEEP = 600;
$files = file($argv[1], FILE_IGNORE_NEW_LINES);
for ($i = (int)($argv[2] ?? 0); $i < count($files); $i++) {
    echo $i, "\tstart\n";
    flush();
    readOne($i, $files[$i]);
}
