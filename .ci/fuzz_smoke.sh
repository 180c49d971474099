#!/usr/bin/env bash
# Builds the libFuzzer target (Tests/Fuzz/run.sh: every library source and the harness in one
# module, so a top-level name declared in two targets breaks it where `swift build` passes) and
# runs it briefly with a fixed seed: the seed corpus (plans, states, policies, output paths,
# AWS CLI evidence) and what the fuzzer derives from it in that time. A crash fails the step.
# Unoptimised (-Onone: about 40 s to build where -O takes 140 s, and 24 runs/s instead of 71;
# every seed still runs) into a fresh corpus, so the run does not depend on earlier ones.
#
#   .ci/fuzz_smoke.sh [SECONDS]        (default 20)
#
# Toolchains without libFuzzer (`-sanitize=fuzzer`; Xcode's, for one) skip it with one line.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"

probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT
printf '@_cdecl("LLVMFuzzerTestOneInput")\npublic func probe(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 { 0 }\n' \
    >"$probe/probe.swift"
if ! swiftc -sanitize=fuzzer -parse-as-library "$probe/probe.swift" -o "$probe/probe" >"$probe/log" 2>&1; then
    echo "fuzz: skipped: this toolchain cannot build with -sanitize=fuzzer ($(head -n 1 "$probe/log"))"
    exit 0
fi

started=$(date +%s)
# Only the summary: libFuzzer prints a line for every new input.
MIGCHECK_FUZZ_OPT=-Onone MIGCHECK_FUZZ_CORPUS="$probe/corpus" bash Tests/Fuzz/run.sh "$seconds" -seed=1 >"$probe/fuzz.log" 2>&1 || {
    grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)' "$probe/fuzz.log" | tail -n 60
    echo "fuzz: failed (a build error or a crash above; crashes are kept in .build/fuzz/artifacts)"
    exit 1
}
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$probe/fuzz.log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$probe/fuzz.log")
echo "fuzz: built and ran ${seconds} s with seed 1: ${runs:-?} runs (${rate:-?}/s), no crash; $(($(date +%s) - started)) s in all"
