#!/usr/bin/env python3
"""Compares two `terraform show -json` state documents, values, key sets and key order.

    python3 compare_states.py REAL.json FIXTURE.json      (exit 1 if they differ)
"""
import json
import sys


def diff(path, a, b, out):
    if type(a) != type(b):
        out.append(f"{path}: real={json.dumps(a)[:300]} fixture={json.dumps(b)[:300]}")
    elif isinstance(a, dict):
        if list(a) != list(b):
            out.append(f"{path}: keys real={list(a)} fixture={list(b)}")
        for key in a:
            if key in b:
                diff(f"{path}.{key}", a[key], b[key], out)
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append(f"{path}: length real={len(a)} fixture={len(b)}")
            return
        for index, (x, y) in enumerate(zip(a, b)):
            diff(f"{path}[{index}]", x, y, out)
    elif a != b:
        out.append(f"{path}: real={a!r} fixture={b!r}")


real, fixture = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
problems = []
diff("", real, fixture, problems)
print(len(problems), "differences")
for problem in problems:
    print("-", problem)
sys.exit(1 if problems else 0)
