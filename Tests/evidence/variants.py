#!/usr/bin/env python3
"""The evidence scenarios moto cannot produce, edited from the recorded ones.

    python3 variants.py EVIDENCE_DIR

Each scenario starts as a copy of the recorded cutover-gate and changes only what the
list in Fixtures/evidence/README.md says (that list and EDITS below are the same list):
moto 5.2.5 has no DescribeTableStatistics, keeps every member's parameter group status
`in-sync`, never ends a full load while the task runs (FullLoadFinishDate is its stop
date) and never fails a task. Sensitive fields (botocore "sensitive": true) hold canaries
so tests can prove no output ever carries them.
"""
import copy
import json
import os
import shutil
import sys

ENDPOINT_CANARY = "CANARY-evidence-endpoint-password-7f3a"
MASTER_CANARY = "CANARY-evidence-master-password-91c2"


def tables(*states):
    """describe-table-statistics for the public schema, one entry per (table, state, rows)."""
    entries = []
    for name, state, rows in states:
        entries.append({
            "SchemaName": "public", "TableName": name, "Inserts": 0, "Deletes": 0, "Updates": 0, "Ddls": 0,
            "FullLoadRows": rows, "FullLoadCondtnlChkFailedRows": 0, "FullLoadErrorRows": 0 if state != "Table error" else 12,
            # Epoch seconds, as awscli v1 prints DMS's timestamps (2026-11-20T09:15/09:25Z).
            "FullLoadStartTime": 1795166100.25, "FullLoadEndTime": 1795166700.25, "LastUpdateTime": 1795166700.25, "TableState": state, "ValidationPendingRecords": 0,
            "ValidationFailedRecords": 0, "ValidationSuspendedRecords": 0, "ValidationState": "Not enabled",
        })
    return {"TableStatistics": entries, "ReplicationTaskArn": "arn:aws:dms:eu-west-2:123456789012:task:app-production-migration"}


def stats(files):
    return files["describe-replication-tasks.json"]["ReplicationTasks"][0]


def ready(files):
    task = stats(files)
    # 25 minutes after the start: the full load done, replicating changes (epoch, as awscli v1 prints it).
    task["ReplicationTaskStats"]["FullLoadFinishDate"] = task["ReplicationTaskStats"]["FullLoadStartDate"] + 1500
    task["ReplicationTaskStats"]["TablesLoaded"] = 2
    files["describe-table-statistics.json"] = tables(("users", "Table completed", 1200), ("orders", "Table completed", 48000))
    for endpoint in files["describe-endpoints.json"]["Endpoints"]:
        endpoint["PostgreSQLSettings"]["Password"] = ENDPOINT_CANARY


def pending_reboot(files):
    ready(files)
    source = files["describe-db-clusters.json"]["DBClusters"][0]
    source["DBClusterMembers"][1]["DBClusterParameterGroupStatus"] = "pending-reboot"
    source["PendingModifiedValues"] = {"MasterUserPassword": MASTER_CANARY}
    files["describe-db-instances.json"]["DBInstances"][1]["PendingModifiedValues"] = {"MasterUserPassword": MASTER_CANARY}


def errored_tables(files):
    ready(files)
    task = stats(files)
    task["ReplicationTaskStats"]["TablesErrored"] = 1
    task["ReplicationTaskStats"]["TablesLoaded"] = 1
    files["describe-table-statistics.json"] = tables(("users", "Table completed", 1200), ("orders", "Table error", 47988))


def failed_task(files):
    ready(files)
    task = stats(files)
    task["Status"] = "failed"
    task["StopReason"] = "Stop Reason FATAL_ERROR"
    task["LastFailureMessage"] = "Last Error Replication task out of memory. Stop Reason FATAL_ERROR Error Level FATAL"


EDITS = {"cutover-ready": ready, "pending-reboot": pending_reboot, "errored-tables": errored_tables, "failed-task": failed_task}


def main(directory):
    recorded = os.path.join(directory, "cutover-gate")
    base = {}
    for name in sorted(os.listdir(recorded)):
        if name.endswith(".json"):
            with open(os.path.join(recorded, name), encoding="utf-8") as handle:
                base[name] = json.load(handle)
    for scenario, edit in EDITS.items():
        target = os.path.join(directory, scenario)
        shutil.rmtree(target, ignore_errors=True)
        os.makedirs(target)
        files = copy.deepcopy(base)
        edit(files)
        for name, document in files.items():
            path = os.path.join(target, name)
            with open(path + ".tmp", "w", encoding="utf-8") as handle:
                handle.write(json.dumps(document, indent=4, ensure_ascii=False) + "\n")
            os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main(sys.argv[1])
