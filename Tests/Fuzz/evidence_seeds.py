#!/usr/bin/env python3
"""Writes the evidence seeds of the fuzz corpus (Tests/Fuzz/corpus/evidence_*) from Fixtures/evidence.

    python3 Tests/Fuzz/evidence_seeds.py      (rewrites them; re-running gives the same bytes)

A seed is an optional plan or state, then each evidence file after a line
`%%evidence%% NAME` (see EvidenceFuzz.swift). libFuzzer reads at most -max_len bytes (4096)
of a seed, so each file is compacted and keeps only the members the evidence reader decodes,
the sensitive ones (the fixtures' canaries, some inside PendingModifiedValues) and one it
ignores (AllocatedStorage); the state is the cutover state's clusters, DMS endpoints and
task, with the attributes the picture needs to tell source from target and the join uses.
"""
import json
import os
import re

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
EVIDENCE = os.path.join(ROOT, "Fixtures", "evidence")
CORPUS = os.path.join(ROOT, "Tests", "Fuzz", "corpus")
MAX_LEN = 4096


def decoded_keys():
    """Every member name the evidence reader's sources spell (decoders, kinds, sensitive keys)."""
    keys = set()
    folder = os.path.join(ROOT, "Sources", "MigCheckReading", "Evidence")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            keys.update(re.findall(r'"([A-Z][A-Za-z]+)"', handle.read()))
    return keys


KEYS = decoded_keys() | {"AllocatedStorage", "PendingModifiedValues"}


def reduce(value):
    if isinstance(value, dict):
        return {key: reduce(item) for key, item in value.items() if key in KEYS}
    if isinstance(value, list):
        return [reduce(item) for item in value]
    return value


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def evidence_files(scenario, reduced=True):
    parts = []
    folder = os.path.join(EVIDENCE, scenario)
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            text = handle.read()
        if name.endswith(".json"):
            document = json.loads(text)
            text = compact(reduce(document) if reduced else document)
        else:
            text = text.splitlines()[0] + "\n"
        parts.append((name, text))
    return parts


STATE_TYPES = {
    "aws_rds_cluster": {"cluster_identifier", "endpoint", "engine", "master_user_secret"},
    "aws_dms_endpoint": {"endpoint_arn", "endpoint_type", "secrets_manager_arn"},
    "aws_dms_replication_task": {"replication_task_arn", "source_endpoint_arn", "target_endpoint_arn"},
}


def small_state():
    with open(os.path.join(ROOT, "Fixtures", "cutover", "state.json"), encoding="utf-8") as handle:
        state = json.load(handle)
    resources = []

    def walk(module):
        for resource in module.get("resources", []):
            keep = STATE_TYPES.get(resource["type"])
            if keep is not None and resource["mode"] == "managed":
                values = {key: value for key, value in resource["values"].items() if key in keep}
                if "master_user_secret" in values:
                    values["master_user_secret"] = [{"secret_arn": item["secret_arn"]} for item in values["master_user_secret"]]
                resources.append({key: resource[key] for key in ("address", "mode", "type", "name") if key in resource}
                                 | {"values": values})
        for child in module.get("child_modules", []):
            walk(child)

    walk(state["values"]["root_module"])
    return compact({"format_version": "1.0", "values": {"root_module": {"resources": resources}}})


def seed(plan, parts):
    return plan + "".join(f"\n%%evidence%% {name}\n{text}" for name, text in parts)


def write(name, text):
    data = text.encode("utf-8")
    if len(data) > MAX_LEN:
        raise SystemExit(f"{name}: {len(data)} bytes, over -max_len {MAX_LEN}")
    with open(os.path.join(CORPUS, name), "wb") as handle:
        handle.write(data)


def main():
    for old in os.listdir(CORPUS):
        if old.startswith("evidence_"):
            os.remove(os.path.join(CORPUS, old))
    state = small_state()
    scenarios = sorted(name for name in os.listdir(EVIDENCE) if os.path.isdir(os.path.join(EVIDENCE, name)))
    for scenario in scenarios:
        parts = evidence_files(scenario)
        # Every file of a scenario exceeds 4096 bytes even reduced: the clusters, task, endpoints and
        # secrets in one seed, the rest in another.
        core = [part for part in parts if re.match(r"describe-(db-clusters|replication-tasks|endpoints|secret)", part[0])]
        rest = [part for part in parts if part not in core]
        write(f"evidence_{scenario}_core", seed("", core))
        write(f"evidence_{scenario}_rest", seed("", rest))
    # Joined to the state: its clusters in one seed, its task, endpoints and secrets in another.
    for scenario in ["cutover-checked", "pending-reboot"]:
        parts = evidence_files(scenario)
        write(f"evidence_joined_{scenario}_clusters", seed(state, [p for p in parts if p[0].startswith("describe-db-clusters.")]))
        write(f"evidence_joined_{scenario}_task", seed(state, [p for p in parts if p[0].startswith(("describe-replication", "describe-secret."))]))
    # Whole files as awscli printed them (compacted), where one fits.
    for scenario, name in [("cutover-ready", "describe-endpoints.json"), ("cutover-checked", "describe-secret.json"),
                           ("cleanup-ready", "describe-replication-tasks.json"), ("errored-tables", "describe-table-statistics.json")]:
        parts = [part for part in evidence_files(scenario, reduced=False) if part[0] == name]
        write(f"evidence_whole_{scenario}_{name}", seed("", parts))
    write("evidence_error_response", seed("", [("describe-secret.json", compact(
        {"Error": {"Code": "AccessDeniedException", "Message": "User: arn:aws:iam::123456789012:user/x is not authorized"}}))]))


if __name__ == "__main__":
    main()
