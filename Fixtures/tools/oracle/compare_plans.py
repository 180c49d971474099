#!/usr/bin/env python3
"""Compares a real plan (`terraform show -json`) with the generator's plan of the same phase.

    python3 compare_plans.py REAL.json GENERATED.json

Prints every difference in values, key sets and key order, except what a plan
made with -refresh=false cannot show or what legitimately differs: the
`resource_drift` section (the real plan has none), provider_config (the real
one carries the offline settings), terraform_version and timestamp. Exits 1 if
anything else differs.
"""
import json
import sys
o = json.load(open(sys.argv[1])); g = json.load(open(sys.argv[2]))
problems = []
def diff(path, a, b, limit=[0]):
    if type(a) != type(b):
        problems.append(f"{path}: type {type(a).__name__} real={json.dumps(a)[:300]} generated={json.dumps(b)[:300]}"); return
    if isinstance(a, dict):
        if list(a.keys()) != list(b.keys()):
            if set(a) != set(b):
                problems.append(f"{path}: keys real-only={sorted(set(a)-set(b))} generated-only={sorted(set(b)-set(a))}")
            else:
                problems.append(f"{path}: key order real={list(a)} generated={list(b)}")
        for k in a:
            if k in b: diff(f"{path}.{k}", a[k], b[k])
    elif isinstance(a, list):
        if len(a) != len(b):
            problems.append(f"{path}: len real={len(a)} generated={len(b)} real={json.dumps(a)[:400]} generated={json.dumps(b)[:400]}"); return
        for i, (x, y) in enumerate(zip(a, b)): diff(f"{path}[{i}]", x, y)
    elif a != b:
        problems.append(f"{path}: real={json.dumps(a)[:300]} generated={json.dumps(b)[:300]}")
if [k for k in o if k != "resource_drift"] != [k for k in g if k != "resource_drift"]:
    problems.append(f"top-level keys: real={list(o)} generated={list(g)}")
for k in ["variables", "output_changes"]:
    diff(k, o.get(k), g.get(k))
def by_addr(lst): return {x["address"]: x for x in lst}
for section in ["resource_changes"]:
    oa, ga = by_addr(o.get(section, [])), by_addr(g.get(section, []))
    if set(oa) != set(ga): problems.append(f"{section}: real-only={sorted(set(oa)-set(ga))} generated-only={sorted(set(ga)-set(oa))}")
    if [x["address"] for x in o.get(section, [])] != [x["address"] for x in g.get(section, [])]: problems.append(f"{section}: order differs")
    for a in oa:
        if a in ga: diff(f"{section}[{a}]", oa[a], ga[a])
def mods(sv):
    out = {}
    if not sv: return out
    rm = sv["root_module"]
    for r in rm.get("resources", []): out[r["address"]] = r
    for c in rm.get("child_modules", []):
        for r in c["resources"]: out[r["address"]] = r
    return out
for section, get in [("planned_values", lambda d: d.get("planned_values")), ("prior_state", lambda d: d.get("prior_state", {}).get("values"))]:
    oa, ga = mods(get(o)), mods(get(g))
    if list(oa) != list(ga) and set(oa) == set(ga):
        problems.append(f"{section}: resource order differs")
    if set(oa) != set(ga): problems.append(f"{section}: real-only={sorted(set(oa)-set(ga))} generated-only={sorted(set(ga)-set(oa))}")
    for a in oa:
        if a in ga: diff(f"{section}[{a}]", oa[a], ga[a])
    diff(f"{section}.outputs", (get(o) or {}).get("outputs"), (get(g) or {}).get("outputs"))
    ok = get(o) or {}; gk = get(g) or {}
    if list(ok.get("root_module", {}).keys()) != list(gk.get("root_module", {}).keys()): problems.append(f"{section} root_module keys {list(ok.get('root_module',{}).keys())} vs {list(gk.get('root_module',{}).keys())}")
oc, gc = o["configuration"]["root_module"], g["configuration"]["root_module"]
diff("configuration.root_module(no resources)", {k: v for k, v in oc.items() if k not in ("resources", "module_calls")}, {k: v for k, v in gc.items() if k not in ("resources", "module_calls")})
diff("configuration.resources", by_addr(oc.get("resources", [])), by_addr(gc.get("resources", [])))
if [r["address"] for r in oc.get("resources", [])] != [r["address"] for r in gc.get("resources", [])]: problems.append("configuration resource order differs")
for name in set(oc.get("module_calls", {})) | set(gc.get("module_calls", {})):
    a, b = oc.get("module_calls", {}).get(name), gc.get("module_calls", {}).get(name)
    if a is None or b is None: problems.append(f"module_call {name} missing in one"); continue
    diff(f"module_calls.{name}(no module)", {k: v for k, v in a.items() if k != "module"}, {k: v for k, v in b.items() if k != "module"})
    diff(f"module_calls.{name}.module(no resources)", {k: v for k, v in a["module"].items() if k != "resources"}, {k: v for k, v in b["module"].items() if k != "resources"})
    diff(f"module_calls.{name}.resources", by_addr(a["module"]["resources"]), by_addr(b["module"]["resources"]))
ro = {json.dumps(x, sort_keys=True) for x in o.get("relevant_attributes", [])}
rg = {json.dumps(x, sort_keys=True) for x in g.get("relevant_attributes", [])}
if ro != rg: problems.append(f"relevant_attributes real-only={sorted(ro-rg)}\n   generated-only={sorted(rg-ro)}")
for k in ["applyable", "complete", "errored"]:
    if o.get(k) != g.get(k): problems.append(f"{k}: {o.get(k)} vs {g.get(k)}")
print(len(problems), "differences")
for p in problems: print("-", p)
sys.exit(1 if problems else 0)
