#!/usr/bin/env bash
# The migcheck gate: runs migcheck on one plan (or state) with the flags and reports of the
# deploy workflow's check (the reusable workflow .github/workflows/migcheck.yml, through the
# migcheck action), for the end-to-end run (Tests/e2e/run.sh). The action's own run step,
# .github/actions/migcheck/run.sh, is to become the one script both use.
#
# Environment (every name as in the workflow step):
#   MIGCHECK      the migcheck binary (default: migcheck on PATH)
#   DOCUMENT      the plan or state JSON (`terraform show -json`)
#   INPUT_KIND    plan, state or tfstate (default plan)
#   PHASE         prepare, full-load, cutover, cleanup; empty: the policy's, else inferred
#   POLICY        the policy file (default migcheck.json; absent and default: built-in policy)
#   FAIL_ON       error, warning or never (default error)
#   SOURCE_DIR    the .tf sources, for findings that point at the declaring line (optional)
#   UPLOAD_SARIF  true: annotations are left to code scanning; otherwise printed
#   CATEGORY      the code scanning category (default migcheck)
#   REPORTS       directory for migcheck.{txt,md,sarif,xml,json}, annotations.txt, upload.sarif
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY  as on GitHub Actions; unset elsewhere: not written
#
# Writes exit-code=N (migcheck's status), category= and result=pass|fail to GITHUB_OUTPUT.
# Exits 0 when migcheck ran (its verdict is exit-code: 0 clean, 1 findings at or above
# FAIL_ON), and with migcheck's status (2) when it could not judge the input.
set -euo pipefail
MIGCHECK=${MIGCHECK:-migcheck}
INPUT_KIND=${INPUT_KIND:-plan}
PHASE=${PHASE:-}
POLICY=${POLICY:-migcheck.json}
FAIL_ON=${FAIL_ON:-error}
SOURCE_DIR=${SOURCE_DIR:-}
UPLOAD_SARIF=${UPLOAD_SARIF:-false}
CATEGORY=${CATEGORY:-migcheck}
: "${DOCUMENT:?DOCUMENT: the plan or state to check}"
: "${REPORTS:?REPORTS: the directory for the reports}"
output=${GITHUB_OUTPUT:-/dev/null}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}

mkdir -p "$REPORTS"
args=(--input "$INPUT_KIND" --fail-on "$FAIL_ON" --format markdown
      --output "text=$REPORTS/migcheck.txt" --output "github=$REPORTS/annotations.txt"
      --output "sarif=$REPORTS/migcheck.sarif" --output "junit=$REPORTS/migcheck.xml"
      --output "json=$REPORTS/migcheck.json")
if [ -n "$PHASE" ]; then args+=(--phase "$PHASE"); fi
if [ -n "$SOURCE_DIR" ]; then args+=(--source-dir "$SOURCE_DIR"); fi
if [ -f "$POLICY" ]; then
  args+=(--policy "$POLICY")
elif [ "$POLICY" != migcheck.json ]; then
  echo "::error title=migcheck::policy file $POLICY not found in the repository"
  echo "exit-code=2" >> "$output"
  exit 2
else
  echo "::notice title=migcheck::no migcheck.json in the repository: the built-in policy applies, and the phase ${PHASE:-is inferred from the plan}"
fi

code=0
"$MIGCHECK" "${args[@]}" "$DOCUMENT" > "$REPORTS/migcheck.md" || code=$?
echo "exit-code=$code" >> "$output"
if [ "$code" -ge 2 ]; then
  exit "$code"   # bad input or usage: migcheck said why on standard error, above
fi
cat "$REPORTS/migcheck.md" >> "$summary"
cat "$REPORTS/migcheck.txt"
# Without code scanning, findings still show on the pull request as annotations.
if [ "$UPLOAD_SARIF" != true ]; then
  cat "$REPORTS/annotations.txt"
fi

# migcheck names each SARIF run migcheck/<phase>/<file>/, and code scanning keeps a
# run's own automationDetails.id over upload-sarif's `category`. Name the runs after
# the environment instead, so that each environment keeps one analysis whose alerts
# close when they are fixed, also once the phase has moved on.
jq --arg category "$CATEGORY" '
  .runs |= (if length == 1
            then map(.automationDetails.id = $category + "/")
            else to_entries | map(.value.automationDetails.id = "\($category)/\(.key + 1)/" | .value)
            end)' "$REPORTS/migcheck.sarif" > "$REPORTS/upload.sarif"

echo "category=$CATEGORY" >> "$output"
echo "result=$(jq -r .result "$REPORTS/migcheck.json")" >> "$output"
