#!/usr/bin/env python3
"""Every evidence fixture checked against botocore's service models: no invented field.

    python3 validate_shapes.py [DIR ...]          default: Fixtures/evidence
    python3 validate_shapes.py --sensitive        the sensitive output fields, one path a line

A fixture is DIR/<scenario>/<command>[.<label>].json, <command> one of COMMANDS below. Its
JSON is checked against the output shape of the operation in
botocore/data/<service>/<version>/service-2.json (the newest version botocore ships):
every key must be a member of its structure (awscli prints member names), every value of
the member's type (structure: object, list: array, map: object, string/blob: string, enum:
one of its values, integer/long: integer, boolean: true/false, double/float: number,
timestamp: ISO 8601 with an offset or Z, or epoch seconds: awscli v1 prints a timestamp
as it arrived, so RDS's (query protocol) are ISO strings and DMS's and Secrets Manager's
(JSON protocol) are numbers; awscli v2 prints ISO 8601 with +00:00). <command>.error.txt files (what
the CLI printed when the call failed) are not JSON and are skipped.

Sensitive fields (a member or its shape marked "sensitive": true, e.g. the passwords in DMS
endpoint settings) may appear only holding a canary (a value containing CANARY), so no
fixture carries anything that looks like a real secret, and the tests can look for the
canary in every output. Exits 1 on any violation, listing each as FILE: PATH: problem.
"""
import glob
import gzip
import json
import os
import re
import sys

import botocore

COMMANDS = {
    "describe-db-clusters": ("rds", "DescribeDBClusters"),
    "describe-db-instances": ("rds", "DescribeDBInstances"),
    "describe-db-cluster-parameters": ("rds", "DescribeDBClusterParameters"),
    "describe-db-cluster-snapshots": ("rds", "DescribeDBClusterSnapshots"),
    "describe-replication-tasks": ("dms", "DescribeReplicationTasks"),
    "describe-table-statistics": ("dms", "DescribeTableStatistics"),
    "describe-endpoints": ("dms", "DescribeEndpoints"),
    "describe-secret": ("secretsmanager", "DescribeSecret"),
}
CANARY = "CANARY"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?([+-]\d\d:\d\d|Z)$")
_models = {}


def model(service):
    if service not in _models:
        base = os.path.join(os.path.dirname(botocore.__file__), "data", service)
        files = sorted(glob.glob(os.path.join(base, "*", "service-2.json*")))
        if not files:
            raise SystemExit(f"validate_shapes: botocore {botocore.__version__} has no model for {service}")
        path = files[-1]
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as handle:
            _models[service] = json.load(handle)
    return _models[service]


def output_shape(command):
    service, operation = COMMANDS[command]
    return model(service), model(service)["operations"][operation]["output"]["shape"]


def check(value, shape_name, shapes, path, problems, sensitive=False):
    shape = shapes[shape_name]
    sensitive = sensitive or shape.get("sensitive", False)
    kind = shape["type"]
    if sensitive and not (isinstance(value, str) and CANARY in value):
        problems.append(f"{path}: sensitive ({shape_name}): only a planted canary (containing {CANARY}) may stand here")
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object ({shape_name}), found {type(value).__name__}")
            return
        members = shape.get("members", {})
        for key, item in value.items():
            member = members.get(key)
            if member is None:
                problems.append(f"{path}.{key}: no member {key} in {shape_name}")
                continue
            check(item, member["shape"], shapes, f"{path}.{key}", problems, member.get("sensitive", False))
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: expected an array ({shape_name}), found {type(value).__name__}")
            return
        for index, item in enumerate(value):
            check(item, shape["member"]["shape"], shapes, f"{path}[{index}]", problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object ({shape_name}), found {type(value).__name__}")
            return
        for key, item in value.items():
            check(item, shape["value"]["shape"], shapes, f"{path}{{{key}}}", problems)
    elif kind in ("string", "blob"):
        if not isinstance(value, str):
            problems.append(f"{path}: expected a string ({shape_name}), found {type(value).__name__}")
        elif "enum" in shape and value not in shape["enum"]:
            problems.append(f"{path}: {value!r} is not one of {shape_name}'s values {shape['enum']}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: expected an integer ({shape_name}), found {value!r}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected true or false ({shape_name}), found {value!r}")
    elif kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: expected a number ({shape_name}), found {value!r}")
    elif kind == "timestamp":
        epoch = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        if not epoch and not (isinstance(value, str) and TIMESTAMP.match(value)):
            problems.append(f"{path}: expected an ISO 8601 timestamp with an offset or epoch seconds ({shape_name}), found {value!r}")
    else:
        problems.append(f"{path}: shape type {kind} ({shape_name}) is not handled by this checker")


def command_of(path):
    name = os.path.basename(path)[: -len(".json")]
    return name.split(".")[0]


def validate(path):
    command = command_of(path)
    if command not in COMMANDS:
        return [f"not a recorded command (expected one of {', '.join(sorted(COMMANDS))})"]
    with open(path, encoding="utf-8") as handle:
        try:
            document = json.load(handle)
        except ValueError as error:
            return [f"not JSON: {error}"]
    service_model, shape = output_shape(command)
    problems = []
    check(document, shape, service_model["shapes"], "$", problems)
    return problems


def sensitive_paths():
    for command in sorted(COMMANDS):
        service_model, shape = output_shape(command)
        shapes = service_model["shapes"]

        def walk(name, path, stack):
            if name in stack:
                return
            item = shapes[name]
            if item["type"] == "structure":
                for key, member in item.get("members", {}).items():
                    target = shapes[member["shape"]]
                    if member.get("sensitive") or target.get("sensitive"):
                        yield f"{command} {path}.{key}"
                    yield from walk(member["shape"], f"{path}.{key}", stack | {name})
            elif item["type"] == "list":
                yield from walk(item["member"]["shape"], path + "[]", stack | {name})
            elif item["type"] == "map":
                yield from walk(item["value"]["shape"], path + "{}", stack | {name})

        yield from walk(shape, "$", frozenset())


def main(arguments):
    if arguments[:1] == ["--sensitive"]:
        for line in sensitive_paths():
            print(line)
        return 0
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    directories = arguments or [os.path.join(root, "Fixtures", "evidence")]
    files = sorted(f for d in directories for f in glob.glob(os.path.join(d, "**", "*.json"), recursive=True))
    failures = 0
    for path in files:
        for problem in validate(path):
            failures += 1
            print(f"{os.path.relpath(path)}: {problem}")
    print(f"validate_shapes: {len(files)} files against botocore {botocore.__version__}, {failures} problem(s)")
    return 1 if failures or not files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
