#!/usr/bin/env bash
# Proves that a release binary of migcheck runs on a machine that has nothing but a C library:
# no Swift toolchain, no Foundation or ICU libraries, no files of this clone.
#
#   .ci/portability.sh BINARY [PLAN]          (default plan: Fixtures/prepare/plan.json)
#
# Two checks, and it says which ran:
#   1. NEEDED entries (readelf -d): a fully static binary (the release workflow's Static Linux
#      SDK build: no program interpreter, no NEEDED) passes; a dynamic one (this machine's
#      `swift build -c release`, the Swift runtime linked in) may need only the C and C++
#      runtime libraries (libc, libm, libstdc++, libgcc_s, the dynamic loader, and glibc's
#      split-off libpthread, libdl, librt); anything else fails.
#   2. A run in an empty root: a directory holding only the binary, a plan and, for a dynamic
#      binary, exactly the library files ldd resolves for those NEEDED entries, plus an empty
#      /proc where a fresh proc of a new PID namespace is mounted (the Swift runtime reads the
#      arguments from /proc/self/cmdline on Linux; every system and container runtime has it),
#      entered with `unshare -r -m -p -f --mount-proc --root` (a user namespace, no privileges
#      needed) or, as root where user namespaces are off, the same without -r; the environment
#      is empty. migcheck --version and migcheck --format json on the plan must work there
#      (exit 0 or 1, a JSON report on stdout). Where no root can be entered, only check 1 ran,
#      and this says so.
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:?usage: .ci/portability.sh BINARY [PLAN]}
plan=${2:-Fixtures/prepare/plan.json}
[ -x "$binary" ] || { echo "portability: $binary is not an executable file" >&2; exit 1; }

echo "portability: $binary ($(wc -c <"$binary") bytes)"
needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*Shared library: \[\(.*\)\]/\1/p')
interp=$(readelf -l "$binary" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
if [ -z "$needed" ] && [ -z "$interp" ]; then
    echo "portability: check 1: fully static (no program interpreter, no NEEDED entries)"
else
    echo "portability: check 1: dynamic, interpreter ${interp:-none}; NEEDED: $(echo "$needed" | tr '\n' ' ')"
    bad=()
    while IFS= read -r library; do
        case $library in
            libc.so.6 | libm.so.6 | libstdc++.so.6 | libgcc_s.so.1 | ld-linux*.so.* | \
                libpthread.so.0 | libdl.so.2 | librt.so.1) ;;
            *) bad+=("$library") ;;
        esac
    done <<<"$needed"
    if [ ${#bad[@]} -gt 0 ]; then
        echo "portability: FAIL: needs libraries outside libc/libm/libstdc++/libgcc: ${bad[*]}" >&2
        exit 1
    fi
    glibc=$(objdump -T "$binary" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1 || true)
    echo "portability: check 1: only the C and C++ runtime libraries; newest glibc symbol version ${glibc:-unknown}"
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/migcheck-root.XXXXXX")
trap 'rm -rf "$root"' EXIT
cp "$binary" "$root/migcheck"
cp "$plan" "$root/plan.json"
if [ -n "$needed" ] || [ -n "$interp" ]; then
    # Exactly the files the loader would map for those entries, at the same paths.
    while IFS= read -r path; do
        [ -n "$path" ] || continue
        mkdir -p "$root$(dirname "$path")"
        cp -L "$path" "$root$path"
    done < <(ldd "$binary" | sed -n 's/.*=> \(\/[^ ]*\) (.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' | sort -u)
fi
echo "portability: the root holds $(cd "$root" && find . -type f | sort | tr '\n' ' ')and an empty /proc"

mkdir "$root/proc"
enter=()
if unshare -r -m -p -f --mount-proc --root "$root" /migcheck --version >/dev/null 2>&1; then
    enter=(unshare -r -m -p -f --mount-proc --root "$root")
    how="unshare -r -m -p -f --mount-proc --root (user namespace)"
elif [ "$(id -u)" = 0 ] && unshare -m -p -f --mount-proc --root "$root" /migcheck --version >/dev/null 2>&1; then
    enter=(unshare -m -p -f --mount-proc --root "$root")
    how="unshare -m -p -f --mount-proc --root (as root)"
fi
if [ ${#enter[@]} -eq 0 ]; then
    echo "portability: check 2 not run: unshare cannot enter a root with its own /proc here; check 1 alone passed"
    exit 0
fi

version=$(env -i "${enter[@]}" /migcheck --version)
code=0
env -i "${enter[@]}" /migcheck --format json /plan.json >"$root.json" 2>"$root.err" || code=$?
trap 'rm -rf "$root" "$root.json" "$root.err"' EXIT
if [ "$code" -gt 1 ]; then
    echo "portability: FAIL: migcheck exited $code in the empty root:" >&2
    cat "$root.err" >&2
    exit 1
fi
report_parses() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["schemaVersion"] == 1, d' "$1"
    else # the release job's Swift image: no Python needed, the report's first key will do
        grep -q '"schemaVersion" *: *1' "$1"
    fi
}
report_parses "$root.json" || {
    echo "portability: FAIL: the JSON report written in the empty root does not parse" >&2
    exit 1
}
echo "portability: check 2: ran in an empty root via $how, environment empty: '$version', a JSON report of $plan (exit $code)"
echo "portability: passed"
