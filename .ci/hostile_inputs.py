#!/usr/bin/env python3
"""A bounded hostile-input pass over migcheck, from the shipped fixtures, with a fixed seed.

    .ci/hostile_inputs.py MIGCHECK [--plans N] [--policies N] [--seed S] [--keep DIR]

Mutates the plans and states under Fixtures/ (byte-level damage, and JSON-aware changes that
plant sensitive canaries and hostile strings: newlines, `::error::`, control and bidi
characters) and the policy in Policies/, writes Terraform source trees of hostile fragments
for --source-dir (strings, templates, heredocs and comments left open, inline suppressions of
every malformed kind), and runs migcheck on each with the JSON, SARIF and
JUnit reports written to files and a text, GitHub or Markdown report on standard output. It
also tries output paths that name an input. A run fails the pass when:

  * it exits with anything other than 0, 1 or 2, or dies by a signal, or runs over 10 s;
  * it exits 2 without an error line, or with an error line that has no FILE:LINE:COL;
  * it exits 0 or 1 and a report is missing, does not parse, or disagrees with the exit;
  * any output (standard output, standard error, every report) holds a planted canary;
  * a line of any output starts with `::` other than the GitHub format's own annotations,
    or holds a raw bidirectional control character;
  * an input file changed.

Prints one line per failure (the mutated input is kept under --keep) and a closing
'N passed, N failed' line; exits 1 when any run failed.
"""
import argparse
import glob
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree

CANARY_PREFIX = "CANARY-7f3a9c-"
HOSTILE = [
    "x\n::error::pwned",
    "x\r\n::warning file=a::pwned",
    "\u202eevil\u202c",
    "a\u2066b\u2069c",
    "bell\u0007esc\u001b[31mred",
    "line\u2028sep\u2029para",
    "nul-free \u0085 next-line",
    "::add-mask::x",
    "%0A::error::encoded",
    "<script>&amp;\"'",
]
BIDI = set(chr(c) for c in list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A)))
ERROR_WITH_POSITION = re.compile(r":\d+:\d+: error: ")
GITHUB_COMMAND = re.compile(r"^::(error|warning|notice|debug)( [^:]*)?::")
RUN_LIMIT_SECONDS = 10


def fixture_documents(root):
    files = sorted(glob.glob(os.path.join(root, "Fixtures", "**", "*.json"), recursive=True))
    files += sorted(glob.glob(os.path.join(root, "Fixtures", "**", "*.tfstate"), recursive=True))
    return [f for f in files if "/tools/" not in f and "/evidence/" not in f]  # evidence: AWS CLI output


# ---------------------------------------------------------------- byte-level mutations

def mutate_bytes(data, rng):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        choice = rng.randrange(8)
        at = rng.randrange(len(data))
        if choice == 0:
            data[at] ^= 1 << rng.randrange(8)
        elif choice == 1:
            del data[at:at + rng.randint(1, 64)]
        elif choice == 2:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif choice == 3:
            del data[at:]
        elif choice == 4:
            end = min(len(data), at + rng.randint(1, 256))
            data[at:at] = data[at:end]
        elif choice == 5:
            data[at:at] = rng.choice([b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\\u0000", b"\xc0\x80", b"\xed\xa0\x80"])
        elif choice == 6:
            data[at:at] = rng.choice([b"{", b"}", b"[", b"]", b",", b":", b"\"", b"-0e", b"1e999999"])
        else:
            data[at:at] = json.dumps(rng.choice(HOSTILE)).encode()[1:-1]
    return bytes(data)


# ---------------------------------------------------------------- JSON-aware mutations

def string_leaves(value, path=()):
    """Every (path, string) leaf of a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from string_leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from string_leaves(item, path + (index,))
    elif isinstance(value, str):
        yield path, value


def set_at(value, path, new):
    for step in path[:-1]:
        value = value[step]
    value[path[-1]] = new


def plant_canary(values, marks_list, canary, rng):
    """Puts `canary` into one top-level attribute of `values` (into one of its string leaves
    when it is a block or list) and marks that whole attribute sensitive in each mark object
    of `marks_list` (dicts in Terraform's `*_sensitive` / `sensitive_values` shape). Returns
    the attribute name, or None when there is nowhere to plant it."""
    if not isinstance(values, dict) or not values:
        return None
    names = sorted(values)
    name = rng.choice(names)
    current = values[name]
    leaves = list(string_leaves(current))
    if isinstance(current, (dict, list)) and leaves:
        path, old = rng.choice(leaves)
        set_at(current, path, canary)
    else:
        values[name] = canary
    for marks in marks_list:
        if isinstance(marks, dict):
            marks[name] = True
    return name


def resource_values_by_address(document):
    """planned_values / prior_state / values resources by address, for a plan or show-json state."""
    found = {}

    def walk(module):
        if not isinstance(module, dict):
            return
        for resource in module.get("resources") or []:
            if isinstance(resource, dict) and isinstance(resource.get("address"), str):
                found.setdefault(resource["address"], []).append(resource)
        for child in module.get("child_modules") or []:
            walk(child)

    for section in ("planned_values", "values"):
        walk((document.get(section) or {}).get("root_module"))
    walk(((document.get("prior_state") or {}).get("values") or {}).get("root_module"))
    return found


def mutate_plan_structure(document, canary, rng):
    """Plants the canary in a sensitive attribute and hostile strings in names and values."""
    changes = document.get("resource_changes")
    by_address = resource_values_by_address(document)
    planted = False
    if isinstance(changes, list) and changes:
        change = rng.choice(changes)
        body = change.get("change") if isinstance(change, dict) else None
        if isinstance(body, dict) and isinstance(body.get("after"), dict):
            after_marks = body.get("after_sensitive")
            if not isinstance(after_marks, dict):
                after_marks = {}
                body["after_sensitive"] = after_marks
            # Which sections carry the mark: Terraform writes both; a hostile or buggy writer
            # may leave one out, and either mark must count (issue 9, item 10).
            mark_after = rng.random() < 0.7
            name = plant_canary(body["after"], [after_marks] if mark_after else [], canary, rng)
            if name is not None:
                for resource in by_address.get(change.get("address"), []):
                    values = resource.get("values")
                    if isinstance(values, dict) and name in values:
                        marks = resource.get("sensitive_values")
                        if not isinstance(marks, dict):
                            marks = {}
                            resource["sensitive_values"] = marks
                        values[name] = body["after"][name]
                        marks[name] = True
                        mark_after = True
                if not mark_after:
                    after_marks[name] = True
                planted = True
    elif by_address:  # a show-json state
        resources = rng.choice(list(by_address.values()))
        resource = resources[0]
        values = resource.get("values")
        marks = resource.get("sensitive_values")
        if not isinstance(marks, dict):
            marks = {}
            resource["sensitive_values"] = marks
        planted = plant_canary(values, [marks], canary, rng) is not None
    outputs = document.get("output_changes")
    if isinstance(outputs, dict) and outputs and rng.random() < 0.3:
        name = rng.choice(sorted(outputs))
        output = outputs[name]
        if isinstance(output, dict):
            output["after"] = canary
            output["after_sensitive"] = True
            planted = True
    hostile_strings(document, rng)
    return planted


def hostile_strings(document, rng):
    """Replaces a few names, keys and values with strings that try to speak to a CI log."""
    changes = document.get("resource_changes")
    if isinstance(changes, list) and changes and rng.random() < 0.5:
        change = rng.choice(changes)
        if isinstance(change, dict) and isinstance(change.get("address"), str):
            hostile = rng.choice(HOSTILE)
            key = json.dumps(hostile)
            old = change["address"]
            change["address"] = old + "[" + key + "]" if "[" not in old else old.split("[")[0] + "[" + key + "]"
            change["index"] = hostile
            for resource in resource_values_by_address(document).get(old, []):
                resource["address"] = change["address"]
                resource["index"] = hostile
    leaves = [leaf for leaf in string_leaves(document) if leaf[0] and leaf[0][-1] not in ("format_version", "terraform_version")]
    for _ in range(rng.randint(0, 3)):
        if leaves:
            path, _ = rng.choice(leaves)
            set_at(document, path, rng.choice(HOSTILE))


def mutate_raw_state(document, canary, rng):
    resources = document.get("resources")
    if not isinstance(resources, list) or not resources:
        return False
    resource = rng.choice(resources)
    instances = resource.get("instances") if isinstance(resource, dict) else None
    if not isinstance(instances, list) or not instances:
        return False
    instance = rng.choice(instances)
    attributes = instance.get("attributes") if isinstance(instance, dict) else None
    if not isinstance(attributes, dict) or not attributes:
        return False
    name = plant_canary(attributes, [], canary, rng)
    if name is None:
        return False
    paths = instance.get("sensitive_attributes")
    if not isinstance(paths, list):
        paths = []
        instance["sensitive_attributes"] = paths
    paths.append([{"type": "get_attr", "value": name}])
    if rng.random() < 0.5 and isinstance(resource.get("name"), str):
        resource["name"] = resource["name"] + rng.choice(HOSTILE)
    return True


def structural_mutation(data, canary, rng):
    """(bytes, planted) or None when the fixture is not JSON the mutator understands."""
    try:
        document = json.loads(data)
    except ValueError:
        return None
    if not isinstance(document, dict):
        return None
    if "resources" in document and "version" in document:
        planted = mutate_raw_state(document, canary, rng)
    else:
        planted = mutate_plan_structure(document, canary, rng)
    return json.dumps(document, ensure_ascii=rng.random() < 0.5).encode("utf-8"), planted


# ---------------------------------------------------------------- policies

def mutate_policy(text, rng):
    try:
        policy = json.loads(text)
    except ValueError:
        return mutate_bytes(text.encode(), rng)
    if rng.random() < 0.25:
        return mutate_bytes(text.encode(), rng)
    for _ in range(rng.randint(1, 3)):
        choice = rng.randrange(9)
        rules = policy.get("rules", {})
        if choice == 0:
            rules.setdefault("MIG006", {}).setdefault("parameters", {})["minimumRotationDays"] = rng.choice(
                [-5, 0, 10.5, "400", None, 1e308, 2 ** 70, [], 1])
        elif choice == 1:
            policy.pop(rng.choice(list(policy) or ["policyVersion"]), None)
        elif choice == 2:
            policy[rng.choice(["source", "target", "phase"])] = rng.choice(
                HOSTILE + ["aws_rds_cluster.legacy", "cutover", "aws_rds_cluster.main_db", 7])
        elif choice == 3:
            policy.setdefault("suppressions", []).append({
                "rule": rng.choice(["MIG001", "MIG007", "MIG999", rng.choice(HOSTILE)]),
                "address": rng.choice(["aws_rds_cluster.main_db", "aws_rds_cluster.*", rng.choice(HOSTILE)]),
                "reason": rng.choice(HOSTILE + ["", "agreed"]),
                "expires": rng.choice(["2020-01-01", "2999-12-31", "31/12/2999", rng.choice(HOSTILE)]),
            })
        elif choice == 4:
            policy.setdefault("assertions", []).append({
                "id": rng.choice(["ORG001", rng.choice(HOSTILE)]),
                "resourceType": rng.choice(["aws_rds_cluster", rng.choice(HOSTILE)]),
                "attribute": rng.choice(["", "rotation_rules.0", "engine_version", rng.choice(HOSTILE)]),
                rng.choice(["equals", "notEquals", "oneOf", "atLeast", "atMost", "matches"]):
                    rng.choice([[], "x", 3, rng.choice(HOSTILE)]),
                "message": rng.choice(HOSTILE),
            })
        elif choice == 5:
            name = rng.choice(sorted(rules) or ["MIG001"])
            rules.setdefault(name, {})["severity"] = rng.choice(["error", "warning", "note", "fatal", rng.choice(HOSTILE)])
        elif choice == 6:
            policy[rng.choice(HOSTILE)] = 1
        elif choice == 7:
            policy["policyVersion"] = rng.choice([0, 2, "1", 1.5, None])
        else:
            policy["unverifiedSeverity"] = rng.choice(["error", "never", rng.choice(HOSTILE)])
    return json.dumps(policy, ensure_ascii=rng.random() < 0.5).encode("utf-8")


# ---------------------------------------------------------------- Terraform sources

TF_FRAGMENTS = [
    'resource "aws_rds_cluster" "core" {\n', 'resource "aws_rds_cluster" "aurora_cluster" {\n', '}\n', '{', '}',
    'module "dms_migration" {\n  source = "./modules/dms"\n', 'module "evil" {\n  source = "../../../etc"\n}\n',
    '  name = "${var.prefix}-{db}"\n', '  x = "%{ if true }}{%{ endif }"\n', '  policy = <<EOF\n{ "a": "}" }\nEOF\n',
    '  policy = <<-EOT\n    {\n    EOT\n', '  doc = <<EOF\nnever closed {\n', '  s = "unterminated {\n',
    '# resource "aws_rds_cluster" "fake" {\n', '// }}}\n', '/* resource "x" "y" { */\n', '/* never closed\n',
    '# migcheck:ignore MIG005 reason="agreed" expires=2999-12-31\n', '# migcheck:ignore MIG005 reason="x" expires=2020-01-01\n',
    '# migcheck:ignore MIG005\n', '# migcheck:ignore MIG999 reason="x\n::error::y" expires=2999-01-01\n',
    '// migcheck:ignore MIG004 reason="\u202eevil" expires=2999-12-31\n', '\r\n', '\ufeff', 'é漢🚀', '\x00', '"',
]


def hostile_sources(directory, rng):
    """A Terraform root (with a module) of fragments that try every corner of the HCL lexer."""
    os.makedirs(os.path.join(directory, "modules", "dms"), exist_ok=True)
    for name in ("main.tf", "other.tf", os.path.join("modules", "dms", "main.tf")):
        text = "".join(rng.choice(TF_FRAGMENTS) + rng.choice(HOSTILE if rng.random() < 0.1 else [""])
                       for _ in range(rng.randint(1, 40)))
        with open(os.path.join(directory, name), "w", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write(text)
    if rng.random() < 0.5:
        with open(os.path.join(directory, "extra.tf.json"), "wb") as handle:
            handle.write(mutate_bytes(b'{"resource": {"aws_rds_cluster": {"core": {"engine": "aurora-postgresql"}}}}', rng))


# ---------------------------------------------------------------- one run and its checks

class Run:
    def __init__(self, workdir, name):
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir)
        self.inputs = []
        self.canaries = []
        self.arguments = []
        self.problems = []

    def add_input(self, filename, data):
        path = os.path.join(self.dir, filename)
        with open(path, "wb") as handle:
            handle.write(data)
        self.inputs.append(path)
        return path

    def digests(self):
        result = {}
        for path in self.inputs:
            with open(path, "rb") as handle:
                result[path] = hashlib.sha256(handle.read()).hexdigest()
        return result


def check_text(label, text, run, github=False):
    for canary in run.canaries:
        if canary in text:
            run.problems.append(f"{label} holds the sensitive canary")
    for number, line in enumerate(text.split("\n"), 1):
        bare = line.rstrip("\r")
        if bare.startswith("::") and not (github and GITHUB_COMMAND.match(bare)):
            run.problems.append(f"{label} line {number} starts with '::': {bare[:60]!r}")
            break
        if any(ch in BIDI for ch in line):
            run.problems.append(f"{label} line {number} holds a raw bidirectional control")
            break
        if "\r" in line:
            run.problems.append(f"{label} line {number} holds a raw carriage return")
            break


def execute(migcheck, run, stdout_format, expect_refusal=False):
    reports = {fmt: os.path.join(run.dir, f"report.{fmt}") for fmt in ("json", "sarif", "junit")}
    arguments = [migcheck, "--format", stdout_format]
    if not expect_refusal:
        for fmt, path in reports.items():
            arguments += ["--output", f"{fmt}={path}"]
    arguments += run.arguments
    before = run.digests()
    started = time.monotonic()
    try:
        completed = subprocess.run(arguments, cwd=run.dir, stdin=subprocess.DEVNULL, capture_output=True,
                                   timeout=RUN_LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        run.problems.append(f"ran over {RUN_LIMIT_SECONDS} s")
        return
    elapsed = time.monotonic() - started
    status = completed.returncode
    stdout = completed.stdout.decode("utf-8", "replace")
    stderr = completed.stderr.decode("utf-8", "replace")
    if status < 0:
        run.problems.append(f"killed by signal {-status}")
    elif status not in (0, 1, 2):
        run.problems.append(f"exit {status}")
    if run.digests() != before:
        run.problems.append("an input file changed")
    check_text("stdout", stdout, run, github=stdout_format == "github")
    check_text("stderr", stderr, run)
    error_lines = [line for line in stderr.splitlines() if "error:" in line]
    if expect_refusal and status != 2:
        run.problems.append(f"an output naming an input was not refused (exit {status})")
    if status == 2:
        if not error_lines:
            run.problems.append("exit 2 without an error line")
        for line in error_lines:
            if not ERROR_WITH_POSITION.search(line) and not (expect_refusal and line.startswith("migcheck: error: ")):
                run.problems.append(f"exit-2 line without LINE:COL: {line[:120]!r}")
        if len(error_lines) > len(run.inputs) and not expect_refusal:
            run.problems.append(f"{len(error_lines)} error lines for {len(run.inputs)} inputs")
    if status in (0, 1) and not expect_refusal:
        for fmt, path in reports.items():
            if not os.path.exists(path):
                run.problems.append(f"exit {status} but no {fmt} report")
                continue
            with open(path, "rb") as handle:
                raw = handle.read()
            text = raw.decode("utf-8", "replace")
            check_text(f"{fmt} report", text, run)
            try:
                if fmt == "junit":
                    ElementTree.fromstring(raw)
                else:
                    parsed = json.loads(raw)
                    if fmt == "json":
                        want = "fail" if status == 1 else "pass"
                        if parsed.get("result") != want:
                            run.problems.append(f"exit {status} but the JSON report says {parsed.get('result')!r}")
                    elif parsed.get("version") != "2.1.0":
                        run.problems.append("SARIF report without version 2.1.0")
            except (ValueError, ElementTree.ParseError) as error:
                run.problems.append(f"{fmt} report does not parse: {error}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("migcheck")
    parser.add_argument("--plans", type=int, default=2000)
    parser.add_argument("--policies", type=int, default=300)
    parser.add_argument("--output-paths", type=int, default=60)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--keep", default=".build/ci-hostile")
    args = parser.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    migcheck = os.path.abspath(args.migcheck)
    rng = random.Random(args.seed)
    fixtures = fixture_documents(root)
    if not fixtures:
        print("error: no fixtures under Fixtures/", file=sys.stderr)
        return 1
    contents = {path: open(path, "rb").read() for path in fixtures}
    policy_text = open(os.path.join(root, "Policies", "migcheck.json"), encoding="utf-8").read()
    shutil.rmtree(args.keep, ignore_errors=True)
    os.makedirs(args.keep)
    workdir = tempfile.mkdtemp(prefix="migcheck-hostile-")
    passed = failed = canaries = 0
    slowest = 0.0
    formats = ["text", "github", "markdown", "json", "sarif", "junit"]

    def finish(run, kind):
        nonlocal passed, failed
        if run.problems:
            failed += 1
            kept = os.path.join(args.keep, os.path.basename(run.dir))
            shutil.copytree(run.dir, kept)
            print(f"FAIL {kind} {os.path.basename(run.dir)}: {'; '.join(sorted(set(run.problems)))} "
                  f"(kept in {kept}: {' '.join(run.arguments)})")
        else:
            passed += 1
            shutil.rmtree(run.dir, ignore_errors=True)

    try:
        for number in range(args.plans):
            source = rng.choice(fixtures)
            run = Run(workdir, f"plan-{number:05d}")
            extension = ".tfstate" if source.endswith(".tfstate") else ".json"
            mutated = None
            if rng.random() < 0.55:
                canary = f"{CANARY_PREFIX}{number:05d}"
                mutated = structural_mutation(contents[source], canary, rng)
                if mutated is not None and mutated[1]:
                    run.canaries.append(canary)
                    canaries += 1
            data = mutated[0] if mutated is not None else mutate_bytes(contents[source], rng)
            path = run.add_input("input" + extension, data)
            run.arguments = [os.path.basename(path)]
            phase = re.search(r"\.(prepare|full-load|cutover|cleanup)\.", source)
            if phase and rng.random() < 0.7:
                run.arguments = ["--phase", phase.group(1)] + run.arguments
            elapsed = execute(migcheck, run, rng.choice(formats)) or 0
            slowest = max(slowest, elapsed)
            finish(run, "plan")

        for number in range(args.policies):
            source = rng.choice(fixtures)
            run = Run(workdir, f"policy-{number:05d}")
            plan = run.add_input("plan" + (".tfstate" if source.endswith(".tfstate") else ".json"), contents[source])
            policy = run.add_input("policy.json", mutate_policy(policy_text, rng))
            run.arguments = ["--policy", os.path.basename(policy), os.path.basename(plan)]
            elapsed = execute(migcheck, run, rng.choice(formats)) or 0
            slowest = max(slowest, elapsed)
            finish(run, "policy")

        # Hostile Terraform sources under --source-dir (the HCL lexer, inline suppressions).
        for number in range(args.sources):
            source = rng.choice(fixtures)
            run = Run(workdir, f"sources-{number:05d}")
            plan = run.add_input("plan" + (".tfstate" if source.endswith(".tfstate") else ".json"), contents[source])
            hostile_sources(os.path.join(run.dir, "infra"), rng)
            run.arguments = ["--source-dir", "infra", os.path.basename(plan)]
            elapsed = execute(migcheck, run, rng.choice(formats)) or 0
            slowest = max(slowest, elapsed)
            finish(run, "sources")

        # Output paths that name an input, in every spelling: each must be refused (exit 2)
        # before anything is written, and the input must stay as it was.
        for number in range(args.output_paths):
            source = rng.choice(fixtures)
            run = Run(workdir, f"output-{number:05d}")
            plan = run.add_input("plan.json", contents[source])
            policy = run.add_input("migcheck.json", policy_text.encode())
            os.symlink("plan.json", os.path.join(run.dir, "link.json"))
            os.link(plan, os.path.join(run.dir, "hard.json"))
            second = run.add_input("second.json", contents[rng.choice(fixtures)])
            target = rng.choice(["plan.json", "./plan.json", plan, "link.json", "hard.json", "second.json",
                                 "migcheck.json", "sub/../plan.json"])
            os.makedirs(os.path.join(run.dir, "sub"), exist_ok=True)
            run.arguments = ["--output", f"{rng.choice(['json', 'sarif', 'junit', 'text'])}={target}",
                             "plan.json", "second.json"]
            execute(migcheck, run, rng.choice(formats), expect_refusal=True)
            finish(run, "output")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"hostile inputs: {args.plans} mutated plans and states ({canaries} with a planted sensitive canary), "
          f"{args.policies} mutated policies, {args.sources} hostile Terraform source trees, "
          f"{args.output_paths} outputs naming an input; seed {args.seed}; "
          f"slowest run {slowest:.2f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
