#!/usr/bin/env bash
# Runs migcheck on a plan (or state) and leaves its reports where the next steps of action.yml
# take them: SARIF for code scanning (its runs renamed to the category), Markdown for the job
# summary and the pull-request comment, JSON for the counts. Never fails the step on findings:
# it records migcheck's exit status as the output exit-code, and the action's last step fails
# the job on it, after the reports are published. Tested by .ci/test_action_scripts.sh.
#
# Environment (each from an input of action.yml, through env:, never spliced into the script):
#   MIGCHECK        the binary (install.sh's output)
#   PLAN            the plan or state file (- for standard input is refused: a step has none)
#   INPUT_KIND      plan, state or tfstate; empty lets migcheck tell
#   POLICY          policy file; empty: migcheck's own default (./migcheck.json, else built in)
#   PHASE           prepare, full-load, cutover, cleanup; empty: the policy's, else inferred
#   FAIL_ON         error (default), warning or never
#   SOURCE_DIR      directory with the .tf files, for locations
#   CATEGORY        code scanning category, also the pull-request comment's key
#   REPORT_DIR      where the reports go (default $RUNNER_TEMP/migcheck-reports/CATEGORY)
#   SUMMARY         true: append the Markdown report to $GITHUB_STEP_SUMMARY
#   ANNOTATIONS     true: print GitHub annotations (when SARIF is not uploaded)
#   GITHUB_OUTPUT   gets exit-code, result, errors, warnings, unverified, sarif-file,
#                   markdown-file, json-file, report-dir, category
set -euo pipefail

output() {
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
    fi
}
fail() {
    printf '::error title=migcheck::%s\n' "$*"
    output exit-code 2
    exit 2
}

migcheck=${MIGCHECK:?MIGCHECK: the migcheck binary}
plan=${PLAN:-}
category=${CATEGORY:-migcheck}
[ -n "$plan" ] || fail "the plan input is empty: name the file of terraform show -json"
[ "$plan" != - ] || fail "plan: - (standard input) is not available in a step; name a file"
[ -f "$plan" ] || fail "plan file $plan not found"
# The category goes into an HTML comment (the pull-request comment's marker) and a SARIF id.
case $category in
    "" | *[!A-Za-z0-9._/-]*) fail "sarif-category may hold letters, digits and . _ / - only, not: $category" ;;
esac
case ${FAIL_ON:=error} in
    error | warning | never) ;;
    *) fail "fail-on must be error, warning or never, not $FAIL_ON" ;;
esac

reports=${REPORT_DIR:-${RUNNER_TEMP:-/tmp}/migcheck-reports/${category//\//_}}
mkdir -p "$reports"
args=(--fail-on "$FAIL_ON" --format markdown
    --output "json=$reports/migcheck.json" --output "sarif=$reports/migcheck.sarif"
    --output "junit=$reports/migcheck.xml" --output "text=$reports/migcheck.txt"
    --output "github=$reports/annotations.txt")
if [ -n "${INPUT_KIND:-}" ]; then args+=(--input "$INPUT_KIND"); fi
if [ -n "${POLICY:-}" ]; then args+=(--policy "$POLICY"); fi
if [ -n "${PHASE:-}" ]; then args+=(--phase "$PHASE"); fi
if [ -n "${SOURCE_DIR:-}" ]; then args+=(--source-dir "$SOURCE_DIR"); fi

code=0
"$migcheck" "${args[@]}" "$plan" >"$reports/migcheck.md" || code=$?
output exit-code "$code"
output report-dir "$reports"
output category "$category"
if [ "$code" -ge 2 ]; then
    # Bad input or usage: migcheck said why on standard error, in one line, above.
    echo "::error title=migcheck::migcheck could not check $plan (exit status $code)"
    exit 0
fi

cat "$reports/migcheck.txt"
if [ "${ANNOTATIONS:-false}" = true ]; then
    cat "$reports/annotations.txt"
fi
if [ "${SUMMARY:-true}" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$reports/migcheck.md" >>"$GITHUB_STEP_SUMMARY"
fi

# migcheck names each SARIF run migcheck/<phase>/<file>/, and code scanning keeps a run's own
# automationDetails.id over upload-sarif's category: name the runs after the category, so that
# its alerts close when fixed, also once the phase has moved on.
jq --arg category "$category" '
    .runs |= (if length == 1
              then map(.automationDetails.id = $category + "/")
              else to_entries | map(.value.automationDetails.id = "\($category)/\(.key + 1)/" | .value)
              end)' "$reports/migcheck.sarif" >"$reports/upload.sarif"

json=$reports/migcheck.json
output result "$(jq -r .result "$json")"
output errors "$(jq -r .summary.errors "$json")"
output warnings "$(jq -r .summary.warnings "$json")"
output unverified "$(jq -r .summary.unverified "$json")"
output sarif-file "$reports/upload.sarif"
output markdown-file "$reports/migcheck.md"
output json-file "$json"
echo "migcheck: exit status $code; $(jq -r '"\(.summary.errors) errors, \(.summary.warnings) warnings, \(.summary.unverified) unverified"' "$json")"
