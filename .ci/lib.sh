# shellcheck shell=bash
# Sourced by the .ci scripts (not run on its own).
#
# ci_root   the repository root
# ci_venv   the Python virtual environment with the CI tools (.ci/setup_tools.sh fills it).
#           It lives outside the clone so that CI runs on the same machine share it, and its
#           name carries a hash of what goes into it, so a changed pin gets a fresh one.
#           MIGCHECK_CI_VENV overrides the location.

ci_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

ci_venv() {
    if [ -n "${MIGCHECK_CI_VENV:-}" ]; then
        printf '%s\n' "$MIGCHECK_CI_VENV"
        return
    fi
    local hash
    hash=$(cat "$ci_root/.ci/requirements-reports.txt" "$ci_root/.ci/requirements-lint.txt" \
        "$ci_root/.ci/setup_tools.sh" | sha256sum | cut -c1-12)
    printf '%s\n' "${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/migcheck-ci/venv-$hash"
}

# Put the tools' virtual environment first on PATH (python3 there has the validators).
ci_use_venv() {
    local venv
    venv=$(ci_venv)
    if [ ! -x "$venv/bin/python3" ]; then
        echo "error: $venv has no python3; run .ci/setup_tools.sh first" >&2
        return 1
    fi
    PATH="$venv/bin:$PATH"
    export PATH
}
