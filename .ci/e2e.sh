#!/usr/bin/env bash
# The end-to-end run (issue 13): examples/aurora-dms-migration applied deploy by deploy
# against moto, each deploy gated by migcheck through the action's run step, broken deploys
# stopped by the gate, two cleanups shown to fail halfway without it (Tests/e2e/run.sh;
# one line per deploy: phase, gate verdict, apply result, post-apply verdict). Then the
# fixtures taken from this very run (Fixtures/tools/e2e_fixtures.py --check): what is
# committed must be what the example produces.
#
#   .ci/e2e.sh BINARY        the migcheck binary to gate with (a release build)
#
# Without terraform on PATH it prints one line saying what to install and exits 0
# (Tests/e2e/run.sh decides). .ci/run and .github/workflows/ci.yml both run this.
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ci_root"
binary=${1:?usage: .ci/e2e.sh BINARY}
work=${E2E_WORK:-$ci_root/.build/e2e}
started=$(date +%s)
MIGCHECK=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary") E2E_WORK=$work bash Tests/e2e/run.sh
if command -v terraform >/dev/null 2>&1; then
    python3 Fixtures/tools/e2e_fixtures.py --check --from "$work"
fi
echo "e2e: $(( $(date +%s) - started ))s in all"
