#!/usr/bin/env python3
"""The hostile-input pass for AWS CLI evidence: `migcheck ready` on damaged evidence.

    python3 Tests/evidence/hostile_evidence.py MIGCHECK [--rounds N] [--seed S]

Each round copies one recorded scenario (Fixtures/evidence), damages one of its files with
.ci/hostile_inputs.py's byte-level mutations or a JSON-aware one (a hostile string, a wrong
type, a removed member), and runs
`migcheck ready --phase cutover --now 2026-11-20T12:00:00Z --evidence DIR` in text and JSON.
Must hold: exit 0, 1 or 2 within 10 s (no crash, no hang); exit 2 is exactly one line on
standard error, `FILE:LINE:COL: error: ...` when it names an evidence file; no planted
sensitive canary on either stream; no raw control or bidi character on standard output.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".ci"))
import hostile_inputs  # noqa: E402  (the plan pass's mutations and hostile strings)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EVIDENCE = os.path.join(ROOT, "Fixtures", "evidence")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_mutation(document, rng):
    leaves = list(hostile_inputs.string_leaves(document))
    choice = rng.randrange(3)
    if choice == 0 and leaves:
        path, _ = rng.choice(leaves)
        hostile_inputs.set_at(document, path, rng.choice(hostile_inputs.HOSTILE))
    elif choice == 1 and leaves:
        path, _ = rng.choice(leaves)
        hostile_inputs.set_at(document, path, rng.choice([7, None, True, [], {}, 1e308, -1]))
    elif choice == 2 and leaves:
        path, _ = rng.choice(leaves)
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict):
            del parent[path[-1]]
    return document


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("migcheck")
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    scenarios = sorted(d for d in os.listdir(EVIDENCE) if os.path.isdir(os.path.join(EVIDENCE, d)))
    problems = 0
    counts = {0: 0, 1: 0, 2: 0}
    with tempfile.TemporaryDirectory() as work:
        for round_number in range(args.rounds):
            scenario = rng.choice(scenarios)
            directory = os.path.join(work, f"r{round_number}")
            shutil.copytree(os.path.join(EVIDENCE, scenario), directory)
            name = rng.choice(sorted(os.listdir(directory)))
            path = os.path.join(directory, name)
            with open(path, "rb") as handle:
                data = handle.read()
            if name.endswith(".json") and rng.random() < 0.5:
                data = (json.dumps(json_mutation(json.loads(data), rng), indent=4, ensure_ascii=rng.random() < 0.5) + "\n").encode()
            else:
                data = hostile_inputs.mutate_bytes(data, rng)
            with open(path, "wb") as handle:
                handle.write(data)
            for fmt in ("text", "json"):
                try:
                    done = subprocess.run([args.migcheck, "ready", "--phase", "cutover", "--now", "2026-11-20T12:00:00Z",
                                           "--format", fmt, "--evidence", directory], capture_output=True, timeout=10)
                except subprocess.TimeoutExpired:
                    print(f"HANG {scenario}/{name} round {round_number}")
                    problems += 1
                    continue
                out, err = done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
                what = []
                if done.returncode not in (0, 1, 2):
                    what.append(f"exit {done.returncode}")
                else:
                    counts[done.returncode] += 1
                if done.returncode == 2:
                    lines = err.split("\n")
                    if len(lines) != 2 or lines[1] != "":
                        what.append("stderr is not one line")
                    elif directory in lines[0] and not re.match(r"^.+:\d+:\d+: error: |^.+: error: ", lines[0]):
                        what.append("no FILE:LINE:COL")
                if "CANARY" in out or "CANARY" in err:
                    what.append("a sensitive canary was printed")
                if CONTROL.search(out.replace("\n", "")):
                    what.append("a raw control character on stdout")
                if what:
                    problems += 1
                    print(f"FAIL {scenario}/{name} round {round_number} ({fmt}): {', '.join(what)}: {err[:200]!r}")
            shutil.rmtree(directory)
    print(f"hostile evidence: {args.rounds} rounds x 2 formats; exit 0: {counts[0]}, 1: {counts[1]}, 2: {counts[2]}; {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
