#!/usr/bin/env bash
# Builds the libFuzzer target for migcheck's readers (library sources + Tests/Fuzz/*.swift in
# one module, with AddressSanitizer) and runs it on the seed corpus for a bounded time: plans
# and states (ReaderFuzz.swift) and AWS CLI evidence (EvidenceFuzz.swift).
#
#   Tests/Fuzz/run.sh [SECONDS] [extra libFuzzer flags...]     (default 60 seconds)
#
# New corpus entries go to .build/fuzz/corpus (MIGCHECK_FUZZ_CORPUS=DIR: there instead), crashes
# to .build/fuzz/artifacts; MIGCHECK_FUZZ_OPT=-Onone builds faster and runs slower. The seed
# corpus in Tests/Fuzz/corpus is only read (its evidence_* seeds come from
# Tests/Fuzz/evidence_seeds.py). To replay one crash:
#   .build/fuzz-reader .build/fuzz/artifacts/crash-…
# `swift test` does not compile this directory (the test targets are Tests/MigCheck*Tests).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
seconds="${1:-60}"
shift || true

corpus="${MIGCHECK_FUZZ_CORPUS:-.build/fuzz/corpus}"
mkdir -p "$corpus" .build/fuzz/artifacts
# The library targets (Sources/MigCheck*: foundation, reading, picture, rules, reports, CLI) are
# compiled as one module here: their `import MigCheck…` lines name modules that do not exist
# in that build, so each file is copied to .build/fuzz/src without them (and stays its own
# file, so that `private` and `fileprivate` mean what they do in the package).
rm -rf .build/fuzz/src
mapfile -t library < <(find Sources/MigCheckFoundation Sources/MigCheckReading Sources/MigCheckPicture \
    Sources/MigCheckRules Sources/MigCheckReports Sources/MigCheckCLI -name '*.swift' | sort)
sources=()
for file in "${library[@]}"; do
    copy=".build/fuzz/src/${file#Sources/}"
    mkdir -p "$(dirname "$copy")"
    sed -e 's/^import MigCheck[A-Za-z]*$//' "$file" > "$copy"
    sources+=("$copy")
done
# What Plugins/BuildCommit writes in a package build (the commit --version names).
printf 'let buildCommit: String? = nil\n' >.build/fuzz/src/MigCheckCLI/BuildCommit.swift
sources+=(.build/fuzz/src/MigCheckCLI/BuildCommit.swift)

# The evidence dictionary names every member the evidence reader spells; a new one must join it.
missing="$(grep -ohE '"[A-Z][A-Za-z]+"' Sources/MigCheckReading/Evidence/*.swift | sort -u \
    | sed 's/^"\(.*\)"$/"\\"\1\\""/' | grep -vxF -f Tests/Fuzz/evidence.dict || true)"
if [ -n "$missing" ]; then
    echo "Tests/Fuzz/evidence.dict lacks member names the evidence reader reads: ${missing//$'\n'/ }" >&2
    exit 1
fi
# libFuzzer takes one -dict.
cat Tests/Fuzz/terraform.dict Tests/Fuzz/evidence.dict >.build/fuzz/fuzz.dict

harness=(Tests/Fuzz/*.swift)
echo "building .build/fuzz-reader (${#sources[@]} library files + ${harness[*]})" >&2
swiftc -sanitize=fuzzer,address -parse-as-library "${MIGCHECK_FUZZ_OPT:--O}" -g \
    -module-name MigCheckFuzz -package-name migcheck \
    "${sources[@]}" "${harness[@]}" \
    -o .build/fuzz-reader 2> >(grep -v -e 'Cannot export local symbol' -e '^$' >&2)

# Let libFuzzer and ASan report a crash: Swift's own backtracer would read freed memory
# under ASan and bury the real report.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
# Leak detection is off: the rules' static descriptions live for the whole process, and
# LeakSanitizer reports such globals as leaked (each run would stop at the first input).
# The first directory receives new entries; the seeds are read from the second.
exec .build/fuzz-reader \
    -max_total_time="$seconds" \
    -max_len=4096 \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -print_final_stats=1 \
    -detect_leaks=0 \
    -dict=.build/fuzz/fuzz.dict \
    -artifact_prefix=.build/fuzz/artifacts/ \
    "$@" \
    "$corpus" Tests/Fuzz/corpus
