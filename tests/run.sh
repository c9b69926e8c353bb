#!/usr/bin/env bash
# Runs the whole CommerceServices test suite on a Debian machine that has the .NET SDK.
# Installs what the tests need when it is missing (PHP CLI with OpenSSL and sodium: the
# reference peer for signatures, encryption and env.php; MariaDB: the tests start private
# servers from it), builds, runs every xunit project, and ends with one summary line:
# "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
command -v php >/dev/null 2>&1 || missing+=(php-cli)
# MariaDB: the database store's tests start their own private server (never the system service).
{ command -v mariadbd || [ -x /usr/sbin/mariadbd ]; } >/dev/null 2>&1 || missing+=(mariadb-server)
if ((${#missing[@]})); then
    echo "Installing test dependencies: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
php -r 'exit(extension_loaded("openssl") && extension_loaded("sodium") ? 0 : 1);' \
    || { echo "PHP lacks the openssl or sodium extension the reference-peer tests need." >&2; exit 1; }

results="out/TestResults"
rm -rf "$results"
dotnet build CommerceServicesPS.sln -c Release -nologo -clp:NoSummary -v quiet
status=0
for project in tests/*/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" -c Release --no-build -nologo \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" \
        || status=$?
done

# One closing line for the whole suite, summed over every test project's results.
passed=0; failed=0; total=0
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
    failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
    total=$((total + $(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")))
done
if [ "$total" -eq 0 ]; then
    echo "No test ran." >&2
    exit 1
fi
echo "tests: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
