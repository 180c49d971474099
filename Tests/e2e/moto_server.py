#!/usr/bin/env python3
"""A local AWS for the end-to-end run: moto's ThreadedMotoServer on 127.0.0.1.

    python3 moto_server.py [--port-file FILE] [--port N] [--parent-pid PID] [--no-patches] [--readiness]

Starts moto (``moto[server]``, pinned to 5.2.5 by Tests/e2e/run.sh) on 127.0.0.1, on a
free port unless --port is given, prints ``moto: listening on http://127.0.0.1:PORT``,
and writes PORT to --port-file once the server accepts connections (written to a
temporary file and renamed, so a reader never sees half a number). It stops, and takes
the server down with it, when

- it gets SIGTERM, SIGINT or SIGHUP ("told"),
- its standard input reaches end of file when it is a pipe (the caller closes it or dies),
- its parent process dies (Linux: PR_SET_PDEATHSIG; everywhere: the parent, or the
  --parent-pid process, is polled twice a second),

and in every case through ``finally``, so no server is left running.

Where moto 5.2.5 falls short of the real AWS API for what the example configuration
(examples/aurora-dms-migration, hashicorp/aws 5.100.0, aws-sdk-go-v2) calls, this
launcher patches moto in-process, in the open, before the server starts. Each patch
was checked against moto 5.2.5's source (moto/dms/models.py, moto/dms/responses.py):

1. DMS timestamps (CreateReplicationInstance, DescribeReplicationInstances,
   ModifyReplicationInstance, DeleteReplicationInstance, and every ReplicationTask
   answer: CreateReplicationTask, DescribeReplicationTasks, Start/Stop/
   DeleteReplicationTask). DMS speaks the awsJson1_1 protocol, whose timestamps are
   epoch seconds (JSON numbers); moto's FakeReplicationInstance.to_dict answers
   ``InstanceCreateTime`` and FakeReplicationTask.to_dict answers
   ``ReplicationTaskCreationDate``, ``ReplicationTaskStartDate`` and the
   ReplicationTaskStats dates as ``datetime.isoformat()`` strings. The SDK refuses
   them ("expected TStamp to be a JSON Number, got string instead") and the provider
   reports the create as failed although moto created the resource. Patched: those
   keys are answered as epoch seconds.
2. The replication instance's ``ReplicationSubnetGroup`` (CreateReplicationInstance,
   DescribeReplicationInstances). moto answers it only when the request named a
   subnet group (without one: no ``ReplicationSubnetGroup``, on which the provider's read
   was reported to panic; not reproduced here, as the example names a group), and then as
   a made-up group (``vpc-12345``, ``subnet-12345``, the instance's description). Patched: the instance answers the subnet group moto actually holds
   (identifier, description, VPC and subnets), or the account's ``default`` group shape
   when none was named.
3. The replication subnet group itself (CreateReplicationSubnetGroup,
   DescribeReplicationSubnetGroups). moto drops ``SubnetIds`` on create and answers
   ``vpc-12345``/``subnet-12345`` for every group, so the provider reads back
   ``subnet_ids`` that differ from the configuration and the next plan wants an update
   (ModifyReplicationSubnetGroup, which moto does not implement). Patched: the group
   keeps its subnet ids and answers them, with their VPC and availability zones from
   moto's EC2 backend.
4. The replication task's status (CreateReplicationTask, then
   DescribeReplicationTasks). moto creates a task in ``creating`` and nothing ever moves
   it on: FakeReplicationTask is not a ManagedState model, so moto's state manager
   (``moto_api``) cannot advance it, and its ``ready()`` is never called. The provider
   waits for ``ready`` after the create and times out. Patched: a task that is
   ``creating`` is ``ready`` the next time it is described, as in AWS once the task's
   table mappings are validated.
5. The default cluster parameter group (CreateDBCluster without
   DBClusterParameterGroupName, then DescribeDBClusters). moto's DBCluster answers
   ``default.aurora8.0`` (an Aurora MySQL group) for every engine but Neptune; AWS
   answers ``default.aurora-postgresql16`` for Aurora PostgreSQL 16. Harmless to the
   apply, but migcheck's MIG003 note then says the source moves from
   "default.aurora8.0". Patched: ``default.aurora-postgresql<major version>``.
6. ScalingConfigurationInfo of a provisioned cluster (DescribeDBClusters). moto's
   DBCluster.scaling_configuration_info answers the block, with every value empty, for
   every cluster; AWS answers it only for Aurora Serverless v1. The provider then reads
   a ``scaling_configuration`` block into the state, and the next plan updates the
   cluster in place to the block's defaults (auto_pause, min/max capacity, ...), a
   change no real plan would show. Patched: no ScalingConfigurationInfo unless the
   cluster is serverless or was given one.
7. Rotation schedules (RotateSecret, then DescribeSecret). moto's rotate_secret keeps
   only ``RotationRules.AutomaticallyAfterDays`` and turns RotationEnabled on only for
   it; a ``ScheduleExpression`` (``rate(400 days)``, ``cron(...)``) and ``Duration`` are
   dropped, so the provider reads back empty ``rotation_rules`` and every later plan
   updates both rotations again (and the post-apply state would not show the schedule
   migcheck judges). Patched: the rules are kept and answered as given, rotation enabled.
8. Cancelling a managed rotation (CancelRotateSecret, called when an
   aws_secretsmanager_secret_rotation is destroyed: the source's, in the cleanup).
   moto's cancel_rotate_secret refuses every secret without a rotation Lambda
   ("You tried to enable rotation on a secret that doesn't already have a Lambda function
   ARN configured"), but an RDS-managed master secret rotates without a Lambda (managed
   rotation, set by RotateSecret with RotationRules alone, which moto accepts), so the
   cleanup's apply stopped there, after DMS but before the source. Patched: a secret
   without a Lambda whose rotation is managed (owned by a service, or given rules) has
   its rotation turned off. Not verified against the real AWS (no account here): whether
   AWS accepts CancelRotateSecret on an RDS-managed secret is the one open question of
   this list; the runbook's cleanup depends on it.
9. DMS tags (AddTagsToResource, RemoveTagsFromResource, and the tags of
   CreateReplicationSubnetGroup). moto 5.2.5 does not implement AddTagsToResource or
   RemoveTagsFromResource (NotImplementedError, HTTP 500, which the SDK retries until the
   provider's timeout: the apply hangs), and tags a replication subnet group under its
   identifier while ListTagsForResource is asked for its ARN, so the provider's
   ``default_tags`` never show up on it and every plan updates its tags. Patched: both
   actions implemented on moto's own tagging service; the subnet group's tags stored
   under ``arn:aws:dms:REGION:ACCOUNT:subgrp:ID``, the ARN the provider builds.

10. The writer of a new cluster (CreateDBInstance of two instances of one cluster at the
   same time, then DescribeDBClusters). moto makes whichever instance arrives first the
   writer, and Terraform creates both at once, so the writer (and with it the drift the
   runbook's failover shows, and the fixtures taken from the run) changed from run to run.
   AWS too makes the first instance it creates the writer. Patched: until the cluster's
   first failover (FailoverDBCluster) the writer is the member first by promotion tier and
   identifier, as if the instances had been created in order; after it, moto's own.

With --readiness (Tests/e2e/run.sh passes it; Tests/evidence/record.sh does not, so the
recorded Fixtures/evidence keep moto's own answers and their documented edits), three more,
for the AWS CLI calls of `migcheck collect` that the readiness gates (`migcheck ready`, MIG015
and MIG017) judge, states of a real migration moto 5.2.5 does not simulate:

11. The full load (StartReplicationTask, then DescribeReplicationTasks). moto answers
   ``FullLoadFinishDate`` only once a task is stopped (its stop date), so a running task
   never finished its full load, and ``TablesLoaded`` 1 whatever the task selects. In the
   emulator there is no data to load: the emulated source holds the tables of
   ``EMULATED_TABLES`` (no rows), and the full load of those the task's selection rules
   include finishes as the task starts. Patched: a started task answers
   ``FullLoadFinishDate`` = its start date, ``TablesLoaded`` = the tables it selects,
   ``FullLoadProgressPercent`` 100, also after it is stopped.
12. DescribeTableStatistics (`aws dms describe-table-statistics --replication-task-arn`,
   collected before the cutover gate). moto 5.2.5 does not implement it: NotImplementedError,
   HTTP 500, which awscli prints as an error (the readiness gate then has no table to judge).
   Patched: the tables of point 11 a started task selects, each ``Table completed`` with
   zero rows and ``ValidationState`` ``Not enabled`` (the example's task does not validate);
   a task never started answers no tables; an unknown task ResourceNotFoundFault.
13. NextRotationDate of a ``rate(N days)`` schedule (RotateSecret with
   ``RotationRules.ScheduleExpression``, then DescribeSecret). moto computes
   ``NextRotationDate`` only for ``AutomaticallyAfterDays``; for the example's
   ``rate(400 days)`` it answers none, and MIG017 cannot see when the secret rotates next.
   Patched: the rotation's time (moto's ``LastRotatedDate``, else now) + N days, as Secrets
   Manager answers a rate schedule. ``cron(...)`` schedules (the cleanup deploy's) are left
   without one.

Not patched, as AWS behaves the same: StopReplicationTask on a task that is not running
answers InvalidResourceStateFault, so the run stops the task (runbook step) while it runs.

Everything else the example uses (VPC, subnets, security groups, RDS clusters and
instances, cluster parameter groups, managed master secrets, secret rotation, IAM,
SSM, ECS, DMS endpoints) is moto as it is.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import signal
import stat
import sys
import threading
from datetime import datetime, timezone
from typing import Any


def _epoch(value: datetime | None) -> float | None:
    if value is None:
        return None
    if value.tzinfo is None:  # moto's utcnow() is naive UTC
        value = value.replace(tzinfo=timezone.utc)
    return value.timestamp()


def patch_moto() -> list[str]:
    """Applies the workarounds listed in the module docstring; returns their names."""
    from moto.dms import models as dms
    from moto.ec2.models import ec2_backends
    from moto.utilities.utils import get_partition

    applied = []

    # 1. Timestamps as epoch seconds.
    instance_to_dict = dms.FakeReplicationInstance.to_dict

    def replication_instance_to_dict(self: Any) -> dict[str, Any]:
        answer = instance_to_dict(self)
        answer["InstanceCreateTime"] = _epoch(self.creation_date)
        answer["ReplicationSubnetGroup"] = _instance_subnet_group(self)  # 2.
        return answer

    dms.FakeReplicationInstance.to_dict = replication_instance_to_dict

    task_to_dict = dms.FakeReplicationTask.to_dict

    def replication_task_to_dict(self: Any) -> dict[str, Any]:
        answer = task_to_dict(self)
        answer["ReplicationTaskCreationDate"] = _epoch(self.creation_date)
        answer["ReplicationTaskStartDate"] = _epoch(self.start_date)
        stats = answer.get("ReplicationTaskStats") or {}
        for key in ("FreshStartDate", "StartDate", "FullLoadStartDate"):
            if key in stats:
                stats[key] = _epoch(self.start_date)
        for key in ("StopDate", "FullLoadFinishDate"):
            if key in stats:
                stats[key] = _epoch(self.stop_date)
        return {k: v for k, v in answer.items() if v is not None}

    dms.FakeReplicationTask.to_dict = replication_task_to_dict
    applied.append("dms-timestamps-epoch")

    # 2. and 3. Subnet groups as they were created.
    def _subnet_group_dict(group: Any, account_id: str, region: str) -> dict[str, Any]:
        ec2 = ec2_backends[account_id][region]
        subnets, vpc_id = [], None
        for subnet_id in getattr(group, "subnetIds", None) or []:
            try:
                subnet = ec2.get_subnet(subnet_id)
            except Exception:  # a subnet moto does not know: answer its id alone
                subnets.append({"SubnetIdentifier": subnet_id, "SubnetStatus": "Active"})
                continue
            vpc_id = vpc_id or subnet.vpc_id
            subnets.append({"SubnetIdentifier": subnet_id,
                            "SubnetAvailabilityZone": {"Name": subnet.availability_zone},
                            "SubnetStatus": "Active"})
        answer = {
            "ReplicationSubnetGroupIdentifier": group.replication_subnet_group_identifier,
            "ReplicationSubnetGroupDescription": group.description,
            "SubnetGroupStatus": "Complete",
            "Subnets": subnets,
            "SupportedNetworkTypes": ["IPV4"],
        }
        if vpc_id:
            answer["VpcId"] = vpc_id
        return answer

    create_group = dms.DatabaseMigrationServiceBackend.create_replication_subnet_group

    def create_replication_subnet_group(self: Any, replication_subnet_group_identifier: str,
                                        replication_subnet_group_description: str,
                                        subnet_ids: list[str], tags: Any = None) -> Any:
        group = create_group(self, replication_subnet_group_identifier,
                             replication_subnet_group_description, subnet_ids, None)
        if tags:  # by ARN, as ListTagsForResource asks for them (moto: by identifier)
            self.tagger.tag_resource(
                f"arn:{get_partition(self.region_name)}:dms:{self.region_name}:{self.account_id}"
                f":subgrp:{replication_subnet_group_identifier}", tags)
        group.subnetIds = list(subnet_ids or [])
        group._moto_e2e_where = (self.account_id, self.region_name)
        return group

    dms.DatabaseMigrationServiceBackend.create_replication_subnet_group = create_replication_subnet_group

    def subnet_group_to_dict(self: Any) -> dict[str, Any]:
        account_id, region = self._moto_e2e_where
        return _subnet_group_dict(self, account_id, region)

    dms.FakeReplicationSubnetGroup.to_dict = subnet_group_to_dict

    def _instance_subnet_group(instance: Any) -> dict[str, Any]:
        account_id = instance.arn.split(":")[4]
        region = instance.region
        backend = dms.dms_backends[account_id][region]
        name = instance.replication_subnet_group_identifier or "default"
        group = backend.replication_subnet_groups.get(name)
        if group is not None:
            return subnet_group_to_dict(group)
        return {"ReplicationSubnetGroupIdentifier": name,
                "ReplicationSubnetGroupDescription": name,
                "SubnetGroupStatus": "Complete", "Subnets": [],
                "SupportedNetworkTypes": ["IPV4"]}

    applied.append("dms-subnet-groups-as-created")

    # 4. creating -> ready when described.
    describe_tasks = dms.DatabaseMigrationServiceBackend.describe_replication_tasks

    def describe_replication_tasks(self: Any, filters: Any, max_records: int) -> Any:
        tasks = describe_tasks(self, filters, max_records)
        for task in tasks:
            if task.status == "creating":
                task.ready()
        return tasks

    dms.DatabaseMigrationServiceBackend.describe_replication_tasks = describe_replication_tasks
    applied.append("dms-task-ready-after-create")

    # 5. The default cluster parameter group of an Aurora PostgreSQL cluster.
    from moto.rds import models as rds

    cluster_init = rds.DBCluster.__init__

    def db_cluster_init(self: Any, *args: Any, **kwargs: Any) -> None:
        cluster_init(self, *args, **kwargs)
        if not kwargs.get("db_cluster_parameter_group_name") and self.engine == "aurora-postgresql":
            major = self.engine_version.split(".")[0]
            self.parameter_group = f"default.aurora-postgresql{major}"

    rds.DBCluster.__init__ = db_cluster_init
    applied.append("rds-aurora-postgresql-default-parameter-group")

    # 6. No ScalingConfigurationInfo on a provisioned cluster.
    scaling_info = rds.DBCluster.scaling_configuration_info

    def scaling_configuration_info(self: Any) -> Any:
        if self.engine_mode != "serverless" and not self.scaling_configuration:
            return None
        return scaling_info.fget(self)

    rds.DBCluster.scaling_configuration_info = property(scaling_configuration_info)
    applied.append("rds-no-scaling-configuration-when-provisioned")

    # 10. The writer of a cluster whose instances were created at the same time.
    cluster_failover = rds.DBCluster.failover
    designate = rds.DBCluster.designate_writer

    def failover(self: Any, target_instance: Any) -> None:
        self.e2e_failed_over = True
        cluster_failover(self, target_instance)

    def designate_writer(self: Any) -> None:
        members = self._members
        if not members or getattr(self, "e2e_failed_over", False):
            designate(self)
            return
        first = min(members, key=lambda m: (m.promotion_tier or 0, m.db_instance_identifier))
        for member in members:
            member.is_cluster_writer = member is first

    rds.DBCluster.failover = failover
    rds.DBCluster.designate_writer = designate_writer
    applied.append("rds-writer-first-by-tier-and-identifier")

    # 7. Secret rotation schedules (ScheduleExpression, Duration).
    from moto.secretsmanager import models as sm

    rotate = sm.SecretsManagerBackend.rotate_secret

    def rotate_secret(self: Any, secret_id: str, client_request_token: str | None = None,
                      rotation_lambda_arn: str | None = None,
                      rotation_rules: dict[str, Any] | None = None,
                      rotate_immediately: bool = True) -> str:
        answer = rotate(self, secret_id, client_request_token, rotation_lambda_arn,
                        rotation_rules, rotate_immediately)
        if rotation_rules:
            secret = self.secrets[secret_id]
            secret._e2e_rotation_rules = dict(rotation_rules)
            secret.rotation_enabled = True
        return answer

    sm.SecretsManagerBackend.rotate_secret = rotate_secret

    secret_to_dict = sm.FakeSecret.to_dict

    def fake_secret_to_dict(self: Any) -> dict[str, Any]:
        answer = secret_to_dict(self)
        rules = getattr(self, "_e2e_rotation_rules", None)
        if rules and "RotationRules" in answer:
            answer["RotationRules"] = {k: v for k, v in rules.items()
                                       if k in ("AutomaticallyAfterDays", "Duration", "ScheduleExpression")}
            answer["RotationEnabled"] = self.rotation_enabled
        return answer

    sm.FakeSecret.to_dict = fake_secret_to_dict
    applied.append("secretsmanager-rotation-schedule-expression")

    # 8. CancelRotateSecret on a managed secret's managed rotation (no Lambda).
    cancel = sm.SecretsManagerBackend.cancel_rotate_secret

    def cancel_rotate_secret(self: Any, secret_id: str) -> str:
        if self._is_valid_identifier(secret_id):
            secret = self.secrets[secret_id]
            if not isinstance(secret, sm.ReplicaSecret) and not secret.is_deleted() \
                    and not secret.rotation_lambda_arn \
                    and (secret.owning_service or getattr(secret, "_e2e_rotation_rules", None)):
                secret.rotation_enabled = False
                return secret.to_short_dict()
        return cancel(self, secret_id)

    sm.SecretsManagerBackend.cancel_rotate_secret = cancel_rotate_secret
    applied.append("secretsmanager-cancel-managed-rotation")

    # 9. DMS tags: AddTagsToResource, RemoveTagsFromResource; subnet groups tagged by ARN.
    from moto.dms import responses as dms_responses

    def add_tags_to_resource(self: Any) -> str:
        params = json.loads(self.body)
        self.dms_backend.tagger.tag_resource(params["ResourceArn"], params.get("Tags", []))
        return "{}"

    def remove_tags_from_resource(self: Any) -> str:
        params = json.loads(self.body)
        self.dms_backend.tagger.untag_resource_using_names(params["ResourceArn"], params.get("TagKeys", []))
        return "{}"

    dms_responses.DatabaseMigrationServiceResponse.add_tags_to_resource = add_tags_to_resource
    dms_responses.DatabaseMigrationServiceResponse.remove_tags_from_resource = remove_tags_from_resource
    applied.append("dms-add-remove-tags")
    return applied


# The tables of the emulated source database (point 11): the two Fixtures/evidence names.
EMULATED_TABLES = [("public", "users"), ("public", "orders")]


def _like(pattern: str, value: str) -> bool:
    """A DMS object-locator name: ``%`` matches any run of characters, ``_`` one."""
    import re
    return re.fullmatch("".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern),
                        value) is not None


def _selected_tables(task: Any) -> list[tuple[str, str]]:
    try:
        rules = json.loads(task.table_mappings or "{}").get("rules", [])
    except ValueError:
        return []
    def matching(action: str, schema: str, table: str) -> bool:
        return any(rule.get("rule-type") == "selection" and rule.get("rule-action") == action
                   and _like((rule.get("object-locator") or {}).get("schema-name", ""), schema)
                   and _like((rule.get("object-locator") or {}).get("table-name", ""), table) for rule in rules)
    return [(schema, table) for schema, table in EMULATED_TABLES
            if matching("include", schema, table) and not matching("exclude", schema, table)]


def patch_moto_readiness() -> list[str]:
    """Workarounds 11-13 of the module docstring (--readiness); after patch_moto."""
    from moto.core.exceptions import JsonRESTError
    from moto.dms import models as dms
    from moto.dms import responses as dms_responses
    from moto.secretsmanager import models as sm

    applied = []

    # 11. The full load finishes as the task starts; TablesLoaded = the tables selected.
    task_to_dict = dms.FakeReplicationTask.to_dict

    def replication_task_to_dict(self: Any) -> dict[str, Any]:
        answer = task_to_dict(self)
        stats = answer.get("ReplicationTaskStats")
        if stats is not None and self.start_date is not None:
            stats["FullLoadProgressPercent"] = 100
            stats["FullLoadFinishDate"] = _epoch(self.start_date)
            stats["TablesLoaded"] = len(_selected_tables(self))
        if stats is not None:
            answer["ReplicationTaskStats"] = {k: v for k, v in stats.items() if v is not None}
        return answer

    dms.FakeReplicationTask.to_dict = replication_task_to_dict
    applied.append("dms-full-load-done-at-start")

    # 12. DescribeTableStatistics.
    def describe_table_statistics(self: Any) -> str:
        params = json.loads(self.body or "{}")
        arn = params.get("ReplicationTaskArn", "")
        task = self.dms_backend.replication_tasks.get(arn)
        if task is None:
            raise JsonRESTError("ResourceNotFoundFault", f"Replication task {arn} not found")
        tables = []
        if task.start_date is not None:
            when = _epoch(task.start_date)
            for schema, table in _selected_tables(task):
                tables.append({
                    "SchemaName": schema, "TableName": table, "Inserts": 0, "Deletes": 0, "Updates": 0, "Ddls": 0,
                    "AppliedInserts": 0, "AppliedDeletes": 0, "AppliedUpdates": 0, "AppliedDdls": 0,
                    "FullLoadRows": 0, "FullLoadCondtnlChkFailedRows": 0, "FullLoadErrorRows": 0,
                    "FullLoadStartTime": when, "FullLoadEndTime": when, "FullLoadReloaded": False,
                    "LastUpdateTime": when, "TableState": "Table completed",
                    "ValidationPendingRecords": 0, "ValidationFailedRecords": 0,
                    "ValidationSuspendedRecords": 0, "ValidationState": "Not enabled"})
        return json.dumps({"ReplicationTaskArn": arn, "TableStatistics": tables})

    dms_responses.DatabaseMigrationServiceResponse.describe_table_statistics = describe_table_statistics
    applied.append("dms-describe-table-statistics")

    # 13. NextRotationDate of rate(N days).
    rotate = sm.SecretsManagerBackend.rotate_secret

    def rotate_secret(self: Any, secret_id: str, client_request_token: str | None = None,
                      rotation_lambda_arn: str | None = None,
                      rotation_rules: dict[str, Any] | None = None,
                      rotate_immediately: bool = True) -> str:
        import re
        import time
        answer = rotate(self, secret_id, client_request_token, rotation_lambda_arn,
                        rotation_rules, rotate_immediately)
        rate = re.fullmatch(r"rate\((\d+) days?\)", (rotation_rules or {}).get("ScheduleExpression", "").strip())
        if rate:
            secret = self.secrets[secret_id]
            secret.next_rotation_date = int(secret.last_rotation_date or time.time()) + int(rate.group(1)) * 86400
        return answer

    sm.SecretsManagerBackend.rotate_secret = rotate_secret
    applied.append("secretsmanager-next-rotation-of-rate")
    return applied


def _stdin_is_pipe() -> bool:
    try:
        return stat.S_ISFIFO(os.fstat(0).st_mode)
    except OSError:
        return False


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_PDEATHSIG = 1
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except OSError:
            pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--port-file", help="write the port here once the server is up")
    parser.add_argument("--parent-pid", type=int,
                        help="stop when this process ends (default: the parent process)")
    parser.add_argument("--no-patches", action="store_true",
                        help="run moto as it is (to see the gaps the patches cover)")
    parser.add_argument("--readiness", action="store_true",
                        help="also the states the readiness gates judge (workarounds 11-13)")
    args = parser.parse_args()

    parent = args.parent_pid or os.getppid()
    original_ppid = os.getppid()
    _die_with_parent()
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, on_signal)

    if not args.no_patches:
        applied = patch_moto()
        if args.readiness:
            applied += patch_moto_readiness()
        print("moto: patched " + ", ".join(applied), flush=True)

    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    import moto

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=args.port, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        if args.port_file:
            tmp = f"{args.port_file}.tmp{os.getpid()}"
            with open(tmp, "w") as handle:
                handle.write(f"{port}\n")
            os.replace(tmp, args.port_file)
        print(f"moto {moto.__version__}: listening on http://{host}:{port}", flush=True)

        if _stdin_is_pipe():
            def watch_stdin() -> None:
                try:
                    while sys.stdin.buffer.read(4096):
                        pass
                finally:
                    stop.set()
            threading.Thread(target=watch_stdin, daemon=True).start()

        while not stop.wait(0.5):
            if os.getppid() != original_ppid:  # reparented: the parent died
                break
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                break
    finally:
        server.stop()
        if args.port_file:
            try:
                os.unlink(args.port_file)
            except FileNotFoundError:
                pass
        print("moto: stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
