#!/usr/bin/env python3
"""Compares migcheck's findings on every fixture with Fixtures/expected/.

    swift build --product migcheck
    python3 Fixtures/tools/expected_findings.py           # show differences, exit 1 if any
    python3 Fixtures/tools/expected_findings.py --write   # rewrite the expected files

Each fixture (a plan or state under Fixtures/, outside tools/ and expected/) has
`expected/<its path with / replaced by __>.findings`: one line per finding,
`RULE SEVERITY KIND ADDRESS` (ADDRESS `-` for a plan-wide finding), sorted; a
rule reporting two findings on one address gives two equal lines. The phase is
the fixture's folder (`cutover/plan.json`) or, under rules/, the name's last
part before the extension (`MIG006-rate-30-days.prepare.plan.json`).

The expected files are a reviewed judgement, not a recording: after --write,
read every changed line against the rule and the fixture (README.md says what
each fixture breaks). Tests/MigCheckRulesTests/FixtureFindingsTests.swift runs
the same check inside `swift test`.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(HERE)
PACKAGE = os.path.dirname(FIXTURES)
PHASES = ("prepare", "full-load", "cutover", "cleanup")
EXTENSIONS = (".plan.json", ".state.json", ".tfstate", ".json")


def fixture_paths():
    found = []
    for folder, directories, files in os.walk(FIXTURES):
        relative_folder = os.path.relpath(folder, FIXTURES)
        if relative_folder.split(os.sep)[0] in ("tools", "expected", "evidence"):
            directories[:] = []
            continue
        for name in files:
            if name.endswith(".json") or name.endswith(".tfstate"):
                found.append(os.path.normpath(os.path.join(relative_folder, name)).replace(os.sep, "/"))
    return sorted(found)


def phase_of(relative):
    folder, name = relative.split("/", 1) if "/" in relative else ("", relative)
    if folder in PHASES:
        return folder
    for extension in EXTENSIONS:
        if name.endswith(extension):
            stem = name[: -len(extension)]
            phase = stem.rsplit(".", 1)[-1]
            if phase in PHASES:
                return phase
    raise ValueError(f"{relative}: no phase in its folder or name")


def expected_path(relative):
    return os.path.join(FIXTURES, "expected", relative.replace("/", "__") + ".findings")


def findings(binary, relative):
    # Run outside the package so that no ./migcheck.json policy applies: the built-in one does.
    with tempfile.TemporaryDirectory() as directory:
        result = subprocess.run([binary, "--phase", phase_of(relative), "--format", "json", "--fail-on", "never",
                                 os.path.join(FIXTURES, relative)], cwd=directory, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"migcheck failed on {relative}: {result.stderr.strip()}")
    report = json.loads(result.stdout)
    lines = []
    for document in report["documents"]:
        for finding in document["findings"]:
            lines.append(f"{finding['ruleId']} {finding['severity']} {finding['kind']} {finding.get('address') or '-'}")
    return sorted(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="rewrite expected/ from migcheck's findings")
    parser.add_argument("--migcheck", default=os.path.join(PACKAGE, ".build", "debug", "migcheck"))
    args = parser.parse_args()
    paths = fixture_paths()
    wanted = {expected_path(p) for p in paths}
    status = 0
    for relative in paths:
        lines = findings(args.migcheck, relative)
        text = "".join(line + "\n" for line in lines)
        target = expected_path(relative)
        try:
            with open(target, encoding="utf-8") as handle:
                current = handle.read()
        except FileNotFoundError:
            current = None
        if current == text:
            continue
        if args.write:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
            print(f"wrote {os.path.relpath(target, PACKAGE)}: review these lines")
            for line in lines:
                print(f"    {line}")
            continue
        status = 1
        print(f"{relative} ({phase_of(relative)}): findings differ from {os.path.relpath(target, PACKAGE)}")
        old = set((current or "").splitlines())
        for line in lines:
            if line not in old:
                print(f"  + {line}")
        for line in sorted(old - set(lines)):
            print(f"  - {line}")
    expected_dir = os.path.join(FIXTURES, "expected")
    for name in sorted(os.listdir(expected_dir)) if os.path.isdir(expected_dir) else []:
        path = os.path.join(expected_dir, name)
        if path not in wanted:
            status = 1
            print(f"{os.path.relpath(path, PACKAGE)} belongs to no fixture")
    return 0 if args.write else status


if __name__ == "__main__":
    sys.exit(main())
