#!/usr/bin/env python3
"""Validate migcheck's reports of one run and check that they agree with each other.

    .ci/validate_reports.py --sarif migcheck.sarif --junit migcheck.xml --json migcheck.json

- SARIF: valid against the OASIS SARIF 2.1.0 schema (JSON Schema draft-04, `jsonschema`),
  within GitHub code scanning's limits (distinct automationDetails.id per run, <= 25,000
  results per run, descriptions <= 1024 characters, ruleIndex consistent with ruleId,
  partialFingerprints present), and read back with sarif-tools (`pip install sarif-tools`).
- JUnit: valid against Jenkins xUnit's junit-10.xsd and the strict Windy Road JUnit.xsd
  (`xmllint --noout --schema`, from libxml2-utils), and read back with junitparser
  (`pip install junitparser`).
- Both agree with the JSON report (--format json, schemaVersion 1) of the same run: result
  counts by level, kind and suppression; suites, test cases, failures and skips as
  JUnitReport.swift defines them.

Any argument may be repeated; SARIF, JUnit and JSON files are then paired in order.
Exits 0 when everything holds, 1 on any mismatch or invalid file (each reason printed),
2 on bad usage or a missing tool.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import Counter

GITHUB_RESULT_LIMIT = 25000
GITHUB_DESCRIPTION_LIMIT = 1024
GITHUB_RUN_LIMIT = 20
XSDS = ("jenkins-xunit-junit-10.xsd", "windyroad-JUnit.xsd")

problems = []


def problem(message):
    problems.append(message)
    print("error: " + message, file=sys.stderr)


def need(module, package):
    try:
        return __import__(module)
    except ImportError:
        print(f"missing Python package {package}: pip install {package}", file=sys.stderr)
        sys.exit(2)


def utf16_length(text):
    return len(text.encode("utf-16-le")) // 2


# ---------------------------------------------------------------- JSON report

def load_json_report(path):
    with open(path, encoding="utf-8") as handle:
        report = json.load(handle)
    if report.get("schemaVersion") != 1:
        problem(f"{path}: schemaVersion is {report.get('schemaVersion')!r}, this script reads 1")
    return report


def gating_or_error(finding):
    return finding["suppression"] is None and (
        finding["gating"] or (finding["kind"] == "fail" and finding["severity"] == "error"))


def expected_junit(document):
    """Test cases per rule of one document, the way JUnitReport.swift lays them out."""
    suites = {}
    for rule in document["rules"]:
        findings = [f for f in document["findings"] if f["ruleId"] == rule["id"]]
        if rule["status"] == "skipped":
            suites[rule["id"]] = Counter(tests=1, skipped=1)
            continue
        if not findings:
            suites[rule["id"]] = Counter(tests=1)
            continue
        counts = Counter()
        for address in dict.fromkeys(f["address"] for f in findings):
            group = [f for f in findings if f["address"] == address]
            active = [f for f in group if f["suppression"] is None]
            counts["tests"] += 1
            if any(gating_or_error(f) for f in group):
                counts["failures"] += 1
            elif any(f["kind"] == "open" for f in active) or not active:
                counts["skipped"] += 1
        suites[rule["id"]] = counts
    return suites


# ---------------------------------------------------------------- SARIF

def check_sarif(path, schema_path, report):
    jsonschema = need("jsonschema", "jsonschema")
    with open(path, encoding="utf-8") as handle:
        log = json.load(handle)
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    for error in sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))[:20]:
        problem(f"{path}: schema: at {'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message[:300]}")

    runs = log.get("runs", [])
    if len(runs) > GITHUB_RUN_LIMIT:
        problem(f"{path}: {len(runs)} runs; GitHub accepts at most {GITHUB_RUN_LIMIT} per file")
    categories = [run.get("automationDetails", {}).get("id") for run in runs]
    if len(set(categories)) != len(categories):
        problem(f"{path}: runs share an automationDetails.id: {categories}")
    truncated = 0
    for number, run in enumerate(runs):
        driver = run["tool"]["driver"]
        for key in ("name", "semanticVersion", "informationUri", "rules"):
            if key not in driver:
                problem(f"{path}: run {number}: tool.driver has no {key}")
        rules = driver.get("rules", [])
        ids = [rule["id"] for rule in rules]
        for rule in rules:
            for key in ("shortDescription", "fullDescription"):
                text = rule.get(key, {}).get("text", "")
                if not text or utf16_length(text) > GITHUB_DESCRIPTION_LIMIT:
                    problem(f"{path}: rule {rule['id']}: {key} is empty or longer than {GITHUB_DESCRIPTION_LIMIT}")
            for key in ("name", "help", "helpUri", "defaultConfiguration"):
                if key not in rule:
                    problem(f"{path}: rule {rule['id']} has no {key}")
            if not rule.get("properties", {}).get("tags"):
                problem(f"{path}: rule {rule['id']} has no properties.tags")
        results = run.get("results", [])
        if len(results) > GITHUB_RESULT_LIMIT:
            problem(f"{path}: run {number}: {len(results)} results; GitHub accepts {GITHUB_RESULT_LIMIT}")
        for index, result in enumerate(results):
            rule_index = result.get("ruleIndex")
            if rule_index is None or rule_index >= len(ids) or ids[rule_index] != result.get("ruleId"):
                problem(f"{path}: run {number} result {index}: ruleIndex {rule_index} does not name {result.get('ruleId')}")
            fingerprints = result.get("partialFingerprints", {})
            for key in ("primaryLocationLineHash", "migcheck/v1"):
                if key not in fingerprints:
                    problem(f"{path}: run {number} result {index}: no partialFingerprints.{key}")
        for invocation in run.get("invocations", []):
            for note in invocation.get("toolExecutionNotifications", []):
                if note.get("descriptor", {}).get("id") == "migcheck/results-truncated":
                    truncated += 1

    # Read back with sarif-tools and compare with the JSON report.
    need("sarif", "sarif-tools")
    from sarif import loader
    sarif_file = loader.load_sarif_file(path)
    findings = [f for document in report["documents"] for f in document["findings"]]
    if truncated == 0:
        if sarif_file.get_result_count() != len(findings):
            problem(f"{path}: sarif-tools reads {sarif_file.get_result_count()} results, the JSON report has {len(findings)} findings")
        issues = sarif_file.get_report()
        # Unverified (open) results carry level "none" (SARIF 2.1.0 section 3.27.10); failures keep their severity.
        by_level = Counter(f["severity"] if f["kind"] == "fail" else "none" for f in findings)
        for level in ("error", "warning", "note", "none"):
            got = issues.get_issue_count_for_severity(level) if level in issues.get_severities() else 0
            if got != by_level[level]:
                problem(f"{path}: sarif-tools counts {got} {level} results, the JSON report {by_level[level]}")
        results = [r for run in runs for r in run.get("results", [])]
        pairs = [("kind open", sum(r.get("kind") == "open" for r in results), sum(f["kind"] == "open" for f in findings)),
                 ("suppressed", sum(bool(r.get("suppressions")) for r in results), sum(f["suppression"] is not None for f in findings))]
        for label, got, want in pairs:
            if got != want:
                problem(f"{path}: {got} {label} results, the JSON report has {want}")
    if len(runs) != len(report["documents"]):
        problem(f"{path}: {len(runs)} runs, the JSON report has {len(report['documents'])} documents")
    for run, document in zip(runs, report["documents"]):
        if run.get("properties", {}).get("phase") != document["phase"]:
            problem(f"{path}: run phase {run.get('properties', {}).get('phase')} differs from the JSON report's {document['phase']}")
        if not truncated and len(run.get("results", [])) != len(document["findings"]):
            problem(f"{path}: {document['file']}: {len(run.get('results', []))} results, the JSON report has {len(document['findings'])} findings")


# ---------------------------------------------------------------- JUnit

def check_junit(path, schema_dir, report):
    if shutil.which("xmllint") is None:
        print("missing xmllint: apt-get install libxml2-utils", file=sys.stderr)
        sys.exit(2)
    for xsd in XSDS:
        run = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(schema_dir, xsd), path],
                             capture_output=True, text=True)
        if run.returncode != 0:
            problem(f"{path}: not valid against {xsd}:\n{run.stderr.strip()}")

    need("junitparser", "junitparser")
    from junitparser import JUnitXml, Failure, Skipped, Error
    xml = JUnitXml.fromfile(path)
    suites = list(xml)
    want_suites = sum(len(document["rules"]) for document in report["documents"])
    if len(suites) != want_suites:
        problem(f"{path}: {len(suites)} test suites, the JSON report has {want_suites} rules")
    totals = Counter()
    want = Counter()
    for document in report["documents"]:
        for counts in expected_junit(document).values():
            want.update(counts)
    for suite in suites:
        cases = list(suite)
        failures = sum(any(isinstance(r, Failure) for r in case.result) for case in cases)
        skipped = sum(any(isinstance(r, Skipped) for r in case.result) for case in cases)
        errors = sum(any(isinstance(r, Error) for r in case.result) for case in cases)
        for label, attribute, counted in (("tests", suite.tests, len(cases)), ("failures", suite.failures, failures),
                                          ("skipped", suite.skipped, skipped), ("errors", suite.errors, errors)):
            if attribute != counted:
                problem(f"{path}: suite {suite.name!r}: {label}=\"{attribute}\" but {counted} test cases say so")
        suite_ms = round(float(suite.time or 0) * 1000)
        case_ms = sum(round(float(case.time or 0) * 1000) for case in cases)
        if suite_ms != case_ms:
            problem(f"{path}: suite {suite.name!r}: time {suite.time} is not the sum of its test cases ({case_ms / 1000:.3f})")
        totals.update(tests=len(cases), failures=failures, skipped=skipped)
    for key in ("tests", "failures", "skipped"):
        if totals[key] != want[key]:
            problem(f"{path}: {totals[key]} {key}, the JSON report implies {want[key]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sarif", action="append", default=[], help="a SARIF report")
    parser.add_argument("--junit", action="append", default=[], help="a JUnit report")
    parser.add_argument("--json", action="append", default=[], required=True, help="the JSON report of the same run")
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--schemas", default=os.path.normpath(os.path.join(here, "..", "..", "shared", "schemas")),
                        help="directory with sarif-schema-2.1.0.json and the two JUnit XSDs (default: ../shared/schemas)")
    args = parser.parse_args()
    if not args.sarif and not args.junit:
        parser.error("give at least one --sarif or --junit")
    for count, flag in ((len(args.sarif), "--sarif"), (len(args.junit), "--junit")):
        if count and count != len(args.json):
            parser.error(f"{count} {flag} files but {len(args.json)} --json files: pair them in order")
    sarif_schema = os.path.join(args.schemas, "sarif-schema-2.1.0.json")
    for required in [sarif_schema] + [os.path.join(args.schemas, xsd) for xsd in XSDS]:
        if not os.path.exists(required):
            print(f"missing schema {required} (pass --schemas DIR)", file=sys.stderr)
            sys.exit(2)

    reports = [load_json_report(path) for path in args.json]
    for path, report in zip(args.sarif, reports):
        check_sarif(path, sarif_schema, report)
    for path, report in zip(args.junit, reports):
        check_junit(path, args.schemas, report)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}", file=sys.stderr)
        return 1
    checked = ", ".join(f"{len(files)} {kind}" for kind, files in (("SARIF", args.sarif), ("JUnit", args.junit)) if files)
    print(f"ok: {checked} report(s) valid and consistent with {len(reports)} JSON report(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
