#!/usr/bin/env python3
"""The fixtures that Terraform itself writes: `terraform show -json` of the plans and states
of the end-to-end run (Tests/e2e/run.sh: examples/aurora-dms-migration applied deploy by
deploy against moto, the AWS provider 5.100.0, Terraform 1.11.4), copied into Fixtures/ with
moto's random identifiers replaced by stable ones.

    python3 Fixtures/tools/e2e_fixtures.py                 run the e2e sequence, write the fixtures
    python3 Fixtures/tools/e2e_fixtures.py --from DIR      take them from a finished run's E2E_WORK
    python3 Fixtures/tools/e2e_fixtures.py --check --from DIR   fail if a committed one differs

Without --from it runs Tests/e2e/run.sh (E2E_UNGUARDED=0) in .build/e2e-fixtures first; .ci/e2e.sh
runs `--check --from` on the run it has just made.

What is replaced (each a pure function of where the value belongs, never of the order moto
handed them out, so that two runs give the same bytes):

- moto's identifiers: EC2 ids (vpc-, subnet-, sg-, sgr-, acl-, rtb-, ...), RDS resource ids
  (cluster-..., db-...), the random part of RDS endpoint host names, secret ARN suffixes and
  every UUID, IAM unique and policy ids (A and 20 more); Terraform's unique-id suffixes (26 digits).
  Each becomes a value of the same shape derived from the first place that owns it: the
  resource instance address and attribute (an `id` or `arn` first) where it appears in a
  state, e.g. vpc-6a802741eca7ddb44 -> vpc-<17 hex of sha256("aws_vpc.main id")>.
- times: every RFC 3339 timestamp (the plan's `timestamp`, IAM `create_date`, ...) becomes
  2026-01-01T00:00:00Z; the raw state's `lineage` is a UUID (above).
- the local moto endpoint: http://127.0.0.1:PORT becomes http://127.0.0.1:4566.
- DMS ARNs' random ids (arn:aws:dms:...:endpoint:ABC...), Route 53 hosted zone ids of RDS
  (14 characters);
- a plan's `relevant_attributes` and `checks`, a raw state's `sensitive_attributes` and
  `check_results`, which Terraform lists in no fixed order: sorted; and the Resource lists
  of the IAM policies held in strings, whose order follows the random ARNs: sorted;
- the data source aws_iam_policy_document's `id` (a hash of its JSON, which held the random
  ARNs) becomes the hash of the replaced JSON (the same function, Terraform's hashcode.String:
  crc32 of the text).
- sets of strings (cty orders them by value) are sorted again after the replacement.

The documents are otherwise Terraform's own bytes: parsed and written back in Go's
encoding/json form (compact, or indented by 2 for terraform.tfstate; <, > and & as \\u003c,
\\u003e, \\u0026); the script checks that this round trip reproduces Terraform's text before
it replaces anything. Nothing sensitive is in them: the example's passwords are RDS-managed
(in Secrets Manager, never in Terraform), and the DMS endpoints log in through those secrets.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_files import write_or_check  # noqa: E402
from tfjson import go_json  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(HERE)
ROOT = os.path.dirname(FIXTURES)

# Fixture path -> the e2e run's file (E2E_WORK relative). Each replaces what the generator
# (generate_fixtures.py) wrote for the same case; the generator skips these paths.
REAL = {
    "prepare/plan.json": "deploys/2-prepare/plan.json",
    "full-load/plan.json": "deploys/3-full-load/plan.json",
    "cutover/plan.json": "deploys/4-cutover/plan.json",
    "cutover/state.json": "deploys/4-cutover/state.json",
    "cleanup/plan.json": "deploys/6-cleanup/plan.json",
    "cleanup/terraform.tfstate": "deploys/6-cleanup/terraform.tfstate",
    # Broken deploys (Tests/e2e/breaks): plans only, never applied; planned with -refresh=false
    # from the refreshed state of their phase's healthy plan, so without resource_drift.
    "rules/MIG001-target-engine-15.prepare.plan.json": "breaks/MIG001-engine-15-family-16.prepare/plan.json",
    "rules/MIG002-origin-while-loading.prepare.plan.json": "breaks/MIG002-origin-while-loading.prepare/plan.json",
    "rules/MIG002-replica-at-cutover.cutover.plan.json": "breaks/MIG002-replica-at-cutover.cutover/plan.json",
    "rules/MIG003-apply-immediate.prepare.plan.json": "breaks/MIG003-apply-immediate.prepare/plan.json",
    "rules/MIG004-writer-tier-0.prepare.plan.json": "breaks/MIG004-writer-tier-0.prepare/plan.json",
    "rules/MIG005-single-target-instance.prepare.plan.json": "breaks/MIG005-single-target-instance.prepare/plan.json",
    "rules/MIG006-rate-30-days.prepare.plan.json": "breaks/MIG006-rate-30-days.prepare/plan.json",
    "rules/MIG008-target-replaced-database-name.full-load.plan.json": "breaks/MIG008-target-replaced.full-load/plan.json",
}

# Every document of the run, in the order of the run: identifiers are named after the first
# state that holds them.
SEQUENCE = ["1-before", "2-prepare", "3-full-load", "4-cutover", "5-cleanup-unprotect", "6-cleanup"]

TOKEN_KINDS = [
    # (kind, pattern); the first group, when there is one, is the random part.
    ("uuid", r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
    ("ec2", r"\b(?:vpc|subnet|sg|sgr|igw|rtb|acl|eni|vpce|nacl)-([0-9a-f]{17})\b"),
    ("rds-resource", r"\b(?:cluster|db)-([A-Z0-9]{26})\b"),
    ("rds-host", r"\.cluster-(?:ro-)?([a-z0-9]{12})\.[a-z0-9-]+\.rds\.amazonaws\.com"),
    ("secret-suffix", r":secret:[^\"\s,:]*?-([A-Za-z0-9]{6})\b(?![-])"),
    ("iam-unique", r"\bA[A-Z0-9]{20}\b"),
    ("unique-id", r"(?<![0-9])(20[0-9]{24})(?![0-9])"),
    ("dms-arn", r"arn:aws:dms:[a-z0-9-]+:[0-9]{12}:[a-z]+:([A-Z0-9]{20,})"),
    ("hosted-zone", r"\A[A-Z0-9]{14}\Z"),
]
TIMESTAMP = re.compile(r"\b20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})")
ENDPOINT = re.compile(r"http://127\.0\.0\.1:[0-9]+")
FIXED_TIME = "2026-01-01T00:00:00Z"
FIXED_ENDPOINT = "http://127.0.0.1:4566"


# ---------------------------------------------------------------- Go's encoding/json (tfjson.go_json)

def read_document(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    indent = 2 if text.startswith("{\n") else None
    value = json.loads(text)
    if go_json(value, indent) + "\n" != text and go_json(value, indent) != text:
        raise SystemExit(f"e2e_fixtures: {path}: not in the form this script writes back "
                         "(Go's encoding/json); refusing to rewrite it")
    return value, indent


# ---------------------------------------------------------------- owners of identifiers

def resources_of(document):
    """(address, attributes) of every resource instance in a show -json state or plan, or a
    raw terraform.tfstate."""
    if "resources" in document and "values" not in document and "planned_values" not in document:
        for resource in document.get("resources") or []:
            module = resource.get("module")
            prefix = "data." if resource.get("mode") == "data" else ""
            base = f"{prefix}{resource['type']}.{resource['name']}"
            if module:
                base = f"{module}.{base}"
            for instance in resource.get("instances") or []:
                key = instance.get("index_key")
                suffix = "" if key is None else (f"[{key}]" if isinstance(key, int) else f'["{key}"]')
                yield base + suffix, instance.get("attributes") or {}
        return
    roots = []
    if "values" in document:
        roots.append(document["values"].get("root_module") or {})
    for key in ("prior_state",):
        if document.get(key):
            roots.append((document[key].get("values") or {}).get("root_module") or {})
    if document.get("planned_values"):
        roots.append(document["planned_values"].get("root_module") or {})

    def walk(module):
        for resource in module.get("resources") or []:
            yield resource["address"], resource.get("values") or {}
        for child in module.get("child_modules") or []:
            yield from walk(child)
    for root in roots:
        yield from walk(root)


def leaves(value, path=""):
    if isinstance(value, dict):
        for key in sorted(value):
            yield from leaves(value[key], f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def rank(path):
    """Which attribute names an identifier best: its own id or arn, then the shortest path."""
    return (0 if path == "id" else 1 if path == "arn" else 2 if "[" not in path else 3, len(path), path)


def tokens_in(text):
    for kind, pattern in TOKEN_KINDS:
        for match in re.finditer(pattern, text):
            yield kind, match.group(1) if match.groups() else match.group(0)


def owners(documents):
    """{(kind, token): owner key}: the best (address, attribute) that holds each token, over
    every state of the run; tokens no state holds get the first (document, JSON path)."""
    best = {}
    for document in documents:
        for address, attributes in resources_of(document):
            for path, text in leaves(attributes):
                for kind, token in tokens_in(text):
                    candidate = (rank(path), address, kind)
                    if (kind, token) not in best or candidate < best[(kind, token)]:
                        best[(kind, token)] = candidate
    for order, document in enumerate(documents):
        for path, text in leaves(document):
            for kind, token in tokens_in(text):
                best.setdefault((kind, token), ((9, 0, f"{order}:{path}"), "", kind))
    return {key: f"{address} {rank_[2]}" for key, (rank_, address, _) in best.items()}


def replacement(kind, token, owner):
    digest = hashlib.sha256(f"{kind} {owner}".encode()).hexdigest()
    if kind == "uuid":
        return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-8{digest[17:20]}-{digest[20:32]}"
    if kind == "ec2":
        return digest[:17]
    if kind == "rds-resource":
        return "".join("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[int(digest[i:i + 2], 16) % 32] for i in range(0, 52, 2))
    if kind == "rds-host":
        return "".join("abcdefghijklmnopqrstuvwxyz0123456789"[int(digest[i:i + 2], 16) % 36] for i in range(0, 24, 2))
    if kind == "secret-suffix":
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(alphabet[int(digest[i:i + 2], 16) % 62] for i in range(0, 12, 2))
    if kind == "iam-unique":
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        return "A" + "".join(alphabet[int(digest[i:i + 2], 16) % 32] for i in range(0, 40, 2))
    if kind in ("dms-arn", "hosted-zone"):
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return "".join(alphabet[int(digest[i:i + 2], 16) % 36] for i in range(0, 2 * len(token), 2))
    if kind == "unique-id":
        return "2026010100000000" + str(int(digest[:12], 16) % 10**10).rjust(10, "0")
    raise ValueError(kind)


class Normaliser:
    def __init__(self, documents):
        self.names = {}
        for (kind, token), owner in owners(documents).items():
            self.names[(kind, token)] = replacement(kind, token, owner)

    def text(self, value: str) -> str:
        for kind, pattern in TOKEN_KINDS:
            def swap(match, kind=kind):
                if not match.groups():
                    return self.names.get((kind, match.group(0)), match.group(0))
                token = match.group(1)
                new = self.names.get((kind, token), token)
                start, end = match.span(1)
                whole = match.group(0)
                return whole[:start - match.start()] + new + whole[end - match.start():]
            value = re.sub(pattern, swap, value)
        value = TIMESTAMP.sub(FIXED_TIME, value)
        return ENDPOINT.sub(FIXED_ENDPOINT, value)

    def value(self, value):
        if isinstance(value, dict):
            out = {self.text(k): self.value(v) for k, v in value.items()}
            for key, inner, name in (("check_results", "objects", "config_addr"), ("checks", "instances", "address")):
                # The results of checks (variable validations), in no fixed order: sorted.
                if isinstance(out.get(key), list):
                    for check in out[key]:
                        if isinstance(check, dict) and isinstance(check.get(inner), list):
                            check[inner].sort(key=lambda item: json.dumps(item, sort_keys=True))
                    out[key].sort(key=lambda item: json.dumps(item.get(name) if isinstance(item, dict) else item, sort_keys=True))
            if isinstance(out.get("sensitive_attributes"), list):
                # terraform.tfstate lists the sensitive paths in no fixed order: sorted.
                out["sensitive_attributes"].sort(key=lambda item: json.dumps(item, sort_keys=True))
            if isinstance(out.get("relevant_attributes"), list):
                # Terraform lists them in no fixed order (from a map): sorted.
                out["relevant_attributes"].sort(key=lambda item: json.dumps(item, sort_keys=True))
            if out.get("json") is not None and isinstance(out.get("minified_json"), str) and isinstance(out.get("id"), str) \
                    and out["id"].isdigit():
                # data.aws_iam_policy_document: id = hashcode.String(json)
                out["id"] = str(zlib.crc32(out["json"].encode()))
            return out
        if isinstance(value, list):
            items = [self.value(v) for v in value]
            if len(value) > 1 and all(isinstance(v, str) for v in value) and value == sorted(value) \
                    and items != value:
                items.sort()  # a set of strings: cty orders it by value
            return items
        if isinstance(value, str):
            return sorted_resources(self.text(value))
        return value


RESOURCE_LIST = re.compile(r'("(?:Not)?Resource"\s*:\s*\[)([^\]]*)(\])')
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def sorted_resources(text: str) -> str:
    """The Resource lists of an IAM policy document held in a string, sorted: their order
    follows the ARNs' values (moto's random ids), so it changed from run to run."""
    def sort(match):
        items = JSON_STRING.findall(match.group(2))
        ordered = iter(sorted(items))
        body = JSON_STRING.sub(lambda _: next(ordered), match.group(2))
        return match.group(1) + body + match.group(3)
    return RESOURCE_LIST.sub(sort, text) if '"Resource' in text or '"NotResource' in text else text


# ---------------------------------------------------------------- main

def run_e2e(work):
    env = dict(os.environ, E2E_WORK=work, E2E_UNGUARDED="0")
    code = subprocess.call(["bash", os.path.join(ROOT, "Tests", "e2e", "run.sh")], env=env)
    if code != 0:
        raise SystemExit(f"e2e_fixtures: Tests/e2e/run.sh failed ({code}); see {work}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="work", help="a finished run's E2E_WORK (default: run it now)")
    parser.add_argument("--check", action="store_true", help="fail if a committed fixture differs")
    args = parser.parse_args()
    work = args.work
    if not work:
        work = os.path.join(ROOT, ".build", "e2e-fixtures")
        run_e2e(work)
    sources = []
    for step in SEQUENCE:
        for name in ("plan.json", "state.json", "terraform.tfstate"):
            path = os.path.join(work, "deploys", step, name)
            if os.path.isfile(path):
                sources.append(path)
    sources += [os.path.join(work, source) for source in REAL.values() if source.startswith("breaks/")]
    wanted = {os.path.join(work, source) for source in REAL.values()}
    missing = sorted(p for p in wanted if not os.path.isfile(p))
    if missing:
        raise SystemExit("e2e_fixtures: the run has no " + ", ".join(missing))
    read = {path: read_document(path) for path in sources}
    normaliser = Normaliser([read[p][0] for p in sources])
    texts = {}
    for fixture, source in REAL.items():
        value, indent = read[os.path.join(work, source)]
        texts[fixture] = go_json(normaliser.value(value), indent) + "\n"
    stale = write_or_check(texts, args.check)
    if stale:
        print("e2e_fixtures: differ from this run (after the replacements above): " + ", ".join(stale)
              + f"\n  compare: python3 Fixtures/tools/e2e_fixtures.py --from {work}; git diff Fixtures/", file=sys.stderr)
        return 1
    if args.check:
        print(f"e2e_fixtures: {len(REAL)} fixtures match the run in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
