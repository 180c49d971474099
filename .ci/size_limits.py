#!/usr/bin/env python3
"""Size limits of the Swift sources: no file in Sources/ over 400 lines, no function (func,
init, subscript, closure-bodied accessor excepted) over 80 lines.

    .ci/size_limits.py [ROOT]

Prints every violation and exits 1 when one is not in ALLOWED below, and also when an
allowed exception no longer exceeds its limit (so the list does not outlive its reasons).
A new exception is added here with its reason, in review, never to silence CI.
Sources/migcheck-bench is not measured: the benchmark is leaving for Benchmarks/ (its own package).
"""
import os
import re
import sys

FILE_LIMIT = 400
FUNCTION_LIMIT = 80

# "path" or "path:function name": the reason it may exceed its limit.
ALLOWED = {
    "Sources/MigCheckReading/HCL/HCLLexer.swift:tokens":
        "the HCL lexer's one loop over scalars: a state machine (code, strings, templates, heredocs, "
        "comments) whose states share the loop's locals; split, each state would pass them all",
    "Sources/MigCheckReading/Terraform/TerraformReader.swift:classify":
        "tells plan, state and raw tfstate apart and explains a mismatch with --input: one decision "
        "table over the root's keys; to be split by document kind",
    "Sources/MigCheckReports/TerraformSketch.swift:sketch":
        "one example resource drawn as a Terraform-like block with the changed lines marked: "
        "one pass over its attributes, nested blocks and references, in the order they are drawn",
    "Sources/MigCheckRules/Catalog/MIG006RotationWindow.swift:judge":
        "one rotation judged: schedule, window, enabled state, unknowns, each a finding; "
        "to be split per finding kind",
    "Sources/MigCheckRules/Engine/MigrationExamples.swift:healthy":
        "the reference plan of a phase as one literal (every resource of a migration done "
        "right); data, not logic",
}

DECLARATION = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|private|fileprivate|open|static|class|"
                         r"final|override|mutating|nonmutating|convenience|required|nonisolated)\s+)*"
                         r"(?:func\s+([A-Za-z_][A-Za-z0-9_]*|[^\s(]+)|(init)[?!]?\s*[(<]|(subscript)\s*[(<])")
STRING = re.compile(r'"(?:\\.|[^"\\])*"')


def code_lines(lines):
    """Each line without its comments and string literals (multi-line strings blanked)."""
    out = []
    in_multiline = False
    for line in lines:
        if in_multiline:
            if line.strip().startswith('"""'):
                in_multiline = False
            out.append("")
            continue
        if line.rstrip().endswith('"""') and not line.strip().startswith("//"):
            in_multiline = True
            line = line[: line.rstrip().rindex('"""')]
        line = STRING.sub('""', re.sub(r'#"(.*?)"#', '""', line))
        comment = line.find("//")
        out.append(line[:comment] if comment >= 0 else line)
    return out


def functions(lines):
    """(name, first line number, line count) of every function with a body."""
    code = code_lines(lines)
    found = []
    for number, line in enumerate(code):
        match = DECLARATION.match(line)
        if not match:
            continue
        name = match.group(1) or match.group(2) or match.group(3)
        depth = 0
        opened = False
        for end in range(number, len(code)):
            for character in code[end]:
                if character == "{":
                    depth += 1
                    opened = True
                elif character == "}":
                    depth -= 1
            if opened and depth <= 0:
                found.append((name, number + 1, end - number + 1))
                break
            # A requirement in a protocol: no body before the next declaration.
            if not opened and end > number and DECLARATION.match(code[end]):
                break
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    violations = []
    for directory, _, names in os.walk(os.path.join(root, "Sources")):
        for name in sorted(names):
            if not name.endswith(".swift"):
                continue
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, root)
            if relative.startswith("Sources/migcheck-bench/"):
                continue
            with open(path, encoding="utf-8") as handle:
                lines = handle.read().split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            if len(lines) > FILE_LIMIT:
                violations.append((relative, f"{relative}: {len(lines)} lines (limit {FILE_LIMIT})"))
            for function, start, count in functions(lines):
                if count > FUNCTION_LIMIT:
                    violations.append((f"{relative}:{function}",
                                       f"{relative}:{start}: function {function} has {count} lines (limit {FUNCTION_LIMIT})"))
    failed = False
    seen = set()
    for key, text in sorted(violations):
        seen.add(key)
        if key in ALLOWED:
            print(f"allowed: {text} ({ALLOWED[key]})")
        else:
            print(f"error: {text}")
            failed = True
    for key in sorted(set(ALLOWED) - seen):
        print(f"error: {key} is in the allow-list but within its limit now: remove it from .ci/size_limits.py")
        failed = True
    print(f"size limits: {len(violations)} over, {len([k for k, _ in violations if k not in ALLOWED])} not allowed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
