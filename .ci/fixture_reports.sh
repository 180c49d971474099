#!/usr/bin/env bash
# Runs migcheck on every fixture under Fixtures/ (the generator's tools/ aside) with SARIF,
# JUnit and JSON outputs, then validates each set with .ci/validate_reports.py (schemas,
# GitHub code scanning's limits, and agreement between the three), plus one run over the
# healthy fixture of every phase at once (one SARIF run per document, distinct categories),
# and `migcheck ready` on every evidence scenario of Fixtures/evidence (each phase, alone and
# joined to the cutover state, and one gate that passes).
# A fixture named NAME.<phase>.<kind> (Fixtures/rules/) is judged in that phase (--phase),
# as Fixtures/README.md says; the others get the phase migcheck infers.
#
#   .ci/fixture_reports.sh [MIGCHECK]      default: .build/release/migcheck
#
# Exit status 1 from migcheck means "findings at or above --fail-on" and is expected (it is
# checked against the JSON report's `result`); 2 or anything else fails this script.
# Needs python3 with the validators on PATH (.ci/setup_tools.sh reports) and xmllint.
# MIGCHECK_SCHEMAS names the schema directory (default: ../shared/schemas beside the clone).
set -euo pipefail
cd "$(dirname "$0")/.."

migcheck=${1:-.build/release/migcheck}
schemas=${MIGCHECK_SCHEMAS:-../shared/schemas}
out=.build/ci-reports

if [ ! -x "$migcheck" ]; then
    echo "error: $migcheck not found or not executable (swift build -c release)" >&2
    exit 1
fi
rm -rf "$out"
mkdir -p "$out"

fixtures=()
while IFS= read -r file; do
    fixtures+=("$file")
done < <(find Fixtures \( -path Fixtures/tools -o -path Fixtures/evidence \) -prune -o -type f \( -name '*.json' -o -name '*.tfstate' \) -print | LC_ALL=C sort)
if [ ${#fixtures[@]} -eq 0 ]; then
    echo "error: no fixtures found under Fixtures/" >&2
    exit 1
fi

# run NAME FILE...: one migcheck run with all three reports; appends to validate_args.
# `command` goes first (empty: the plan check; `ready --phase P ...` for the readiness gate).
validate_args=()
command=()
run() {
    local name=$1
    shift
    local status=0
    "$migcheck" ${command[@]+"${command[@]}"} --format text \
        --output "sarif=$out/$name.sarif" --output "junit=$out/$name.xml" --output "json=$out/$name.json" \
        "$@" >"$out/$name.txt" 2>"$out/$name.stderr" || status=$?
    if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
        echo "error: migcheck exited $status on $*:" >&2
        cat "$out/$name.stderr" >&2
        return 1
    fi
    local result want=pass
    result=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["result"])' "$out/$name.json")
    if [ "$status" -eq 1 ]; then want=fail; fi
    if [ "$result" != "$want" ]; then
        echo "error: migcheck exited $status on $* but its JSON report says result=$result" >&2
        return 1
    fi
    printf '  %-44s exit %d  %s\n' "$name" "$status" "$(tail -n 1 "$out/$name.txt")"
    validate_args+=(--sarif "$out/$name.sarif" --junit "$out/$name.xml" --json "$out/$name.json")
}

echo "migcheck on ${#fixtures[@]} fixtures ($("$migcheck" --version)):"
healthy=()
for file in "${fixtures[@]}"; do
    name=${file#Fixtures/}
    phase_args=()
    for phase in prepare full-load cutover cleanup; do
        case ${file##*/} in
            *."$phase".plan.json | *."$phase".state.json | *."$phase".tfstate) phase_args=(--phase "$phase") ;;
        esac
    done
    if [ ${#phase_args[@]} -eq 0 ] && [ "$(dirname "$(dirname "$file")")" = Fixtures ]; then
        healthy+=("$file")
    fi
    run "${name//\//__}" "${phase_args[@]}" "$file"
done
# GitHub takes at most 20 runs (documents) per SARIF file.
if [ ${#healthy[@]} -gt 1 ] && [ ${#healthy[@]} -le 20 ]; then
    run healthy-fixtures-together "${healthy[@]}"
fi

# The readiness gate on every evidence scenario, in each phase it judges, on the evidence alone
# and joined to the cutover state: its reports go through the same validation.
scenarios=0
for directory in Fixtures/evidence/*/; do
    scenario=$(basename "$directory")
    scenarios=$((scenarios + 1))
    for phase in full-load cutover cleanup; do
        command=(ready --phase "$phase" --now 2026-11-20T12:00:00Z --evidence "$directory")
        run "ready__${scenario}__${phase}"
        run "ready__${scenario}__${phase}__joined" Fixtures/cutover/state.json
    done
done
# And the gate that passes: cutover-checked with the migration's planned end (MIG017).
printf '{"policyVersion": 1, "rules": {"MIG017": {"parameters": {"plannedEnd": "2026-11-27T00:00:00Z"}}}}\n' > "$out/ready-policy.json"
command=(ready --phase cutover --now 2026-11-20T12:00:00Z --policy "$out/ready-policy.json" --evidence Fixtures/evidence/cutover-checked)
run ready__cutover-checked__planned
if ! grep -q '"result": "pass"' "$out/ready__cutover-checked__planned.json"; then
    echo "error: the readiness gate on Fixtures/evidence/cutover-checked with a plannedEnd did not pass" >&2
    exit 1
fi
command=()
echo "migcheck ready on $scenarios evidence scenarios, 3 phases, alone and joined to a state, and one passing gate"

python3 .ci/validate_reports.py --schemas "$schemas" "${validate_args[@]}"
