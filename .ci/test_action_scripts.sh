#!/usr/bin/env bash
# Tests the scripts behind action.yml (.github/actions/migcheck/) and the release notes
# extraction, without GitHub:
#
#   install.sh     against releases laid out on disk (a file:// base URL): a good release
#                  installs and runs; a tampered tarball, a SHA256SUMS without its line and a
#                  poisoned cache fail closed or are replaced, and nothing of theirs runs
#   run.sh         the real binary on shipped plans: outputs (exit-code, counts from the JSON
#                  report), job summary, SARIF runs renamed to the category, bad input
#   pr-comment.sh  against .ci/fake_github_api.py on 127.0.0.1 (started and stopped here):
#                  the first run creates the comment, the second updates the same one, never
#                  a duplicate, the token never on a command line
#   changelog_entry.sh  the 0.1.0 entry, and an error for a version without one
#   package_release.sh  (the release workflow's packing) makes the releases install.sh reads
#
#   .ci/test_action_scripts.sh BINARY          (BINARY: a migcheck build, e.g. .build/release/migcheck)
#
# Ends with one line "action scripts: N passed, N failed"; exits 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
binary=$(cd "$(dirname "${1:?usage: $0 BINARY}")" && pwd)/$(basename "$1")
scripts=.github/actions/migcheck
passed=0
failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/migcheck-action-test.XXXXXX")
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT

check() { # NAME CONDITION...
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "ok   $name"
    else
        failed=$((failed + 1))
        echo "FAIL $name"
    fi
}

# ------------------------------------------------------------------ releases on disk
version=9.8.7
os=linux
arch=x86_64
name=migcheck-$version-$os-$arch
make_release() { # DIR BINARY  (packed by the release workflow's own script)
    bash .ci/package_release.sh "$version" "$os" "$arch" "$2" "$1/v$version" >/dev/null &&
        bash .ci/package_release.sh --sums "$1/v$version" >/dev/null
}
# A stand-in binary that leaves a trace if anything ever runs it.
sentinel=$work/executed
printf '#!/bin/sh\ntouch %s\necho "migcheck %s (impostor)"\n' "$sentinel" "$version" >"$work/impostor"
chmod +x "$work/impostor"

make_release "$work/good" "$binary"
make_release "$work/tampered" "$work/impostor"
# Tampered: the tarball's bytes changed after SHA256SUMS was written.
printf 'x' >>"$work/tampered/v$version/$name.tar.gz"
make_release "$work/missing" "$work/impostor"
sed -i "s/$name.tar.gz/other-$name.tar.gz/" "$work/missing/v$version/SHA256SUMS"

install() { # BASE INSTALL_DIR [CACHE_DIR]
    env MIGCHECK_VERSION="v$version" MIGCHECK_OS=$os MIGCHECK_ARCH=amd64 \
        MIGCHECK_RELEASE_BASE_URL="file://$1" MIGCHECK_INSTALL_DIR="$2" \
        MIGCHECK_CACHE_DIR="${3:-}" GITHUB_OUTPUT="$work/install.out" RUNNER_TEMP="$work" \
        bash "$scripts/install.sh" >"$work/install.log" 2>&1
}

: >"$work/install.out"
install "$work/good" "$work/bin-good" "$work/cache"
check "install: a good release installs (exit 0)" [ $? -eq 0 ]
check "install: the binary runs (--version printed)" grep -q "^migcheck " "$work/install.log"
check "install: output binary= names it" grep -qx "binary=$work/bin-good/migcheck" "$work/install.out"
check "install: the verified tarball is cached" [ -f "$work/cache/$name.tar.gz" ]
check "install: the tarball holds the binary, LICENSE and README.md" \
    [ "$(tar -tzf "$work/good/v$version/$name.tar.gz" | sort | tr '\n' ' ')" = "$name/ $name/LICENSE $name/README.md $name/migcheck " ]
make_release "$work/again" "$binary"
check "package: the same binary packs to the same bytes (reproducible)" \
    cmp -s "$work/good/v$version/SHA256SUMS" "$work/again/v$version/SHA256SUMS"

install "$work/tampered" "$work/bin-tampered"
check "install: a tampered tarball fails (exit 1)" [ $? -eq 1 ]
check "install: ... saying the SHA-256 differs" grep -q "SHA256SUMS says" "$work/install.log"
check "install: ... installs nothing" [ ! -e "$work/bin-tampered/migcheck" ]
check "install: ... executes nothing" [ ! -e "$sentinel" ]

install "$work/missing" "$work/bin-missing"
check "install: no SHA256SUMS line for the tarball fails (exit 1)" [ $? -eq 1 ]
check "install: ... installs and executes nothing" [ ! -e "$work/bin-missing/migcheck" ] && [ ! -e "$sentinel" ]

# A poisoned cache: the cached tarball is replaced by the impostor's; it must be refused and
# the genuine release downloaded again.
cp "$work/tampered/v$version/$name.tar.gz" "$work/cache/$name.tar.gz"
install "$work/good" "$work/bin-cache" "$work/cache"
check "install: a poisoned cache entry is refused and the release fetched again" \
    grep -q "does not match SHA256SUMS" "$work/install.log"
check "install: ... and the genuine binary installed, the impostor never run" \
    cmp -s "$work/bin-cache/migcheck" "$binary"
check "install: ... nothing of the impostor ran" [ ! -e "$sentinel" ]

install "$work/nowhere" "$work/bin-nowhere"
check "install: a release that is not there fails (exit 1)" [ $? -eq 1 ]

env MIGCHECK_ACTION_REF=0123456789abcdef0123456789abcdef01234567 MIGCHECK_ACTION_PATH="$PWD" \
    MIGCHECK_OS=plan9 bash "$scripts/install.sh" >"$work/install.log" 2>&1
check "install: an unknown platform fails" grep -q "no migcheck release for plan9" "$work/install.log"
expected_version=$(sed -n 's/.*static let current = "\([^"]*\)".*/\1/p' Sources/MigCheckFoundation/Version.swift)
env MIGCHECK_ACTION_REF=0123456789abcdef0123456789abcdef01234567 MIGCHECK_ACTION_PATH="$PWD" \
    MIGCHECK_OS=linux MIGCHECK_ARCH=x86_64 MIGCHECK_RELEASE_BASE_URL="file://$work/none" \
    bash "$scripts/install.sh" >"$work/install.log" 2>&1
check "install: pinned by SHA, the version comes from Version.swift ($expected_version)" \
    grep -q "none/v$expected_version/SHA256SUMS" "$work/install.log"
env MIGCHECK_ACTION_REF=v1.2.3 MIGCHECK_ACTION_PATH="$PWD" MIGCHECK_OS=linux MIGCHECK_ARCH=x86_64 \
    MIGCHECK_RELEASE_BASE_URL="file://$work/none" bash "$scripts/install.sh" >"$work/install.log" 2>&1
check "install: at tag v1.2.3, the version is the tag's" grep -q "none/v1.2.3/SHA256SUMS" "$work/install.log"

# The runner's layout of a remote action: .../_actions/OWNER/NAME/REF, with action_ref and
# action_repository empty (as they often are in a composite action).
mkdir -p "$work/server/acme/migcheck-fork/releases/download"
cp -R "$work/good/v$version" "$work/server/acme/migcheck-fork/releases/download/"
env -u GITHUB_ACTION_PATH MIGCHECK_ACTION_PATH="$work/runner/_actions/acme/migcheck-fork/v$version" \
    MIGCHECK_ACTION_REF="" MIGCHECK_REPOSITORY="" GITHUB_SERVER_URL="file://$work/server" \
    MIGCHECK_OS=$os MIGCHECK_ARCH=$arch MIGCHECK_INSTALL_DIR="$work/bin-path" RUNNER_TEMP="$work" \
    bash "$scripts/install.sh" >"$work/install.log" 2>&1
check "install: with empty action_ref/action_repository, both come from the action's path" \
    cmp -s "$work/bin-path/migcheck" "$binary"
env MIGCHECK_ACTION_PATH="$PWD" MIGCHECK_ACTION_REF="" MIGCHECK_REPOSITORY="" MIGCHECK_RESOLVE_ONLY=1 \
    bash "$scripts/install.sh" >"$work/install.log" 2>&1
check "install: a local action (uses: ./) takes the repository from Version.swift" \
    grep -q "from migcheck/migcheck$" "$work/install.log"

# ------------------------------------------------------------------ run.sh
run() { # CATEGORY PLAN [VAR=VALUE...]
    local category=$1 plan=$2
    shift 2
    : >"$work/run.out"
    env MIGCHECK="$work/bin-good/migcheck" PLAN="$plan" CATEGORY="$category" FAIL_ON=error \
        SUMMARY=true REPORT_DIR="$work/reports-$category" GITHUB_OUTPUT="$work/run.out" \
        GITHUB_STEP_SUMMARY="$work/summary.md" "$@" bash "$scripts/run.sh" >"$work/run.log" 2>&1
}
out() { sed -n "s/^$1=//p" "$work/run.out"; }

: >"$work/summary.md"
run migcheck-staging Fixtures/prepare/plan.json
check "run: a clean plan: step passes, exit-code 0" [ $? -eq 0 ] && [ "$(out exit-code)" = 0 ]
check "run: errors/warnings/unverified are the JSON report's" \
    [ "$(out errors)/$(out warnings)/$(out unverified)" = "$(jq -r '"\(.summary.errors)/\(.summary.warnings)/\(.summary.unverified)"' "$work/reports-migcheck-staging/migcheck.json")" ]
check "run: the Markdown report went to the job summary" \
    cmp -s "$work/summary.md" "$work/reports-migcheck-staging/migcheck.md"
check "run: SARIF runs renamed to the category" \
    [ "$(jq -r '.runs[0].automationDetails.id' "$(out sarif-file)")" = "migcheck-staging/" ]

breaking=$(find Fixtures/rules -name 'MIG004-*.plan.json' | head -n 1)
run migcheck-production "$breaking" SUMMARY=false
check "run: a breaking plan: step passes, exit-code 1, errors > 0" \
    [ $? -eq 0 ] && [ "$(out exit-code)" = 1 ] && [ "$(out errors)" -gt 0 ]
check "run: summary: false writes no job summary" \
    cmp -s "$work/summary.md" "$work/reports-migcheck-staging/migcheck.md"

printf '{"format_version": "1.2", oops}' >"$work/bad.json"
run bad "$work/bad.json"
check "run: bad input: exit-code 2, no counts" [ "$(out exit-code)" = 2 ] && [ -z "$(out errors)" ]
run 'x--><script>' Fixtures/prepare/plan.json
check "run: a category that could end the HTML marker is refused" [ "$(out exit-code)" = 2 ]
run missing "$work/no-such-plan.json"
check "run: a missing plan file: exit-code 2" [ "$(out exit-code)" = 2 ]

# ------------------------------------------------------------------ pr-comment.sh
token=test-token-$RANDOM$RANDOM
python3 .ci/fake_github_api.py "$work/port" "$token" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
api=http://127.0.0.1:$(cat "$work/port")

comment() { # PR BODY_FILE [TOKEN]
    : >"$work/comment.out"
    env GITHUB_API_URL="$api" GITHUB_REPOSITORY=acme/infra GITHUB_TOKEN="${3:-$token}" \
        PR_NUMBER="$1" CATEGORY=migcheck-production BODY_FILE="$2" \
        GITHUB_OUTPUT="$work/comment.out" RUNNER_TEMP="$work" \
        bash "$scripts/pr-comment.sh" >"$work/comment.log" 2>&1
}
ours() { curl -s "$api/__comments/7" | jq '[.[] | select(.body | startswith("<!-- migcheck:migcheck-production -->\n"))]'; }

printf '## first report\n' >"$work/first.md"
printf '## second report\n' >"$work/second.md"
comment 7 "$work/first.md"
check "comment: first run creates (exit 0, comment-action=created)" \
    [ $? -eq 0 ] && grep -qx "comment-action=created" "$work/comment.out"
first_id=$(sed -n 's/^comment-id=//p' "$work/comment.out")
check "comment: ... one comment, marker first, the report after it" \
    [ "$(ours | jq 'length')" = 1 ] && [ "$(ours | jq -r '.[0].body')" = "$(printf '<!-- migcheck:migcheck-production -->\n## first report')" ]
check "comment: ... every page of the comments was read before creating" \
    [ "$(curl -s "$api/__requests" | jq '[.[] | select(.method == "GET")] | length')" = 2 ]

comment 7 "$work/second.md"
check "comment: second run updates (comment-action=updated), the same id" \
    grep -qx "comment-action=updated" "$work/comment.out" && grep -qx "comment-id=$first_id" "$work/comment.out"
check "comment: ... still one comment, now the second report" \
    [ "$(ours | jq 'length')" = 1 ] && [ "$(ours | jq -r '.[0].body')" = "$(printf '<!-- migcheck:migcheck-production -->\n## second report')" ]
check "comment: ... the person's comment quoting the marker is untouched" \
    [ "$(curl -s "$api/__comments/7" | jq '[.[] | select(.body | startswith("FYI"))][0].updated_at')" = '"2026-12-04T10:00:00Z"' ]
check "comment: one POST and one PATCH in all" \
    [ "$(curl -s "$api/__requests" | jq -c '[.[] | select(.method != "GET") | .method]')" = '["POST","PATCH"]' ]

comment 7 "$work/second.md" wrong-token
check "comment: a rejected token fails the step" [ $? -ne 0 ]
token_absent() { ! grep -q "$token" "$work/comment.log"; }
check "comment: the token never shows in the log" token_absent
comment "" "$work/second.md"
check "comment: not a pull request: nothing to do (exit 0)" [ $? -eq 0 ] && grep -q "not for a pull request" "$work/comment.log"

kill "$server_pid"
wait "$server_pid" 2>/dev/null
server_pid=""

# ------------------------------------------------------------------ changelog_entry.sh
check "changelog: the 0.1.0 entry starts with its text, not its heading" \
    bash -c '.ci/changelog_entry.sh v0.1.0 | head -n 1 | grep -q "^The first version"'
check "changelog: ... and ends before the link references" \
    bash -c '! .ci/changelog_entry.sh 0.1.0 | grep -q "^\[0.1.0\]:"'
check "changelog: a version without an entry fails" bash -c '! .ci/changelog_entry.sh 0.0.0 2>/dev/null'

echo "action scripts: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
