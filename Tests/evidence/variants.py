#!/usr/bin/env python3
"""The evidence scenarios moto cannot produce, edited from the recorded ones.

    python3 variants.py EVIDENCE_DIR

Each scenario starts as a copy of the recorded cutover-gate (cleanup-gate where BASES says)
and changes only what the list in Fixtures/evidence/README.md says (that list and EDITS below
are the same list):
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


def fresh_snapshot(files, identifier, created):
    """A second manual snapshot of the source, a copy of the recorded one taken at `created` (ISO, as RDS answers)."""
    listed = files["describe-db-cluster-snapshots.json"]["DBClusterSnapshots"]
    snapshot = copy.deepcopy(listed[0])
    snapshot["DBClusterSnapshotIdentifier"] = identifier
    snapshot["DBClusterSnapshotArn"] = snapshot["DBClusterSnapshotArn"].rsplit(":", 1)[0] + ":" + identifier
    snapshot["SnapshotCreateTime"] = created
    listed.append(snapshot)
    return snapshot


def next_rotations(files, days=400):
    """NextRotationDate as Secrets Manager answers it for rate(N days) (moto leaves it out)."""
    for name in ("describe-secret.json", "describe-secret.source.json"):
        secret = files[name]
        secret["NextRotationDate"] = secret["LastRotatedDate"] + days * 86400


def checked(files):
    ready(files)
    # After the full load finished (09:39Z), before the switchover: the runbook's step 6.
    fresh_snapshot(files, "app-production-aurora-before-cutover", "2026-11-20T09:45:00.000000Z")
    next_rotations(files)


def snapshot_not_ready(files):
    checked(files)
    listed = files["describe-db-cluster-snapshots.json"]["DBClusterSnapshots"]
    listed[1]["Status"] = "creating"
    listed[1]["PercentProgress"] = 40
    automated = fresh_snapshot(files, "rds:app-production-aurora-2026-11-20-09-50", "2026-11-20T09:50:00.000000Z")
    automated["SnapshotType"] = "automated"


def secret_rotated(files):
    checked(files)
    target = files["describe-secret.json"]
    # Rotated 10 minutes after the full load finished, on a 4-day schedule: during the migration.
    target["LastRotatedDate"] = stats(files)["ReplicationTaskStats"]["FullLoadFinishDate"] + 600
    target["NextRotationDate"] = target["LastRotatedDate"] + 4 * 86400
    target["RotationRules"] = {"ScheduleExpression": "rate(4 days)"}


def drifted(files):
    checked(files)
    target = files["describe-db-clusters.target.json"]["DBClusters"][0]
    target["EngineVersion"] = "16.6"
    target["DBClusterMembers"] = [member for member in target["DBClusterMembers"] if member["IsClusterWriter"]]
    target["DBClusterMembers"][0]["PromotionTier"] = 0
    instances = files["describe-db-instances.json"]["DBInstances"]
    files["describe-db-instances.json"]["DBInstances"] = [i for i in instances if i["DBInstanceIdentifier"] != "app-production-core-primary-2"]
    for instance in files["describe-db-instances.json"]["DBInstances"]:
        if instance["DBInstanceIdentifier"] == "app-production-core-primary-1":
            instance["PromotionTier"] = 0
            instance["EngineVersion"] = "16.6"


def members_degraded(files):
    """From cutover-checked: the target's reader mid-upgrade (16.6 while its cluster runs 16.4), the source's reader failing on its parameters."""
    checked(files)
    for instance in files["describe-db-instances.json"]["DBInstances"]:
        if instance["DBInstanceIdentifier"] == "app-production-core-primary-2":
            instance["EngineVersion"] = "16.6"
            instance["DBInstanceStatus"] = "upgrading"
        elif instance["DBInstanceIdentifier"] == "app-production-aurora-2":
            instance["DBInstanceStatus"] = "incompatible-parameters"


def cleanup_ready(files):
    """From cleanup-gate: origin applied, the source unprotected, a snapshot after the task stopped (09:21Z)."""
    files["describe-db-clusters.json"]["DBClusters"][0]["DeletionProtection"] = False
    for parameter in files["describe-db-cluster-parameters.target.json"]["Parameters"]:
        if parameter["ParameterName"] == "session_replication_role":
            parameter["ParameterValue"] = "origin"
    fresh_snapshot(files, "app-production-aurora-before-cleanup", "2026-11-20T09:30:00.000000Z")
    next_rotations(files)


EDITS = {"cutover-ready": ready, "pending-reboot": pending_reboot, "errored-tables": errored_tables, "failed-task": failed_task,
         "cutover-checked": checked, "snapshot-not-ready": snapshot_not_ready, "secret-rotated": secret_rotated, "drifted": drifted,
         "members-degraded": members_degraded, "cleanup-ready": cleanup_ready}
# The recorded scenario each edit starts from (cutover-gate unless named).
BASES = {"cleanup-ready": "cleanup-gate"}


def main(directory):
    bases = {}
    for recorded in set(BASES.values()) | {"cutover-gate"}:
        bases[recorded] = {}
        for name in sorted(os.listdir(os.path.join(directory, recorded))):
            if name.endswith(".json"):
                with open(os.path.join(directory, recorded, name), encoding="utf-8") as handle:
                    bases[recorded][name] = json.load(handle)
    for scenario, edit in EDITS.items():
        target = os.path.join(directory, scenario)
        shutil.rmtree(target, ignore_errors=True)
        os.makedirs(target)
        files = copy.deepcopy(bases[BASES.get(scenario, "cutover-gate")])
        edit(files)
        for name, document in files.items():
            path = os.path.join(target, name)
            with open(path + ".tmp", "w", encoding="utf-8") as handle:
                handle.write(json.dumps(document, indent=4, ensure_ascii=False) + "\n")
            os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main(sys.argv[1])
