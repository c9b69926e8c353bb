#!/usr/bin/env bash
# Runs the whole CommerceServices test suite on a Debian machine that has only the .NET SDK.
# Installs what the tests need when it is missing (PHP CLI with OpenSSL and sodium: the reference
# peer for signatures, encryption and env.php; Guzzle for PHP: the connector's HTTP client, the peer
# for where requests go; MariaDB: the tests start private servers from it; OpenSSH: the fleet tests
# start private sshd hosts and reach them with PowerShell remoting over SSH; Ansible: one of them
# drives those hosts with the example playbook),
# restores the pinned pwsh (.config/dotnet-tools.json), then runs build.ps1 in it: Build, Package
# and Test (the xunit suites, then the Pester suite with the pinned Pester, which also runs every
# example and installs the packages as from a gallery). Ends with one summary line over all of it:
# "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
command -v php >/dev/null 2>&1 || missing+=(php-cli)
# Guzzle, the connector's HTTP client: the peer for where requests go (tests/CommerceServices.Core.Tests/Php/connector-requests.php).
[ -f /usr/share/php/GuzzleHttp/autoload.php ] || missing+=(php-guzzlehttp-guzzle)
# MariaDB: the database store's tests start their own private server (never the system service).
{ command -v mariadbd || [ -x /usr/sbin/mariadbd ]; } >/dev/null 2>&1 || missing+=(mariadb-server)
# OpenSSH: the fleet tests (tests/Pester/Fleet.Tests.ps1) start their own sshd per test host (never
# the system service) and connect with the ssh client, as PowerShell remoting over SSH does.
[ -x /usr/sbin/sshd ] || missing+=(openssh-server openssh-client)
# Ansible (ansible-core alone, no collections): tests/Pester/FleetAnsible.Tests.ps1 runs the example
# playbook of examples/Fleet/Ansible against those hosts.
command -v ansible-playbook >/dev/null 2>&1 || missing+=(ansible-core)
if ((${#missing[@]})); then
    echo "Installing test dependencies: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    # Installing a server package starts its service where it can (openssh-server: sshd on port 22).
    # A policy-rc.d that says no (exit 101) prevents that, unless the machine has one already
    # (containers often do); ours goes again right after the install, or when the script stops.
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        policy=/usr/sbin/policy-rc.d
        trap '$sudo rm -f "$policy"' EXIT
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
        $sudo chmod 755 "$policy"
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    [ -z "$policy" ] || $sudo rm -f "$policy"
fi
php -r 'exit(extension_loaded("openssl") && extension_loaded("sodium") ? 0 : 1);' \
    || { echo "PHP lacks the openssl or sodium extension the reference-peer tests need." >&2; exit 1; }

dotnet tool restore >/dev/null
export POWERSHELL_TELEMETRY_OPTOUT=1
# A log, not a terminal: plain text (pwsh colours its tables and errors on any terminal type).
[ -t 1 ] || export NO_COLOR=1
# The closing line must be there and say 0 failed: a run that stops early (even a parse error in
# build.ps1, which -Command alone would not turn into an exit code) fails.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet pwsh -NoProfile -NonInteractive -Command \
    '$ErrorActionPreference = "Stop"; ./build.ps1 -Task Build, Package, Test; exit $LASTEXITCODE' | tee "$log"
tail -n 1 "$log" | grep -Eq '^tests: [0-9]+ passed, 0 failed$'
