#!/usr/bin/env python3
"""Behaviour unchanged: two migcheck binaries give byte-identical reports on every document.

    .ci/compare_reports.py BASELINE NEW [--public DIR] [--keep DIR]

Runs both binaries on every fixture under Fixtures/ and every plan or state in
../shared/fixtures/public (when present), in each of the six formats, and compares exit
status, standard output and standard error. Only what differs from run to run is masked
first: timestamps, durations and the host name. A fixture named NAME.<phase>.<kind> is
checked in that phase, as .ci/fixture_reports.sh does. Prints one line per difference (the
two outputs are kept under --keep) and a closing 'N passed, N failed' line; exits 1 on any
difference. Used before and after a change meant to keep behaviour (a refactoring); the
baseline is built from the commit the change starts from.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

FORMATS = ["text", "json", "sarif", "junit", "github", "markdown"]
VOLATILE = [
    (re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?"), b"<timestamp>"),
    (re.compile(rb'"durationMilliseconds": *\d+'), b'"durationMilliseconds": <ms>'),
    (re.compile(rb'time="[0-9.]+"'), b'time="<seconds>"'),
    (re.compile(rb'hostname="[^"]*"'), b'hostname="<host>"'),
]


def documents(root, public):
    found = sorted(f for f in glob.glob(os.path.join(root, "Fixtures", "**", "*"), recursive=True)
                   if os.path.isfile(f) and "/tools/" not in f and "/expected/" not in f
                   and (f.endswith(".json") or f.endswith(".tfstate")))
    if public and os.path.isdir(public):
        found += sorted(f for f in glob.glob(os.path.join(public, "**", "*"), recursive=True)
                        if os.path.isfile(f) and not f.endswith(".md"))
    return found


def masked(data):
    for pattern, replacement in VOLATILE:
        data = pattern.sub(replacement, data)
    return data


def run(binary, arguments, cwd):
    completed = subprocess.run([binary] + arguments, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    return completed.returncode, masked(completed.stdout), masked(completed.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline")
    parser.add_argument("new")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--public", default=os.path.join(os.path.dirname(root), "shared", "fixtures", "public"))
    parser.add_argument("--keep", default=os.path.join(root, ".build", "ci-compare"))
    args = parser.parse_args()
    baseline, new = os.path.abspath(args.baseline), os.path.abspath(args.new)
    shutil.rmtree(args.keep, ignore_errors=True)
    passed = failed = 0
    for document in documents(root, args.public):
        relative = os.path.relpath(document, root)
        phase = re.search(r"\.(prepare|full-load|cutover|cleanup)\.", os.path.basename(document))
        for fmt in FORMATS:
            arguments = ["--format", fmt] + (["--phase", phase.group(1)] if phase else []) + [relative]
            before, after = run(baseline, arguments, root), run(new, arguments, root)
            if before == after:
                passed += 1
                continue
            failed += 1
            name = re.sub(r"[^A-Za-z0-9._-]", "_", relative) + "." + fmt
            os.makedirs(args.keep, exist_ok=True)
            for label, outcome in (("baseline", before), ("new", after)):
                with open(os.path.join(args.keep, f"{name}.{label}"), "wb") as handle:
                    handle.write(b"exit %d\n--- stdout\n%s\n--- stderr\n%s" % (outcome[0], outcome[1], outcome[2]))
            what = "exit status" if before[0] != after[0] else "stdout" if before[1] != after[1] else "stderr"
            print(f"DIFF {relative} --format {fmt}: {what} differs (see {args.keep}/{name}.baseline and .new)")
    print(f"reports compared: {passed + failed} (documents x {len(FORMATS)} formats)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
