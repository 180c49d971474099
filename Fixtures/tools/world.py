"""The modelled AWS account and Terraform configuration, phase by phase.

One environment (`production` of the `mavis` service, account 123456789012,
eu-west-2) goes through the runbook in ../../../shared/runbook.md:

  initial    before the migration: the source cluster and the application
  prepared   after the "prepare" deploy: target cluster, parameter groups,
             rotation, DMS module, schema-prep ECS service
  loading    after the deploy that starts the DMS task (full load + CDC)
  cutover    after the deploy that points the ECS services at the target
  cleaned    after the cleanup deploy

A World is either the state as the last apply stored it (`refreshed=False`)
or what the next plan's refresh finds (`refreshed=True`): between the two,
things happen outside Terraform that the runbook asks for (the failover before
the full load; stopping the DMS task and turning deletion protection off before
the cleanup), and computed attributes catch up with resources created after the
owner was last read (security group rules, cluster members).

The AWS side (identifiers, ARNs, endpoints) is the same in every profile; the
Terraform side (resource names, module name, count / for_each / separate
resources) differs per profile so that nothing can lean on names.

The healthy migration's facts (account, region, clusters and instances with
their identifiers, parameter groups, secrets, DMS, engine version, settings) are
not written here: they come from healthy-migration.json (beside this file), which the
benchmark (Benchmarks/Sources/migcheck-bench) reads too. Every key of that file
must be read here (a key left unread fails the import, see `_unread`).

A World built with `variant` knobs (KNOBS below, turned by breaking.py) is the
same migration with one thing done wrong, consistently in its values and its
configuration at every stage.
"""

import base64
import json
import os
import zlib

from tfjson import OPAQUE, UNKNOWN, const, cty_set_order, fill, json_string, refs

# --------------------------------------------------------------------------
# The shared model of the healthy migration (healthy-migration.json, beside this file)

MODEL_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "healthy-migration.json")


class _Read(dict):
    """A JSON object of the model that remembers which of its keys were read."""

    def __init__(self, pairs):
        super().__init__(pairs)
        if len(self) != len(pairs):
            raise ValueError(f"{MODEL_PATH}: duplicate key in {[k for k, _ in pairs]}")
        self.read = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


def _plain(value):
    """A subtree taken whole (e.g. a JSON document): plain dicts, every key read."""
    if isinstance(value, _Read):
        value.read.update(value)
        return {k: _plain(dict.__getitem__(value, k)) for k in value}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _unread(value, path="model"):
    if isinstance(value, _Read):
        for key in value:
            if key not in value.read:
                yield f"{path}.{key}"
            yield from _unread(dict.__getitem__(value, key), f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unread(item, f"{path}[{index}]")


with open(MODEL_PATH, encoding="utf-8") as _file:
    MODEL = json.load(_file, object_pairs_hook=_Read)

ACCOUNT = MODEL["account"]
REGION = MODEL["region"]
ENV = MODEL["environment"]
PREFIX = f"{MODEL['service']}-{ENV}"
ENGINE = MODEL["engine"]
ENGINE_VERSION = MODEL["engine_version"]
FAMILY = MODEL["parameter_group_family"]
INSTANCE_CLASS = MODEL["instance_class"]
DATABASE_NAME = MODEL["database_name"]
MASTER_USERNAME = MODEL["master_username"]
MIGRATION_ROTATION = MODEL["secret_rotation_while_migrating"]
CANARY = "CANARY-SECRET-7f3a9"
IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/mavis:v3.12.0"
DEFAULT_TAGS = {"Environment": ENV, "ManagedBy": "terraform", "Project": "mavis"}
RDS_SUFFIX = f"{MODEL['rds_endpoint_hash']}.{REGION}.rds.amazonaws.com"

STAGES = ["initial", "prepared", "loading", "cutover", "cleaned"]


def _database(side):
    model = MODEL[side]
    return {
        "id": model["cluster_identifier"],
        "resource_id": model["cluster_resource_id"],
        "parameter_group": model["parameter_group"]["name"],
        "parameters": _plain(model["parameter_group"]["parameters"]),
        "secret_arn": model["managed_secret_arn"],
        "instances": [{"id": i["identifier"], "dbi": i["dbi_resource_id"], "az": i["availability_zone"]}
                      for i in model["instances"]],
    }


# The healthy source keeps its master password in an SSM parameter: its
# `secret_arn` (the secret RDS manages for it) is used only by the
# `source_managed_secret` variant, as SOURCE_SECRET_ARN.
SOURCE = _database("source")
SOURCE_SECRET_ARN = SOURCE.pop("secret_arn")
TARGET = _database("target")
_dms = MODEL["dms"]
DMS = {
    "instance_arn": _dms["replication_instance_arn"],
    "source_arn": _dms["source_endpoint_arn"],
    "target_arn": _dms["target_endpoint_arn"],
    "task_arn": _dms["replication_task_arn"],
}
MIGRATION_TYPE = _dms["migration_type"]
TABLE_MAPPINGS = json_string(_plain(_dms["table_mappings"]))
_left = list(_unread(MODEL))
if _left:
    raise ValueError(f"{MODEL_PATH}: keys world.py does not read: {', '.join(_left)}")

VPC_ID = "vpc-0a4c6c1f9e2b7d381"
SUBNETS = [
    {"id": "subnet-0b1f3e5d7c9a20461", "az": "eu-west-2a", "az_id": "euw2-az2", "cidr": "10.0.10.0/24"},
    {"id": "subnet-0e2d4c6b8a0f13572", "az": "eu-west-2b", "az_id": "euw2-az3", "cidr": "10.0.11.0/24"},
]
SG = {
    "rds": "sg-0c1d2e3f4a5b6c7d8",
    "ecs": "sg-0a9b8c7d6e5f40312",
    "prep": "sg-05e4d3c2b1a098765",
    "dms": "sg-0f1e2d3c4b5a69788",
}
KMS_RDS = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"
KMS_SECRETS = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a"
KMS_DMS = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/3b2a1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d"

ECS_CLUSTER_ARN = f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{PREFIX}"
ROLE_NAME = f"{PREFIX}-ecs-task-execution"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}"
POLICY_NAME = f"{PREFIX}-ecs-secrets-access"
POLICY_ARN = f"arn:aws:iam::{ACCOUNT}:policy/{POLICY_NAME}"
LOG_GROUP = f"/ecs/{PREFIX}"
SSM = {
    "db_password": f"/{PREFIX}/db-password",
    "rails_master_key": f"/{PREFIX}/rails-master-key",
}
TARGET_GROUP_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{PREFIX}-blue/8f2c1d7e4b3a5c60"

# Task definition revisions: registered once before the migration; the cutover
# deploy registers a new revision of each application task definition.
REVISIONS = {"web": (112, 113), "good_job": (98, 99), "prep": (1, 1)}

# Knobs of the breaking variants (../rules/, written by breaking.py) with their
# healthy defaults. Each variant turns one or two of them: the one thing a team
# got wrong, plus at most the setting that makes the mistake possible.
KNOBS = {
    # Target cluster
    "target_engine_version": None,        # e.g. "15.4": pinned instead of following the source
    "target_version_ref_until": "cutover",  # engine_version refers to the source before this stage
    "target_origin_from": "cutover",      # session_replication_role is origin from this stage on
    "target_instance_keys": None,         # for_each keys of the target instances (default: the profile's)
    "target_tiers": None,                 # {instance key: promotion_tier}, through the for_each local
    "target_database_name": None,         # (stage, name): database_name changed from that stage on
    # Target secret rotation
    "rotation_schedule": MIGRATION_ROTATION,  # schedule while migrating
    "rotation_cron_from": "cleaned",      # the normal cron schedule comes back at this stage
    "rotate_immediately": False,
    # Source cluster
    "source_apply_method": next(q["apply_method"] for q in SOURCE["parameters"]
                                if q["name"] == "rds.logical_replication"),  # its apply_method
    "source_protection_kept": False,      # cleanup step 1 (turn deletion protection off) skipped
    "source_final_snapshot": True,        # final_snapshot_identifier configured
    "source_managed_secret": False,       # RDS manages the source's master password (with a 400-day rotation)
    # Consumers
    "policy_grants_target_secret": True,  # the ECS secrets policy gets the target's master secret
    "worker_host_source": False,          # the worker's DB_HOST stays on the source at cutover
    "source_output_until": "cutover",     # root output with the source endpoint removed at this stage
    # DMS
    "target_endpoint_on_source": False,   # copy-paste slip: the target endpoint's server_name is the source's
    "loading_migration_type": MIGRATION_TYPE,  # migration_type set by the deploy that starts the task
    "dms_kept": False,                    # cleanup keeps the DMS module (source host through a variable)
    "dms_until": "cleaned",               # the DMS module is removed from the configuration at this stage
    # Cleanup step 1 done by a deploy instead of by hand: None (by hand, the healthy model),
    # "pending" (deletion protection on and no final_snapshot_identifier in the configuration)
    # or "released" (the deploy turns protection off and sets final_snapshot_identifier).
    "source_release": None,
}


def stage_index(stage):
    return STAGES.index(stage)


def tags_all(tags=None):
    merged = dict(DEFAULT_TAGS)
    merged.update(tags or {})
    return merged


def rds_endpoint(cluster_id, reader=False):
    return f"{cluster_id}.cluster-{'ro-' if reader else ''}{RDS_SUFFIX}"


def ssm_arn(name):
    return f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter{name}"


def task_def_arn(family, revision):
    return f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{family}:{revision}"


def private(timeouts=None, version=0):
    """The `private` blob the AWS provider (SDKv2) stores: timeouts and schema version."""
    meta = {}
    if timeouts:
        meta["e2bfb730-ecaa-11e6-8f88-34363bc7c4c0"] = {k: v * 60_000_000_000 for k, v in timeouts.items()}
    meta["schema_version"] = str(version)
    return base64.b64encode(json.dumps(meta, separators=(",", ":")).encode()).decode()


# --------------------------------------------------------------------------
# Naming profiles


PROFILES = {
    # Baseline names from the brief (prepare), with one endpoint resource per
    # side so that the target endpoint's unknown server_name can be traced
    # through the module input to the new cluster.
    "baseline": {
        "mon_module": "monitoring", "mon_alarm": "database_cpu",
        "ecs_rule": "ecs_to_rds", "vpc": "application_vpc", "subnets": "private", "sg_rds": "rds_security_group", "sg_ecs": "ecs_service_sg",
        "db_subnet_group": "aurora_subnet_group", "bucket": "logs", "log_group": "ecs_log_group", "ecs_cluster": "cluster",
        "role": "ecs_task_execution_role", "ssm_db_password": "db_password", "ssm_rails_key": "rails_master_key",
        "policy_doc": "ecs_secrets_access", "policy": "ecs_secrets_access", "attachment": "ecs_secrets_access",
        "src_pg": "migration_source", "src_cluster": "aurora_cluster",
        "src_instances": [("aurora_instance", None), ("old_read_replica", None)],
        "tgt_pg": "migration_target", "tgt_cluster": "core", "tgt_instances": ("core", ["primary-1", "primary-2"]),
        "tgt_instances_local": "core_instances",
        "rotation": "target", "secret_data": "target_db",
        "prep_sg": "schema_prep", "prep_rule": "schema_prep_to_target_db", "prep_td": "schema_prep", "prep_svc": "schema_prep",
        "web_td": "web", "job_td": "good_job", "web_svc": "web", "job_svc": "good_job",
        "module": "dms_migration", "module_source": "./modules/dms",
        "dms_subnet_group": "this", "dms_sg": "this", "dms_rule": "rds_ingress", "dms_instance": "this",
        "endpoints": ("separate", {"source": "source", "target": "target"}), "task": ("migration", None),
        "outputs": {"source": "source_cluster_endpoint", "target": "target_cluster_endpoint",
                    "task": "dms_replication_task_arn", "app_db": "application_database_endpoint"},
    },
    # full-load: for_each source instances, count target instances, for_each endpoints and task.
    "full_load": {
        "mon_module": "alarms", "mon_alarm": "db_cpu",
        "ecs_rule": "tasks_to_database", "vpc": "main", "subnets": "app_private", "sg_rds": "database", "sg_ecs": "ecs_tasks",
        "db_subnet_group": "database", "bucket": "alb_access_logs", "log_group": "ecs", "ecs_cluster": "main",
        "role": "task_execution", "ssm_db_password": "database_password", "ssm_rails_key": "rails_master_key",
        "policy_doc": "task_execution_secrets", "policy": "task_execution_secrets", "attachment": "task_execution_secrets",
        "src_pg": "logical_replication", "src_cluster": "legacy",
        "src_instances": [("legacy", "node1"), ("legacy", "node2")],
        "tgt_pg": "disable_constraints", "tgt_cluster": "primary", "tgt_instances": ("primary", [0, 1]),
        "tgt_instances_local": None,
        "rotation": "primary_db_password", "secret_data": "primary_db",
        "prep_sg": "prepare_new_db", "prep_rule": "prepare_new_db_to_primary", "prep_td": "prepare_new_db",
        "prep_svc": "prepare_new_db",
        "web_td": "app_web", "job_td": "app_jobs", "web_svc": "app_web", "job_svc": "app_jobs",
        "module": "db_migration", "module_source": "./modules/db-migration",
        "dms_subnet_group": "main", "dms_sg": "replication", "dms_rule": "database_ingress", "dms_instance": "main",
        "endpoints": ("map", "db"), "task": ("replication", "main"),
        "outputs": {"source": "legacy_endpoint", "target": "primary_endpoint", "task": "migration_task_arn",
                    "app_db": "db_host"},
    },
    # cutover: separate source instances, for_each target instances, map endpoints.
    "cutover": {
        "mon_module": "db_monitoring", "mon_alarm": "cpu_high",
        "ecs_rule": "services_to_aurora", "vpc": "vpc", "subnets": "private", "sg_rds": "aurora", "sg_ecs": "services",
        "db_subnet_group": "aurora", "bucket": "access_logs", "log_group": "services", "ecs_cluster": "mavis",
        "role": "ecs_execution", "ssm_db_password": "aurora_password", "ssm_rails_key": "master_key",
        "policy_doc": "ecs_task_secrets", "policy": "ecs_task_secrets", "attachment": "ecs_task_secrets",
        "src_pg": "source", "src_cluster": "aurora", "src_instances": [("aurora_writer", None), ("aurora_reader", None)],
        "tgt_pg": "target", "tgt_cluster": "aurora_v2", "tgt_instances": ("aurora_v2", ["instance-1", "instance-2"]),
        "tgt_instances_local": "aurora_v2_instances",
        "rotation": "aurora_v2", "secret_data": "aurora_v2_master",
        "prep_sg": "db_schema", "prep_rule": "db_schema_to_aurora", "prep_td": "db_schema", "prep_svc": "db_schema",
        "web_td": "web_service", "job_td": "good_job_service", "web_svc": "web_service", "job_svc": "good_job_service",
        "module": "dms", "module_source": "./modules/dms",
        "dms_subnet_group": "dms", "dms_sg": "dms", "dms_rule": "dms_to_rds", "dms_instance": "dms",
        "endpoints": ("map", "endpoint"), "task": ("task", "full-load-and-cdc"),
        "outputs": {"source": "old_db_endpoint", "target": "new_db_endpoint", "task": "replication_task",
                    "app_db": "app_database_host"},
    },
    # cleanup: count source instances, for_each target instances.
    "cleanup": {
        "mon_module": "observability", "mon_alarm": "aurora_cpu",
        "ecs_rule": "ecs_service_to_rds", "vpc": "application_vpc", "subnets": "private", "sg_rds": "rds", "sg_ecs": "ecs_service",
        "db_subnet_group": "main_db", "bucket": "logs", "log_group": "ecs_log_group", "ecs_cluster": "cluster",
        "role": "ecs_task_execution_role", "ssm_db_password": "main_db_password", "ssm_rails_key": "rails_master_key",
        "policy_doc": "ecs_secrets", "policy": "ecs_secrets", "attachment": "ecs_secrets",
        "src_pg": "main_db_logical_replication", "src_cluster": "main_db",
        "src_instances": [("main_db", 0), ("main_db", 1)],
        "tgt_pg": "main_db_v2", "tgt_cluster": "main_db_v2", "tgt_instances": ("main_db_v2", ["primary", "secondary"]),
        "tgt_instances_local": "main_db_v2_instances",
        "rotation": "main_db_v2", "secret_data": "main_db_v2",
        "prep_sg": "schema_setup", "prep_rule": "schema_setup_to_main_db_v2", "prep_td": "schema_setup",
        "prep_svc": "schema_setup",
        "web_td": "web", "job_td": "worker", "web_svc": "web", "job_svc": "worker",
        "module": "migration", "module_source": "./modules/aurora-dms",
        "dms_subnet_group": "this", "dms_sg": "this", "dms_rule": "rds_ingress", "dms_instance": "this",
        "endpoints": ("map", "this"), "task": ("this", "migration"),
        "outputs": {"source": "main_db_endpoint", "target": "main_db_v2_endpoint", "task": "dms_task_arn",
                    "app_db": "database_host"},
    },
}


# Baseline names with the other instance styles (used only to check the model
# against a real Terraform, see generate_fixtures.py --profile).
PROFILES["baseline_count"] = dict(PROFILES["baseline"], src_instances=[("aurora_instance", 0), ("aurora_instance", 1)],
                                  tgt_instances=("core", [0, 1]), tgt_instances_local=None)
PROFILES["baseline_for_each"] = dict(PROFILES["baseline"],
                                     src_instances=[("aurora_instance", "node1"), ("aurora_instance", "node2")])
PROFILES["baseline_map"] = dict(PROFILES["baseline"], endpoints=("map", "this"), task=("this", "migration"))


def terraform_aws_modules(profile):
    """A profile with DMS from the registry module terraform-aws-modules/dms/aws:
    `module.dms.aws_dms_endpoint.this["source"]` and `aws_dms_replication_task.this["…"]`,
    both `for_each` over the module's maps, so only values tell where an endpoint points."""
    return dict(PROFILES[profile], module="dms", module_source="terraform-aws-modules/dms/aws",
                module_version="~> 2.6", endpoints=("map", "this"), task=("this", "migration"),
                dms_subnet_group="this", dms_sg="this", dms_instance="this")


# Used only by breaking variants (breaking.py).
PROFILES["baseline_tam"] = terraform_aws_modules("baseline")
PROFILES["full_load_tam"] = terraform_aws_modules("full_load")


# --------------------------------------------------------------------------
# Resource instances and configuration blocks


def key_text(key):
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return f'["{key}"]'


class Res:
    """One resource instance: its values at a stage and its configuration block."""

    def __init__(self, type_, name, values, expressions, key=None, module=None, mode="managed",
                 count_expression=None, for_each_expression=None, timeouts=None):
        self.type = type_
        self.name = name
        self.key = key
        self.module = module
        self.mode = mode
        self.values = values
        self.expressions = expressions
        self.count_expression = count_expression
        self.for_each_expression = for_each_expression
        self.timeouts = timeouts

    @property
    def config_address(self):
        prefix = "data." if self.mode == "data" else ""
        return f"{prefix}{self.type}.{self.name}"

    @property
    def qualified_config_address(self):
        return (f"module.{self.module}." if self.module else "") + self.config_address

    @property
    def address(self):
        return self.qualified_config_address + key_text(self.key)

    @property
    def module_address(self):
        return f"module.{self.module}" if self.module else None


class Ctx:
    """What the plan being built creates or replaces (empty for a state)."""

    def __init__(self, fresh=()):
        self.fresh = set(fresh)

    def new(self, qualified_config_address):
        return qualified_config_address in self.fresh


# --------------------------------------------------------------------------
# The world


class World:
    def __init__(self, schema, profile_name, stage, ctx=None, refreshed=False, variant=None):
        self.schema = schema
        self.refreshed = refreshed
        # Knobs of a breaking variant (see KNOBS); empty for the healthy migration.
        self.variant = dict(variant or {})
        unknown = set(self.variant) - set(KNOBS)
        if unknown:
            raise KeyError(f"unknown variant knobs: {sorted(unknown)}")
        # Time on a half-step scale: stage i's apply at i, the next plan's refresh at i + 0.5.
        self.now = stage_index(stage) + (0.5 if refreshed else 0)
        self.profile_name = profile_name
        self.p = PROFILES[profile_name]
        self.stage = stage
        self.i = stage_index(stage)
        self.ctx = ctx or Ctx()
        self.resources = []
        self.build()

    # ---- helpers -------------------------------------------------------

    def at_least(self, stage):
        return self.i >= stage_index(stage)

    def knob(self, name):
        return self.variant.get(name, KNOBS[name])

    def target_database_name(self):
        changed = self.knob("target_database_name")
        if changed and self.at_least(changed[0]):
            return changed[1]
        return DATABASE_NAME

    @property
    def dms_lives(self):
        return self.at_least("prepared") and (self.before(self.knob("dms_until")) and self.before("cleaned")
                                              or self.knob("dms_kept"))

    def before(self, stage):
        return self.i < stage_index(stage)

    def add(self, type_, name, values, expressions, **kwargs):
        kwargs.pop("version", None)
        mode = kwargs.get("mode", "managed")
        block = self.schema.block(mode, type_)
        where = f"{type_}.{name}"
        res = Res(type_, name, fill(block, values, where), expressions, **kwargs)
        self.resources.append(res)
        return res

    def new(self, address):
        return self.ctx.new(address)

    def maybe(self, value, *addresses):
        """`value`, or unknown when any of the addresses is created in this plan."""
        return UNKNOWN if any(self.new(a) for a in addresses) else value

    # Addresses used in references -------------------------------------

    @property
    def src_cluster(self):
        return f"aws_rds_cluster.{self.p['src_cluster']}"

    @property
    def tgt_cluster(self):
        return f"aws_rds_cluster.{self.p['tgt_cluster']}"

    @property
    def src_pg(self):
        return f"aws_rds_cluster_parameter_group.{self.p['src_pg']}"

    @property
    def tgt_pg(self):
        return f"aws_rds_cluster_parameter_group.{self.p['tgt_pg']}"

    @property
    def module_prefix(self):
        return f"module.{self.p['module']}."

    # ---- the whole world -------------------------------------------------

    def build(self):
        self.network()
        self.logging_and_ecs_cluster()
        self.iam_and_parameters()
        self.source_database()
        self.target_database()
        self.schema_prep()
        self.application()
        if self.dms_lives:
            self.dms_module()
        self.monitoring()

    # ---- network -------------------------------------------------------

    def network(self):
        p = self.p
        self.add("aws_vpc", p["vpc"], {
            "arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpc/{VPC_ID}",
            "assign_generated_ipv6_cidr_block": False,
            "cidr_block": "10.0.0.0/16",
            "default_network_acl_id": "acl-0d3e5f7a9b1c2d4e6",
            "default_route_table_id": "rtb-0f2e4d6c8b0a13579",
            "default_security_group_id": "sg-0e8d6c4b2a0f97531",
            "dhcp_options_id": "dopt-0a2b4c6d8e0f13579",
            "enable_dns_hostnames": True,
            "enable_dns_support": True,
            "enable_network_address_usage_metrics": False,
            "id": VPC_ID,
            "instance_tenancy": "default",
            "ipv6_association_id": "",
            "ipv6_cidr_block": "",
            "ipv6_cidr_block_network_border_group": "",
            "ipv6_netmask_length": 0,
            "main_route_table_id": "rtb-0f2e4d6c8b0a13579",
            "owner_id": ACCOUNT,
            "tags": {"Name": f"{PREFIX}-vpc"},
            "tags_all": tags_all({"Name": f"{PREFIX}-vpc"}),
        }, {
            "cidr_block": const("10.0.0.0/16"),
            "enable_dns_hostnames": const(True),
            "tags": refs("local.name_prefix"),
        })
        for index, subnet in enumerate(SUBNETS):
            name_tag = {"Name": f"{PREFIX}-private-{index}"}
            self.add("aws_subnet", p["subnets"], {
                "arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{subnet['id']}",
                "assign_ipv6_address_on_creation": False,
                "availability_zone": subnet["az"],
                "availability_zone_id": subnet["az_id"],
                "cidr_block": subnet["cidr"],
                "customer_owned_ipv4_pool": "",
                "enable_dns64": False,
                "enable_lni_at_device_index": 0,
                "enable_resource_name_dns_a_record_on_launch": False,
                "enable_resource_name_dns_aaaa_record_on_launch": False,
                "id": subnet["id"],
                "ipv6_cidr_block": "",
                "ipv6_cidr_block_association_id": "",
                "ipv6_native": False,
                "map_customer_owned_ip_on_launch": False,
                "map_public_ip_on_launch": False,
                "outpost_arn": "",
                "owner_id": ACCOUNT,
                "private_dns_hostname_type_on_launch": "ip-name",
                "tags": name_tag,
                "tags_all": tags_all(name_tag),
                "vpc_id": VPC_ID,
            }, {
                "availability_zone": refs("local.azs", "count.index"),
                "cidr_block": refs("count.index"),
                "tags": refs("local.name_prefix", "count.index"),
                "vpc_id": refs(f"aws_vpc.{p['vpc']}.id"),
            }, key=index, count_expression=const(2), timeouts={"create": 10, "delete": 20})

        def sg_rule(from_port, to_port, protocol, cidr=(), groups=()):
            return {"cidr_blocks": list(cidr), "description": "", "from_port": from_port,
                    "ipv6_cidr_blocks": [], "prefix_list_ids": [], "protocol": protocol,
                    "security_groups": sorted(groups), "self": False, "to_port": to_port}

        egress_all = sg_rule(0, 0, "-1", cidr=["0.0.0.0/0"])
        egress_all_config = const([{"cidr_blocks": ["0.0.0.0/0"], "description": None, "from_port": 0,
                                    "ipv6_cidr_blocks": None, "prefix_list_ids": None, "protocol": "-1",
                                    "security_groups": None, "self": None, "to_port": 0}])

        def security_group(name, key, description, ingress, egress, expressions, module=None):
            return self.add("aws_security_group", name, {
                "arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{SG[key]}",
                "description": description,
                "egress": egress,
                "id": SG[key],
                "ingress": ingress,
                "name": f"{PREFIX}-{ {'rds': 'rds', 'ecs': 'ecs-service', 'prep': 'prepare-new-db', 'dms': 'dms'}[key] }",
                "name_prefix": "",
                "owner_id": ACCOUNT,
                "revoke_rules_on_delete": False,
                "tags_all": tags_all(),
                "vpc_id": VPC_ID,
            }, expressions, module=module, timeouts={"create": 10, "delete": 15})

        self.security_group = security_group
        self.sg_egress_all = egress_all
        self.sg_egress_all_config = egress_all_config
        self.sg_rule_object = sg_rule

        # The RDS group has no inline rules: every ingress rule is an
        # aws_security_group_rule (ECS services always; DMS and schema preparation
        # during the migration), and AWS reports them all in the group's ingress set.
        ingress = [sg_rule(5432, 5432, "tcp", groups=[SG["ecs"]]) | {"description": "ECS services to Aurora"}]
        # The group itself is never changed by the migration: its state shows the
        # rules as of the last refresh (stored: the plan before the last apply).
        last_read = self.i if self.refreshed else self.i - 1
        if 1 <= last_read <= 3:
            ingress.append(sg_rule(5432, 5432, "tcp", groups=[SG["prep"]]) | {"description": "Schema preparation task to the target database"})
            ingress.append(sg_rule(5432, 5432, "tcp", groups=[SG["dms"]]) | {"description": "DMS replication instance to Aurora"})
        # A set of objects, in cty's order.
        ingress = cty_set_order(ingress)
        security_group(p["sg_rds"], "rds", "Aurora access from the ECS services", ingress, [], {
            "description": const("Aurora access from the ECS services"),
            "name": refs("local.name_prefix"),
            "vpc_id": refs(f"aws_vpc.{p['vpc']}.id"),
        })
        self.add("aws_security_group_rule", p["ecs_rule"], {
            "cidr_blocks": None,
            "description": "ECS services to Aurora",
            "from_port": 5432,
            "id": "sgrule-3902816654",
            "ipv6_cidr_blocks": None,
            "prefix_list_ids": None,
            "protocol": "tcp",
            "security_group_id": SG["rds"],
            "security_group_rule_id": "sgr-0b5e2a9c7d1f48e36",
            "self": False,
            "source_security_group_id": SG["ecs"],
            "to_port": 5432,
            "type": "ingress",
        }, {
            "description": const("ECS services to Aurora"),
            "from_port": const(5432),
            "protocol": const("tcp"),
            "security_group_id": refs(f"aws_security_group.{p['sg_rds']}.id"),
            "source_security_group_id": refs(f"aws_security_group.{p['sg_ecs']}.id"),
            "to_port": const(5432),
            "type": const("ingress"),
        }, timeouts={"create": 5}, version=2)
        security_group(p["sg_ecs"], "ecs", "ECS services", [], [egress_all], {
            "description": const("ECS services"),
            "egress": egress_all_config,
            "name": refs("local.name_prefix"),
            "vpc_id": refs(f"aws_vpc.{p['vpc']}.id"),
        })
        self.add("aws_db_subnet_group", p["db_subnet_group"], {
            "arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:subgrp:{PREFIX}-db",
            "description": "Managed by Terraform",
            "id": f"{PREFIX}-db",
            "name": f"{PREFIX}-db",
            "name_prefix": "",
            "subnet_ids": sorted(s["id"] for s in SUBNETS),
            "supported_network_types": ["IPV4"],
            "tags_all": tags_all(),
            "vpc_id": VPC_ID,
        }, {
            "name": refs("local.name_prefix"),
            "subnet_ids": refs(f"aws_subnet.{p['subnets']}[*].id"),
        })

    # ---- logging, buckets, ECS cluster -----------------------------------

    def logging_and_ecs_cluster(self):
        p = self.p
        bucket = f"{PREFIX}-access-logs"
        self.add("aws_s3_bucket", p["bucket"], {
            "acceleration_status": "",
            "arn": f"arn:aws:s3:::{bucket}",
            "bucket": bucket,
            "bucket_domain_name": f"{bucket}.s3.amazonaws.com",
            "bucket_prefix": "",
            "bucket_regional_domain_name": f"{bucket}.s3.{REGION}.amazonaws.com",
            "force_destroy": False,
            "grant": [{"id": "4f1c2d3e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d", "permissions": ["FULL_CONTROL"],
                       "type": "CanonicalUser", "uri": ""}],
            "hosted_zone_id": "Z3GKZC51ZF0DB4",
            "id": bucket,
            "object_lock_enabled": False,
            "policy": "",
            "region": REGION,
            "request_payer": "BucketOwner",
            "server_side_encryption_configuration": [{"rule": [{
                "apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "AES256"}],
                "bucket_key_enabled": False}]}],
            "tags_all": tags_all(),
            "versioning": [{"enabled": False, "mfa_delete": False}],
        }, {"bucket": refs("local.name_prefix")}, timeouts={"create": 20, "read": 20, "update": 20, "delete": 60})

        retention = 90 if self.at_least("loading") else 30
        self.add("aws_cloudwatch_log_group", p["log_group"], {
            "arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{LOG_GROUP}",
            "id": LOG_GROUP,
            "kms_key_id": "",
            "log_group_class": "STANDARD",
            "name": LOG_GROUP,
            "name_prefix": "",
            "retention_in_days": retention,
            "skip_destroy": False,
            "tags_all": tags_all(),
        }, {"name": refs("local.name_prefix"), "retention_in_days": const(retention)})

        self.add("aws_ecs_cluster", p["ecs_cluster"], {
            "arn": ECS_CLUSTER_ARN,
            "id": ECS_CLUSTER_ARN,
            "name": PREFIX,
            "setting": [{"name": "containerInsights", "value": "enabled"}],
            "tags_all": tags_all(),
        }, {
            "name": refs("local.name_prefix"),
            "setting": [{"name": const("containerInsights"), "value": const("enabled")}],
        })

    # ---- IAM, parameters, secret access ----------------------------------

    def iam_and_parameters(self):
        p = self.p
        self.add("aws_iam_role", p["role"], {
            "arn": ROLE_ARN,
            "assume_role_policy": json_string({"Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow",
                                                              "Principal": {"Service": "ecs-tasks.amazonaws.com"}}],
                                               "Version": "2012-10-17"}),
            "create_date": "2024-03-11T09:12:45Z",
            "description": "",
            "force_detach_policies": False,
            "id": ROLE_NAME,
            "inline_policy": [],
            "managed_policy_arns": [POLICY_ARN],
            "max_session_duration": 3600,
            "name": ROLE_NAME,
            "name_prefix": "",
            "path": "/",
            "permissions_boundary": "",
            "tags_all": tags_all(),
            "unique_id": "AROAR4KZ7XQ2M5VJ3NBTY",
        }, {"assume_role_policy": OPAQUE, "name": refs("local.name_prefix")})

        for key, parameter in (("ssm_db_password", "db_password"), ("ssm_rails_key", "rails_master_key")):
            if key == "ssm_db_password" and self.at_least("cleaned"):
                continue  # the source password goes with the source cluster
            name = SSM[parameter]
            self.add("aws_ssm_parameter", p[key], {
                "arn": ssm_arn(name),
                "data_type": "text",
                "has_value_wo": None,
                "id": name,
                "insecure_value": None,
                "key_id": "alias/aws/ssm",
                "name": name,
                "tags_all": tags_all(),
                "tier": "Standard",
                "type": "SecureString",
                "value": CANARY,
                "version": 1,
            }, {
                "name": refs("local.name_prefix"),
                "type": const("SecureString"),
                "value": refs(f"var.{parameter}"),
            })

        # The ECS execution role's secret access (runbook: aws_iam_policy_document.ecs_secrets_access).
        parameters = [ssm_arn(SSM["rails_master_key"])]
        parameter_refs = [f"aws_ssm_parameter.{p['ssm_rails_key']}.arn"]
        if self.before("cleaned"):
            parameters.insert(0, ssm_arn(SSM["db_password"]))
            parameter_refs.insert(0, f"aws_ssm_parameter.{p['ssm_db_password']}.arn")
        statements = [{"sid": "ReadParameters", "actions": ["ssm:GetParameters"], "resources": sorted(parameters)}]
        statement_config = [{"actions": const(["ssm:GetParameters"]), "resources": refs(*parameter_refs),
                             "sid": const("ReadParameters")}]
        if self.knob("source_managed_secret") and self.before("cleaned"):
            # The application read the source's RDS-managed secret before the cutover.
            statements.append({"sid": "ReadDatabaseSecret", "actions": ["secretsmanager:GetSecretValue"],
                               "resources": [SOURCE_SECRET_ARN]})
            statement_config.append({"actions": const(["secretsmanager:GetSecretValue"]),
                                     "resources": refs(f"{self.src_cluster}.master_user_secret[0].secret_arn"),
                                     "sid": const("ReadDatabaseSecret")})
        if self.at_least("prepared") and self.knob("policy_grants_target_secret"):
            statements.append({"sid": "ReadTargetDatabaseSecret", "actions": ["secretsmanager:GetSecretValue"],
                               "resources": [self.maybe(TARGET["secret_arn"], self.tgt_cluster)]})
            statement_config.append({"actions": const(["secretsmanager:GetSecretValue"]),
                                     "resources": refs(f"{self.tgt_cluster}.master_user_secret[0].secret_arn"),
                                     "sid": const("ReadTargetDatabaseSecret")})
        document = policy_document(statements)
        deferred = any(s["resources"][-1] is UNKNOWN for s in statements)
        self.add("aws_iam_policy_document", p["policy_doc"], {
            "id": UNKNOWN if deferred else str(zlib.crc32(document["json"].encode())),
            "json": UNKNOWN if deferred else document["json"],
            "minified_json": UNKNOWN if deferred else document["minified_json"],
            "statement": [{"actions": s["actions"], "condition": [], "effect": None if deferred else "Allow",
                           "not_actions": None if deferred else [], "not_principals": [],
                           "not_resources": None if deferred else [], "principals": [],
                           "resources": s["resources"], "sid": s["sid"]} for s in statements],
            "version": None if deferred else "2012-10-17",
        }, {"statement": statement_config}, mode="data")

        self.add("aws_iam_policy", p["policy"], {
            "arn": POLICY_ARN,
            "attachment_count": 1,
            "description": "",
            "id": POLICY_ARN,
            "name": POLICY_NAME,
            "name_prefix": "",
            "path": "/",
            "policy": UNKNOWN if deferred else document["normalized"],
            "policy_id": "ANPAR4KZ7XQ2L6WH8PCDE",
            "tags_all": tags_all(),
        }, {
            "name": refs("local.name_prefix"),
            "policy": refs(f"data.aws_iam_policy_document.{p['policy_doc']}.json"),
        })
        self.add("aws_iam_role_policy_attachment", p["attachment"], {
            "id": f"{ROLE_NAME}-20240311091247371500000001",
            "policy_arn": POLICY_ARN,
            "role": ROLE_NAME,
        }, {
            "policy_arn": refs(f"aws_iam_policy.{p['policy']}.arn"),
            "role": refs(f"aws_iam_role.{p['role']}.name"),
        })

    # ---- the source cluster --------------------------------------------------

    def source_database(self):
        if self.at_least("cleaned"):
            return
        p = self.p
        with_pg = self.at_least("prepared")
        apply_method = self.knob("source_apply_method")
        parameters = [dict(q, apply_method=apply_method) if q["name"] == "rds.logical_replication" else dict(q)
                      for q in SOURCE["parameters"]]
        if with_pg:
            self.add("aws_rds_cluster_parameter_group", p["src_pg"], {
                "arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster-pg:{SOURCE['parameter_group']}",
                "description": "Custom parameter group for Aurora PostgreSQL cluster",
                "family": FAMILY,
                "id": SOURCE["parameter_group"],
                "name": SOURCE["parameter_group"],
                "name_prefix": "",
                # A set of objects, in cty's order (apply_method first: it changes the order).
                "parameter": cty_set_order(parameters),
                "tags_all": tags_all(),
            }, {
                "description": const("Custom parameter group for Aurora PostgreSQL cluster"),
                "family": const(FAMILY),
                "name": refs("var.environment"),
                "parameter": [{"apply_method": const(q["apply_method"]), "name": const(q["name"]),
                               "value": const(int(q["value"]))} for q in parameters],
            })
        # Runbook "Post-Migration cleanup" step 1: deletion protection is turned off
        # by hand after the cutover.
        protected = self.now < 3.5 or self.knob("source_protection_kept")
        managed = self.knob("source_managed_secret")
        final_snapshot = self.knob("source_final_snapshot")
        release = self.knob("source_release")
        if release is not None:
            # Cleanup step 1 as a deploy of its own: the configuration holds the protection
            # (and no final snapshot) until that deploy releases the source.
            protected = release == "pending"
            final_snapshot = release == "released"
        expressions = {
            "backup_retention_period": const(7),
            "cluster_identifier": refs("local.name_prefix"),
            "database_name": const(DATABASE_NAME),
            "db_cluster_parameter_group_name": (refs(f"{self.src_pg}.name") if with_pg
                                                else const(f"default.{FAMILY}")),
            "db_subnet_group_name": refs(f"aws_db_subnet_group.{p['db_subnet_group']}.name"),
            "deletion_protection": const(protected),
            "engine": const(ENGINE),
            "engine_mode": const("provisioned"),
            "engine_version": const(ENGINE_VERSION),
            "final_snapshot_identifier": refs("local.name_prefix"),
            "master_password": refs("var.db_password"),
            "master_username": const(MASTER_USERNAME),
            "preferred_backup_window": const("01:00-02:00"),
            "skip_final_snapshot": const(False),
            "storage_encrypted": const(True),
            "vpc_security_group_ids": refs(f"aws_security_group.{p['sg_rds']}.id"),
        }
        if not final_snapshot:
            del expressions["final_snapshot_identifier"]
        if managed:
            del expressions["master_password"]
            expressions["manage_master_user_password"] = const(True)
        self.add("aws_rds_cluster", p["src_cluster"], cluster_values(
            dict(SOURCE, secret_arn=SOURCE_SECRET_ARN) if managed else SOURCE,
            parameter_group=SOURCE["parameter_group"] if with_pg else f"default.{FAMILY}",
            managed_secret=managed, deletion_protection=protected,
            members=[i["id"] for i in SOURCE["instances"]], created="2024-03-11",
            final_snapshot=f"{PREFIX}-aurora-final" if final_snapshot else None,
        ), dict(sorted(expressions.items())), timeouts={"create": 120, "update": 120, "delete": 120}, version=1)
        if managed and with_pg:
            # Runbook: "If a source DB secret exists ensure the next rotation is far
            # enough in the future (e.g. 400 days)".
            self.add("aws_secretsmanager_secret_rotation", p["src_cluster"], {
                "id": SOURCE_SECRET_ARN,
                "rotate_immediately": False,
                "rotation_enabled": True,
                "rotation_lambda_arn": "",
                "rotation_rules": [{"automatically_after_days": 0, "duration": "", "schedule_expression": MIGRATION_ROTATION}],
                "secret_id": SOURCE_SECRET_ARN,
            }, {
                "rotate_immediately": const(False),
                "rotation_rules": [{"schedule_expression": const(MIGRATION_ROTATION)}],
                "secret_id": refs(f"{self.src_cluster}.master_user_secret[0].secret_arn"),
            }, version=1)

        # Failover (runbook "Pre-Migration preparation" step 3) makes the second
        # instance the writer from the full-load phase on.
        failed_over = self.now >= 1.5
        instance_keys = p["src_instances"]
        for index, ((name, key), instance) in enumerate(zip(instance_keys, SOURCE["instances"])):
            writer = (index == 1) if failed_over else (index == 0)
            if key is None:
                identifier = refs("local.name_prefix")
                extra = {}
            elif isinstance(key, int):
                identifier = refs("local.name_prefix", "count.index")
                extra = {"count_expression": const(len(instance_keys))}
            else:
                identifier = refs("local.name_prefix", "each.value")
                extra = {"for_each_expression": const({k: i + 1 for i, (_, k) in enumerate(instance_keys)})}
            self.add("aws_rds_cluster_instance", name, instance_values(
                SOURCE, instance, writer=writer, promotion_tier=0), {
                "cluster_identifier": refs(f"{self.src_cluster}.id"),
                "db_subnet_group_name": refs(f"aws_db_subnet_group.{p['db_subnet_group']}.name"),
                "engine": refs(f"{self.src_cluster}.engine"),
                "engine_version": refs(f"{self.src_cluster}.engine_version"),
                "identifier": identifier,
                "instance_class": const(INSTANCE_CLASS),
            }, key=key, timeouts={"create": 90, "update": 90, "delete": 90}, **extra)

    # ---- the target cluster ----------------------------------------------

    def target_database(self):
        if self.before("prepared"):
            return
        p = self.p
        fresh = self.new(self.tgt_cluster)
        # session_replication_role: the model's value (replica) while loading, origin from the cutover.
        origin = self.at_least(self.knob("target_origin_from"))
        parameters = [dict(q, value="origin") if origin and q["name"] == "session_replication_role" else dict(q)
                      for q in TARGET["parameters"]]
        self.add("aws_rds_cluster_parameter_group", p["tgt_pg"], {
            "arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster-pg:{TARGET['parameter_group']}",
            "description": "Custom parameter group for Aurora PostgreSQL cluster",
            "family": FAMILY,
            "id": TARGET["parameter_group"],
            "name": TARGET["parameter_group"],
            "name_prefix": "",
            "parameter": parameters,
            "tags_all": tags_all(),
        }, {
            "description": const("Custom parameter group for Aurora PostgreSQL cluster"),
            "family": const(FAMILY),
            "name": refs("var.environment"),
            "parameter": [{"apply_method": const(q["apply_method"]), "name": const(q["name"]),
                           "value": const(q["value"])} for q in parameters],
        })
        # Created before its instances: the prepare apply stores no members.
        count = len(self.knob("target_instance_keys") or p["tgt_instances"][1])
        members = ([] if self.stage == "prepared" and not self.refreshed
                   else [i["id"] for i in TARGET["instances"][:count]])
        values = cluster_values(TARGET, parameter_group=TARGET["parameter_group"], managed_secret=True,
                                deletion_protection=True, members=members,
                                created="2026-11-20", final_snapshot=f"{PREFIX}-core-final", apply_immediately=True,
                                logs=["postgresql"])
        pinned = self.knob("target_engine_version")
        version = pinned or ENGINE_VERSION
        values.update({"engine_version": version, "engine_version_actual": version,
                       "database_name": self.target_database_name()})
        if pinned:
            version_expression = const(pinned)
        elif self.before(self.knob("target_version_ref_until")):
            version_expression = refs(f"{self.src_cluster}.engine_version")
        else:
            version_expression = const(ENGINE_VERSION)
        self.add("aws_rds_cluster", p["tgt_cluster"], values, {
            "apply_immediately": const(True),
            "backup_retention_period": const(7),
            "cluster_identifier": refs("local.name_prefix"),
            "database_name": const(self.target_database_name()),
            "db_cluster_parameter_group_name": refs(f"{self.tgt_pg}.name"),
            "db_subnet_group_name": refs(f"aws_db_subnet_group.{p['db_subnet_group']}.name"),
            "deletion_protection": const(True),
            "enabled_cloudwatch_logs_exports": const(["postgresql"]),
            "engine": const(ENGINE),
            "engine_mode": const("provisioned"),
            "engine_version": version_expression,
            "final_snapshot_identifier": refs("local.name_prefix"),
            "manage_master_user_password": const(True),
            "master_username": const(MASTER_USERNAME),
            "preferred_backup_window": const("01:00-02:00"),
            "skip_final_snapshot": const(False),
            "storage_encrypted": const(True),
            "vpc_security_group_ids": refs(f"aws_security_group.{p['sg_rds']}.id"),
        }, timeouts={"create": 120, "update": 120, "delete": 120}, version=1)

        name, keys = p["tgt_instances"]
        keys = self.knob("target_instance_keys") or keys
        local = p["tgt_instances_local"]
        tiers = self.knob("target_tiers")
        if tiers and local is None:
            raise ValueError("target_tiers needs for_each target instances (a profile with tgt_instances_local)")
        for index, (key, instance) in enumerate(zip(keys, TARGET["instances"])):
            if isinstance(key, int):
                identifier = refs("local.name_prefix", "count.index")
                az = refs("local.azs", "count.index")
                extra = {"count_expression": const(len(keys))}
            else:
                identifier = refs("each.value.identifier")
                az = refs("each.value.availability_zone")
                extra = {"for_each_expression": refs(f"local.{local}")}
            self.add("aws_rds_cluster_instance", name, instance_values(
                TARGET, instance, writer=index == 0, promotion_tier=tiers[key] if tiers else 1)
                | {"engine_version": version, "engine_version_actual": version}
                | ({"cluster_identifier": UNKNOWN} if fresh else {}), {
                "availability_zone": az,
                "cluster_identifier": refs(f"{self.tgt_cluster}.id"),
                "db_subnet_group_name": refs(f"aws_db_subnet_group.{p['db_subnet_group']}.name"),
                "engine": refs(f"{self.tgt_cluster}.engine"),
                "engine_version": refs(f"{self.tgt_cluster}.engine_version"),
                "identifier": identifier,
                "instance_class": const(INSTANCE_CLASS),
                "promotion_tier": refs("each.value.promotion_tier") if tiers else const(1),
                "publicly_accessible": const(False),
            }, key=key, timeouts={"create": 90, "update": 90, "delete": 90}, **extra)

        if self.at_least("cleaned") or self.at_least(self.knob("rotation_cron_from")):
            schedule = "cron(0 8 ? * WED *)"
        else:
            schedule = self.knob("rotation_schedule")
        rotate_immediately = self.knob("rotate_immediately")
        self.add("aws_secretsmanager_secret_rotation", p["rotation"], {
            "id": self.maybe(TARGET["secret_arn"], self.tgt_cluster),
            "rotate_immediately": rotate_immediately,
            "rotation_enabled": True,
            "rotation_lambda_arn": "",
            "rotation_rules": [{"automatically_after_days": 0, "duration": "", "schedule_expression": schedule}],
            "secret_id": self.maybe(TARGET["secret_arn"], self.tgt_cluster),
        }, {
            "rotate_immediately": const(rotate_immediately),
            "rotation_rules": [{"schedule_expression": const(schedule)}],
            "secret_id": refs(f"{self.tgt_cluster}.master_user_secret[0].secret_arn"),
        }, version=1)

        if self.before("cleaned") or self.dms_lives:
            secret_string = json.dumps({"username": MASTER_USERNAME, "password": CANARY}, separators=(",", ":"))
            self.add("aws_secretsmanager_secret_version", p["secret_data"], {
                "arn": UNKNOWN if fresh else TARGET["secret_arn"],
                "created_date": UNKNOWN if fresh else "2026-11-20T10:24:51Z",
                "id": UNKNOWN if fresh else f"{TARGET['secret_arn']}|AWSCURRENT",
                "secret_binary": UNKNOWN if fresh else "",
                "secret_id": UNKNOWN if fresh else TARGET["secret_arn"],
                "secret_string": UNKNOWN if fresh else secret_string,
                "version_id": UNKNOWN if fresh else "6b1f0e9a-2c3d-4e5f-8a7b-9c0d1e2f3a4b",
                "version_stage": None if fresh else "AWSCURRENT",
                "version_stages": UNKNOWN if fresh else ["AWSCURRENT"],
            }, {"secret_id": refs(f"{self.tgt_cluster}.master_user_secret[0].secret_arn")}, mode="data")

    # ---- schema preparation (runbook "db_migration_config.tf.tpl") ---------

    def schema_prep(self):
        if self.before("prepared") or self.at_least("cleaned"):
            return
        p = self.p
        sg_fresh = self.new(f"aws_security_group.{p['prep_sg']}")
        self.security_group(p["prep_sg"], "prep", "Schema preparation task for the target database", [],
                            [self.sg_egress_all], {
                                "description": const("Schema preparation task for the target database"),
                                "egress": self.sg_egress_all_config,
                                "name": refs("local.name_prefix"),
                                "vpc_id": refs(f"aws_vpc.{p['vpc']}.id"),
                            })
        self.add("aws_security_group_rule", p["prep_rule"], {
            "cidr_blocks": None,
            "description": "Schema preparation task to the target database",
            "from_port": 5432,
            "id": "sgrule-2749301836",
            "ipv6_cidr_blocks": None,
            "prefix_list_ids": None,
            "protocol": "tcp",
            "security_group_id": SG["rds"],
            "security_group_rule_id": "sgr-0d1c2b3a4f5e60718",
            "self": False,
            "source_security_group_id": UNKNOWN if sg_fresh else SG["prep"],
            "to_port": 5432,
            "type": "ingress",
        }, {
            "description": const("Schema preparation task to the target database"),
            "from_port": const(5432),
            "protocol": const("tcp"),
            "security_group_id": refs(f"aws_security_group.{p['sg_rds']}.id"),
            "source_security_group_id": refs(f"aws_security_group.{p['prep_sg']}.id"),
            "to_port": const(5432),
            "type": const("ingress"),
        }, timeouts={"create": 5}, version=2)
        family = f"{PREFIX}-prepare_new_db"
        revision = REVISIONS["prep"][0]
        fresh = self.new(f"aws_ecs_task_definition.{p['prep_td']}")
        definitions = UNKNOWN if self.new(self.tgt_cluster) else container_definitions(
            family, "none", TARGET, secrets=[("DB_CREDENTIALS", TARGET["secret_arn"]),
                                             ("RAILS_MASTER_KEY", ssm_arn(SSM["rails_master_key"]))],
            stream_prefix="prepare_new_db")
        self.add("aws_ecs_task_definition", p["prep_td"],
                 task_definition_values(family, revision, definitions),
                 task_definition_config(self, self.tgt_cluster, [
                     f"{self.tgt_cluster}.endpoint", f"{self.tgt_cluster}.database_name",
                     f"{self.tgt_cluster}.master_user_secret[0].secret_arn",
                     f"aws_ssm_parameter.{p['ssm_rails_key']}.arn"]), version=1)
        self.add("aws_ecs_service", p["prep_svc"], service_values(
            family, task_def_arn(family, revision) if not fresh else UNKNOWN, desired=1,
            groups=UNKNOWN if sg_fresh else [SG["prep"]], deployment="ECS"), {
            "cluster": refs(f"aws_ecs_cluster.{p['ecs_cluster']}.id"),
            "desired_count": const(1),
            "enable_execute_command": const(True),
            "launch_type": const("FARGATE"),
            "name": refs("local.name_prefix"),
            "network_configuration": [{"security_groups": refs(f"aws_security_group.{p['prep_sg']}.id"),
                                       "subnets": refs(f"aws_subnet.{p['subnets']}[*].id")}],
            "task_definition": refs(f"aws_ecs_task_definition.{p['prep_td']}.arn"),
        }, timeouts={"create": 20, "update": 20, "delete": 20}, version=1)

    # ---- the application -------------------------------------------------

    def application(self):
        p = self.p
        on_target = self.at_least("cutover")
        database = TARGET if on_target else SOURCE
        cluster = self.tgt_cluster if on_target else self.src_cluster
        if on_target:
            password = ("DB_CREDENTIALS", TARGET["secret_arn"])
            password_ref = f"{self.tgt_cluster}.master_user_secret[0].secret_arn"
        elif self.knob("source_managed_secret"):
            password = ("DB_CREDENTIALS", SOURCE_SECRET_ARN)
            password_ref = f"{self.src_cluster}.master_user_secret[0].secret_arn"
        else:
            password = ("DB_PASSWORD", ssm_arn(SSM["db_password"]))
            password_ref = f"aws_ssm_parameter.{p['ssm_db_password']}.arn"
        for role, td_key, svc_key, server_type, desired, port in (
                ("web", "web_td", "web_svc", "web", 2, 4000),
                ("good_job", "job_td", "job_svc", "good-job", 2, None)):
            family = f"{PREFIX}-{role.replace('_', '-')}"
            revision = REVISIONS[role][1 if on_target else 0]
            replaced = self.new(f"aws_ecs_task_definition.{p[td_key]}")
            # The worker's DB_HOST left on the source while its secret moves (a variant).
            stays = on_target and role == "good_job" and self.knob("worker_host_source")
            host, host_cluster = (SOURCE, self.src_cluster) if stays else (database, cluster)
            definitions = container_definitions(
                family, server_type, host,
                secrets=[password, ("RAILS_MASTER_KEY", ssm_arn(SSM["rails_master_key"]))],
                stream_prefix=role, port=port)
            self.add("aws_ecs_task_definition", p[td_key],
                     task_definition_values(family, revision, definitions) | (
                         {"arn": UNKNOWN, "revision": UNKNOWN, "id": UNKNOWN, "arn_without_revision": UNKNOWN,
                          "enable_fault_injection": UNKNOWN} if replaced else {}),
                     task_definition_config(self, cluster, [
                         f"{host_cluster}.endpoint", f"{host_cluster}.database_name", password_ref,
                         f"aws_ssm_parameter.{p['ssm_rails_key']}.arn"], port=port), version=1)
            code_deploy = role == "web"
            # The web service deploys through CodeDeploy (runbook step 10) and ignores
            # task_definition changes; the worker follows its task definition.
            service_revision = revision if not code_deploy else REVISIONS[role][0]
            task_definition = (UNKNOWN if replaced and not code_deploy
                               else task_def_arn(family, service_revision))
            expressions = {
                "cluster": refs(f"aws_ecs_cluster.{p['ecs_cluster']}.id"),
                "desired_count": const(desired),
                "enable_execute_command": const(True),
                "launch_type": const("FARGATE"),
                "name": refs("local.name_prefix"),
                "network_configuration": [{"security_groups": refs(f"aws_security_group.{p['sg_ecs']}.id"),
                                           "subnets": refs(f"aws_subnet.{p['subnets']}[*].id")}],
                "task_definition": refs(f"aws_ecs_task_definition.{p[td_key]}.arn"),
            }
            if code_deploy:
                expressions["deployment_controller"] = [{"type": const("CODE_DEPLOY")}]
                expressions["load_balancer"] = [{"container_name": refs("local.name_prefix"),
                                                 "container_port": const(4000),
                                                 "target_group_arn": refs("var.blue_target_group_arn")}]
            self.add("aws_ecs_service", p[svc_key], service_values(
                family, task_definition, desired=desired, groups=[SG["ecs"]],
                deployment="CODE_DEPLOY" if code_deploy else "ECS",
                load_balancer=[{"container_name": family, "container_port": 4000, "elb_name": "",
                                "target_group_arn": TARGET_GROUP_ARN}] if code_deploy else []),
                dict(sorted(expressions.items())), timeouts={"create": 20, "update": 20, "delete": 20}, version=1)

    # ---- the DMS module ------------------------------------------------------

    def dms_module(self):
        p = self.p
        m = p["module"]
        mp = self.module_prefix
        tgt_fresh = self.new(self.tgt_cluster)
        self.add("aws_dms_replication_subnet_group", p["dms_subnet_group"], {
            "id": f"{PREFIX}-dms",
            "replication_subnet_group_arn": f"arn:aws:dms:{REGION}:{ACCOUNT}:subgrp:{PREFIX}-dms",
            "replication_subnet_group_description": "DMS replication subnet group",
            "replication_subnet_group_id": f"{PREFIX}-dms",
            "subnet_ids": sorted(s["id"] for s in SUBNETS),
            "tags_all": tags_all(),
            "vpc_id": VPC_ID,
        }, {
            "replication_subnet_group_description": const("DMS replication subnet group"),
            "replication_subnet_group_id": refs("var.environment"),
            "subnet_ids": refs("var.subnet_ids"),
        }, module=m)
        sg_fresh = self.new(f"{mp}aws_security_group.{p['dms_sg']}")
        self.security_group(p["dms_sg"], "dms", "DMS replication instance", [], [self.sg_egress_all], {
            "description": const("DMS replication instance"),
            "egress": self.sg_egress_all_config,
            "name": refs("var.environment"),
            "vpc_id": refs("var.vpc_id"),
        }, module=m)
        self.add("aws_security_group_rule", p["dms_rule"], {
            "cidr_blocks": None,
            "description": "DMS replication instance to Aurora",
            "from_port": 5432,
            "id": "sgrule-1184302775",
            "ipv6_cidr_blocks": None,
            "prefix_list_ids": None,
            "protocol": "tcp",
            "security_group_id": SG["rds"],
            "security_group_rule_id": "sgr-08a7b6c5d4e3f2a19",
            "self": False,
            "source_security_group_id": UNKNOWN if sg_fresh else SG["dms"],
            "to_port": 5432,
            "type": "ingress",
        }, {
            "description": const("DMS replication instance to Aurora"),
            "from_port": const(5432),
            "protocol": const("tcp"),
            "security_group_id": refs("var.rds_security_group_id"),
            "source_security_group_id": refs(f"aws_security_group.{p['dms_sg']}.id"),
            "to_port": const(5432),
            "type": const("ingress"),
        }, module=m, timeouts={"create": 5}, version=2)
        instance_fresh = self.new(f"{mp}aws_dms_replication_instance.{p['dms_instance']}")
        self.add("aws_dms_replication_instance", p["dms_instance"], {
            "allocated_storage": 100,
            "auto_minor_version_upgrade": False,
            "availability_zone": "eu-west-2a",
            "engine_version": "3.5.3",
            "id": f"{PREFIX}-dms",
            "kms_key_arn": KMS_DMS,
            "multi_az": False,
            "network_type": "IPV4",
            "preferred_maintenance_window": "wed:02:15-wed:02:45",
            "publicly_accessible": False,
            "replication_instance_arn": DMS["instance_arn"],
            "replication_instance_class": "dms.r5.large",
            "replication_instance_id": f"{PREFIX}-dms",
            "replication_instance_private_ips": ["10.0.10.87"],
            "replication_instance_public_ips": [""],
            "replication_subnet_group_id": (UNKNOWN if self.new(f"{mp}aws_dms_replication_subnet_group.{p['dms_subnet_group']}")
                                            else f"{PREFIX}-dms"),
            "tags_all": tags_all(),
            "vpc_security_group_ids": UNKNOWN if sg_fresh else [SG["dms"]],
        }, {
            "allocated_storage": const(100),
            "engine_version": const("3.5.3"),
            "multi_az": const(False),
            "publicly_accessible": const(False),
            "replication_instance_class": const("dms.r5.large"),
            "replication_instance_id": refs("var.environment"),
            "replication_subnet_group_id": refs(f"aws_dms_replication_subnet_group.{p['dms_subnet_group']}.id"),
            "vpc_security_group_ids": refs(f"aws_security_group.{p['dms_sg']}.id"),
        }, module=m, timeouts={"create": 30, "update": 30, "delete": 30})

        style, names = p["endpoints"]
        endpoint_addresses = {}
        slip = self.knob("target_endpoint_on_source")
        for kind, database, arn in (("source", SOURCE, DMS["source_arn"]), ("target", TARGET, DMS["target_arn"])):
            # The copy-paste slip: the target endpoint's server_name is the source's endpoint.
            server = SOURCE if slip and kind == "target" else database
            unknown_server = kind == "target" and tgt_fresh and not slip
            if style == "map":
                name, key = names, kind
                expressions = {
                    "database_name": refs("each.value.database_name"),
                    "endpoint_id": refs("var.environment", "each.key"),
                    "endpoint_type": refs("each.key"),
                    "engine_name": const(ENGINE),
                    "password": refs("each.value.password"),
                    "port": const(5432),
                    "server_name": refs("each.value.server_name"),
                    "ssl_mode": const("require"),
                    "username": refs("each.value.username"),
                }
                extra = {"for_each_expression": refs("var.endpoints")}
            else:
                name, key = names[kind], None
                expressions = {
                    "database_name": refs(f"var.{kind}_database_name"),
                    "endpoint_id": refs("var.environment"),
                    "endpoint_type": const(kind),
                    "engine_name": const(ENGINE),
                    "password": refs(f"var.{kind}_password"),
                    "port": const(5432),
                    "server_name": refs(f"var.{kind}_server_name"),
                    "ssl_mode": const("require"),
                    "username": refs(f"var.{kind}_username"),
                }
                extra = {}
            endpoint_addresses[kind] = f"aws_dms_endpoint.{name}{key_text(key)}"
            self.add("aws_dms_endpoint", name, {
                "certificate_arn": "",
                "database_name": self.target_database_name() if kind == "target" else DATABASE_NAME,
                "endpoint_arn": arn,
                "endpoint_id": f"{PREFIX}-{kind}",
                "endpoint_type": kind,
                "engine_name": ENGINE,
                "extra_connection_attributes": "",
                "id": f"{PREFIX}-{kind}",
                "kms_key_arn": KMS_DMS,
                "password": UNKNOWN if kind == "target" and tgt_fresh else CANARY,
                "port": 5432,
                "postgres_settings": [],
                "redshift_settings": [],
                "server_name": UNKNOWN if unknown_server else rds_endpoint(server["id"]),
                "ssl_mode": "require",
                "tags_all": tags_all(),
                "username": MASTER_USERNAME,
            }, expressions, key=key, module=m, timeouts={"create": 5, "delete": 5}, **extra)

        task_name, task_key = p["task"]
        started = self.at_least("loading")
        new_endpoints = {k: self.new(f"{mp}aws_dms_endpoint.{names if style == 'map' else names[k]}") for k in ("source", "target")}
        task_expressions = {
            "migration_type": (refs("each.value.migration_type") if task_key
                               else const(self.knob("loading_migration_type") if started else MIGRATION_TYPE)),
            "replication_instance_arn": refs(f"aws_dms_replication_instance.{p['dms_instance']}.replication_instance_arn"),
            "replication_task_id": refs("var.environment"),
            "replication_task_settings": OPAQUE,
            "source_endpoint_arn": refs(f"{endpoint_addresses['source']}.endpoint_arn"),
            "start_replication_task": (refs("each.value.start_replication_task") if task_key
                                       else refs("var.start_replication_task")),
            "table_mappings": OPAQUE,
            "target_endpoint_arn": refs(f"{endpoint_addresses['target']}.endpoint_arn"),
        }
        self.add("aws_dms_replication_task", task_name, {
            "cdc_start_position": "" if not started else "2026-11-23T09:41:17",
            "cdc_start_time": None,
            "id": f"{PREFIX}-migration",
            "migration_type": self.knob("loading_migration_type") if started else MIGRATION_TYPE,
            "replication_instance_arn": UNKNOWN if instance_fresh else DMS["instance_arn"],
            "replication_task_arn": DMS["task_arn"],
            "replication_task_id": f"{PREFIX}-migration",
            "replication_task_settings": TASK_SETTINGS_CONFIG if self.new(f"{mp}aws_dms_replication_task.{task_name}") else TASK_SETTINGS_STATE,
            "source_endpoint_arn": UNKNOWN if new_endpoints["source"] else DMS["source_arn"],
            "start_replication_task": started,
            # Runbook step 11 stops the task after the cutover deploy.
            "status": "stopped" if self.now >= 3.5 else "running" if started else "ready",
            "table_mappings": TABLE_MAPPINGS,
            "tags_all": tags_all(),
            "target_endpoint_arn": UNKNOWN if new_endpoints["target"] else DMS["target_arn"],
        }, task_expressions, key=task_key, module=m,
            **({"for_each_expression": refs("var.replication_tasks")} if task_key else {}))

    # ---- the monitoring module (kept after the migration) ----------------------

    def monitoring(self):
        """A CPU alarm on the cluster the application uses: it follows the cutover."""
        p = self.p
        database = TARGET if self.at_least("cutover") else SOURCE
        name = f"{PREFIX}-database-cpu"
        self.add("aws_cloudwatch_metric_alarm", p["mon_alarm"], {
            "actions_enabled": True,
            "alarm_actions": [],
            "alarm_description": "Aurora CPU at or above 80% for 15 minutes",
            "alarm_name": name,
            "arn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{name}",
            "comparison_operator": "GreaterThanOrEqualToThreshold",
            "datapoints_to_alarm": 0,
            "dimensions": {"DBClusterIdentifier": database["id"]},
            "evaluate_low_sample_count_percentiles": "",
            "evaluation_periods": 3,
            "extended_statistic": "",
            "id": name,
            "insufficient_data_actions": [],
            "metric_name": "CPUUtilization",
            "namespace": "AWS/RDS",
            "ok_actions": [],
            "period": 300,
            "statistic": "Average",
            "tags_all": tags_all(),
            "threshold": 80,
            "threshold_metric_id": "",
            "treat_missing_data": "missing",
            "unit": "",
        }, {
            "alarm_description": const("Aurora CPU at or above 80% for 15 minutes"),
            "alarm_name": refs("var.environment"),
            "comparison_operator": const("GreaterThanOrEqualToThreshold"),
            "dimensions": refs("var.cluster_identifier"),
            "evaluation_periods": const(3),
            "metric_name": const("CPUUtilization"),
            "namespace": const("AWS/RDS"),
            "period": const(300),
            "statistic": const("Average"),
            "threshold": const(80),
        }, module=p["mon_module"], version=1)

    def monitoring_module_call(self):
        p = self.p
        cluster = self.tgt_cluster if self.at_least("cutover") else self.src_cluster
        return {
            "name": p["mon_module"],
            "source": "./modules/monitoring",
            "expressions": {
                "cluster_identifier": refs(f"{cluster}.cluster_identifier"),
                "environment": refs("var.environment"),
            },
            "variables": {
                "cluster_identifier": {"description": "Aurora cluster the application uses"},
                "environment": {},
            },
            "outputs": {"alarm_arn": {"expression": refs(f"aws_cloudwatch_metric_alarm.{p['mon_alarm']}.arn")}},
        }

    # ---- module calls, variables, outputs -----------------------------------

    def module_calls(self):
        """The configuration's module calls at this stage, sorted by name."""
        calls = [self.monitoring_module_call()]
        dms = self.dms_module_call()
        if dms:
            calls.append(dms)
        return sorted(calls, key=lambda call: call["name"])

    def dms_module_call(self):
        """The DMS module call of the configuration at this stage, or None."""
        if not self.dms_lives:
            return None
        p = self.p
        style, names = p["endpoints"]
        started = self.at_least("loading")
        src, tgt = self.src_cluster, self.tgt_cluster
        # Kept after cleanup: the source cluster is gone, so its host comes from a variable.
        orphaned = self.at_least("cleaned")
        src_host = "var.legacy_db_host" if orphaned else f"{src}.endpoint"
        # The copy-paste slip: the target endpoint gets the source's host.
        tgt_host = src_host if self.knob("target_endpoint_on_source") else f"{tgt}.endpoint"
        src_details = [] if orphaned else [f"{src}.database_name", f"{src}.master_username"]
        secret = f"data.aws_secretsmanager_secret_version.{p['secret_data']}.secret_string"
        expressions = {
            "environment": refs("var.environment"),
            "rds_security_group_id": refs(f"aws_security_group.{p['sg_rds']}.id"),
            "subnet_ids": refs(f"aws_subnet.{p['subnets']}[*].id"),
            "vpc_id": refs(f"aws_vpc.{p['vpc']}.id"),
        }
        variables = {
            "environment": {},
            "rds_security_group_id": {"description": "Security group of the source and target clusters"},
            "subnet_ids": {},
            "vpc_id": {},
        }
        if style == "map":
            expressions["endpoints"] = refs(src_host, *src_details,
                                            "var.db_password", tgt_host, f"{tgt}.database_name",
                                            f"{tgt}.master_username", secret)
            variables["endpoints"] = {"description": "DMS endpoints, keyed by endpoint type (source, target)"}
        else:
            for kind, cluster, host in (("source", src, src_host), ("target", tgt, tgt_host)):
                expressions[f"{kind}_server_name"] = refs(host)
                if orphaned and kind == "source":
                    expressions[f"{kind}_database_name"] = const(DATABASE_NAME)
                    expressions[f"{kind}_username"] = const(MASTER_USERNAME)
                else:
                    expressions[f"{kind}_database_name"] = refs(f"{cluster}.database_name")
                    expressions[f"{kind}_username"] = refs(f"{cluster}.master_username")
                variables[f"{kind}_server_name"] = {"description": f"Host name of the {kind} cluster's writer endpoint"}
                variables[f"{kind}_database_name"] = {}
                variables[f"{kind}_username"] = {}
                variables[f"{kind}_password"] = {"sensitive": True}
            expressions["source_password"] = refs("var.db_password")
            expressions["target_password"] = refs(secret)
        task_name, task_key = p["task"]
        if task_key:
            default = {task_key: {"migration_type": MIGRATION_TYPE, "start_replication_task": False}}
            variables["replication_tasks"] = {"default": default}
            if started:
                expressions["replication_tasks"] = const(
                    {task_key: {"migration_type": self.knob("loading_migration_type"), "start_replication_task": True}})
        else:
            variables["start_replication_task"] = {"default": False,
                                                   "description": "Start the task once it exists (runbook: full load)"}
            if started:
                expressions["start_replication_task"] = const(True)
        endpoint_output = ({"references": [f"aws_dms_endpoint.{names}"]} if style == "map"
                           else refs(f"aws_dms_endpoint.{names['source']}.endpoint_arn",
                                     f"aws_dms_endpoint.{names['target']}.endpoint_arn"))
        outputs = {
            "endpoint_arns": {"expression": endpoint_output},
            "replication_instance_arn": {"expression": refs(
                f"aws_dms_replication_instance.{p['dms_instance']}.replication_instance_arn")},
            "replication_task_arns" if task_key else "replication_task_arn": {"expression": (
                {"references": [f"aws_dms_replication_task.{task_name}"]} if task_key
                else refs(f"aws_dms_replication_task.{task_name}.replication_task_arn"))},
        }
        call = {
            "name": p["module"],
            "source": p["module_source"],
            "expressions": dict(sorted(expressions.items())),
            "variables": dict(sorted(variables.items())),
            "outputs": dict(sorted(outputs.items())),
        }
        if p.get("module_version"):
            call["version_constraint"] = p["module_version"]
        return call

    def outputs(self):
        """Root outputs: {name: (value, expression)}; value may be UNKNOWN."""
        p = self.p
        o = p["outputs"]
        result = {}
        on_target = self.at_least("cutover")
        app_cluster = self.tgt_cluster if on_target else self.src_cluster
        app_db = TARGET if on_target else SOURCE
        result[o["app_db"]] = (rds_endpoint(app_db["id"]), refs(f"{app_cluster}.endpoint"))
        # A healthy cutover drops the output that hands the source's endpoint to other stacks.
        if self.before(self.knob("source_output_until")) and self.before("cleaned"):
            result[o["source"]] = (rds_endpoint(SOURCE["id"]), refs(f"{self.src_cluster}.endpoint"))
        if self.at_least("prepared"):
            result[o["target"]] = (self.maybe(rds_endpoint(TARGET["id"]), self.tgt_cluster),
                                   refs(f"{self.tgt_cluster}.endpoint"))
        if self.dms_lives:
            task_name, task_key = p["task"]
            module = f"module.{p['module']}"
            traversal = (f'{module}.replication_task_arns["{task_key}"]' if task_key
                         else f"{module}.replication_task_arn")
            fresh = self.new(f"{module}.aws_dms_replication_task.{task_name}")
            result[o["task"]] = (UNKNOWN if fresh else DMS["task_arn"], refs(traversal))
        return dict(sorted(result.items()))

    def variables(self):
        """Root variable declarations (configuration) and their values (plan)."""
        declarations = {
            "blue_target_group_arn": {"description": "Target group CodeDeploy shifts the web service's traffic to"},
            "db_password": {"description": "Master password of the source Aurora cluster", "sensitive": True},
            "docker_image": {"description": "Image the ECS services run"},
            "environment": {"description": "Deployment environment"},
            "rails_master_key": {"sensitive": True},
        }
        values = {
            "blue_target_group_arn": TARGET_GROUP_ARN,
            "db_password": CANARY,
            "docker_image": IMAGE,
            "environment": ENV,
            "rails_master_key": CANARY,
        }
        if self.at_least("cleaned"):
            if self.dms_lives:
                # The kept DMS module still needs the source's host and password.
                declarations["legacy_db_host"] = {"description": "Host name of the old Aurora cluster (DMS source endpoint)"}
                values["legacy_db_host"] = rds_endpoint(SOURCE["id"])
            else:
                del declarations["db_password"], values["db_password"]
        return dict(sorted(declarations.items())), dict(sorted(values.items()))


# --------------------------------------------------------------------------
# Attribute builders


def cluster_values(db, parameter_group, managed_secret, deletion_protection, members, created,
                   final_snapshot, apply_immediately=None, logs=None):
    cluster_id = db["id"]
    return {
        "allocated_storage": 1,
        "allow_major_version_upgrade": None,
        "apply_immediately": apply_immediately,
        "arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:{cluster_id}",
        "availability_zones": ["eu-west-2a", "eu-west-2b", "eu-west-2c"],
        "backtrack_window": 0,
        "backup_retention_period": 7,
        "ca_certificate_identifier": "rds-ca-rsa2048-g1",
        "ca_certificate_valid_till": "2061-11-20T10:00:00Z" if created.startswith("2026") else "2061-03-11T09:30:00Z",
        "cluster_identifier": cluster_id,
        "cluster_identifier_prefix": "",
        "cluster_members": sorted(members),
        "cluster_resource_id": db["resource_id"],
        "cluster_scalability_type": "standard",
        "copy_tags_to_snapshot": False,
        "database_insights_mode": "standard",
        "database_name": DATABASE_NAME,
        "db_cluster_instance_class": "",
        "db_cluster_parameter_group_name": parameter_group,
        "db_subnet_group_name": f"{PREFIX}-db",
        "db_system_id": "",
        "delete_automated_backups": True,
        "deletion_protection": deletion_protection,
        "domain": "",
        "domain_iam_role_name": "",
        "enable_global_write_forwarding": False,
        "enable_http_endpoint": False,
        "enable_local_write_forwarding": False,
        "enabled_cloudwatch_logs_exports": logs,
        "endpoint": rds_endpoint(cluster_id),
        "engine": ENGINE,
        "engine_lifecycle_support": "open-source-rds-extended-support",
        "engine_mode": "provisioned",
        "engine_version": ENGINE_VERSION,
        "engine_version_actual": ENGINE_VERSION,
        "final_snapshot_identifier": final_snapshot,
        "global_cluster_identifier": "",
        "hosted_zone_id": "Z1TTGA775OQIYO",
        "iam_database_authentication_enabled": False,
        "iam_roles": [],
        "id": cluster_id,
        "iops": 0,
        "kms_key_id": KMS_RDS,
        "manage_master_user_password": True if managed_secret else None,
        "master_password": None if managed_secret else CANARY,
        "master_user_secret": ([{"kms_key_id": KMS_SECRETS, "secret_arn": db["secret_arn"], "secret_status": "active"}]
                               if managed_secret else []),
        "master_user_secret_kms_key_id": KMS_SECRETS if managed_secret else "",
        "master_username": MASTER_USERNAME,
        "monitoring_interval": 0,
        "monitoring_role_arn": "",
        "network_type": "IPV4",
        "performance_insights_enabled": False,
        "performance_insights_kms_key_id": "",
        "performance_insights_retention_period": 0,
        "port": 5432,
        "preferred_backup_window": "01:00-02:00",
        "preferred_maintenance_window": "sun:03:00-sun:03:30",
        "reader_endpoint": rds_endpoint(cluster_id, reader=True),
        "replication_source_identifier": "",
        "skip_final_snapshot": False,
        "storage_encrypted": True,
        "storage_type": "",
        "tags_all": tags_all(),
        "vpc_security_group_ids": [SG["rds"]],
    }


def instance_values(db, instance, writer, promotion_tier):
    return {
        "apply_immediately": None,
        "arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:db:{instance['id']}",
        "auto_minor_version_upgrade": True,
        "availability_zone": instance["az"],
        "ca_cert_identifier": "rds-ca-rsa2048-g1",
        "cluster_identifier": db["id"],
        "copy_tags_to_snapshot": False,
        "db_parameter_group_name": f"default.{FAMILY}",
        "db_subnet_group_name": f"{PREFIX}-db",
        "dbi_resource_id": instance["dbi"],
        "endpoint": f"{instance['id']}.{RDS_SUFFIX}",
        "engine": ENGINE,
        "engine_version": ENGINE_VERSION,
        "engine_version_actual": ENGINE_VERSION,
        "force_destroy": False,
        "id": instance["id"],
        "identifier": instance["id"],
        "identifier_prefix": "",
        "instance_class": INSTANCE_CLASS,
        "kms_key_id": KMS_RDS,
        "monitoring_interval": 0,
        "monitoring_role_arn": "",
        "network_type": "IPV4",
        "performance_insights_enabled": False,
        "performance_insights_kms_key_id": "",
        "performance_insights_retention_period": 0,
        "port": 5432,
        "preferred_backup_window": "01:00-02:00",
        "preferred_maintenance_window": "sun:03:00-sun:03:30" if db is SOURCE else "tue:04:00-tue:04:30",
        "promotion_tier": promotion_tier,
        "publicly_accessible": False,
        "storage_encrypted": True,
        "tags_all": tags_all(),
        "writer": writer,
    }


def policy_document(statements):
    """The aws_iam_policy_document outputs for known statements."""
    rendered = []
    for statement in statements:
        entry = {"Sid": statement["sid"], "Effect": "Allow"}
        actions = sorted(statement["actions"])
        entry["Action"] = actions[0] if len(actions) == 1 else actions
        # The provider renders schema.Set elements in the SDK's set order: hash
        # codes (CRC-32) compared as decimal strings.
        resources = sorted((r for r in statement["resources"] if r is not UNKNOWN),
                           key=lambda r: str(zlib.crc32(r.encode())))
        entry["Resource"] = resources[0] if len(resources) == 1 else resources
        rendered.append(entry)
    document = {"Version": "2012-10-17", "Statement": rendered}
    return {
        "json": json.dumps(document, indent=2),
        "minified_json": json.dumps(document, separators=(",", ":")),
        "normalized": json_string(document),
    }


def container_definitions(family, server_type, database, secrets, stream_prefix, port=None):
    container = {
        "environment": [
            {"name": "DB_HOST", "value": rds_endpoint(database["id"])},
            {"name": "DB_NAME", "value": DATABASE_NAME},
            {"name": "SERVER_TYPE", "value": server_type},
        ],
        "essential": True,
        "image": IMAGE,
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {"awslogs-group": LOG_GROUP, "awslogs-region": REGION, "awslogs-stream-prefix": stream_prefix},
        },
        "name": family,
        "secrets": [{"name": n, "valueFrom": v} for n, v in secrets],
    }
    if port:
        container["portMappings"] = [{"containerPort": port, "hostPort": port, "protocol": "tcp"}]
    # The provider stores the definitions normalised: keys sorted, empty values dropped.
    return json_string([container])


def task_definition_values(family, revision, definitions):
    arn = task_def_arn(family, revision)
    return {
        "arn": arn,
        "arn_without_revision": arn.rsplit(":", 1)[0],
        "container_definitions": definitions,
        "cpu": "1024",
        "enable_fault_injection": False,
        "execution_role_arn": ROLE_ARN,
        "family": family,
        "id": family,
        "memory": "2048",
        "network_mode": "awsvpc",
        "requires_compatibilities": ["FARGATE"],
        "revision": revision,
        "skip_destroy": False,
        "tags_all": tags_all(),
        "task_role_arn": ROLE_ARN,
        "track_latest": False,
    }


def task_definition_config(world, cluster, container_refs, port=None):
    p = world.p
    traversals = ["local.name_prefix", "var.docker_image"] + container_refs + [
        f"aws_cloudwatch_log_group.{p['log_group']}.name"]
    return {
        "container_definitions": refs(*traversals),
        "cpu": const("1024"),
        "execution_role_arn": refs(f"aws_iam_role.{p['role']}.arn"),
        "family": refs("local.name_prefix"),
        "memory": const("2048"),
        "network_mode": const("awsvpc"),
        "requires_compatibilities": const(["FARGATE"]),
        "task_role_arn": refs(f"aws_iam_role.{p['role']}.arn"),
    }


def service_values(family, task_definition, desired, groups, deployment, load_balancer=()):
    return {
        "availability_zone_rebalancing": "DISABLED",
        "cluster": ECS_CLUSTER_ARN,
        "deployment_controller": [{"type": "CODE_DEPLOY"}] if deployment == "CODE_DEPLOY" else [],
        "deployment_maximum_percent": 200,
        "deployment_minimum_healthy_percent": 100,
        "desired_count": desired,
        "enable_ecs_managed_tags": False,
        "enable_execute_command": True,
        "iam_role": "/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
        "id": f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/{PREFIX}/{family}",
        "launch_type": "FARGATE",
        "load_balancer": list(load_balancer),
        "name": family,
        "network_configuration": [{"assign_public_ip": False, "security_groups": groups,
                                   "subnets": sorted(s["id"] for s in SUBNETS)}],
        "platform_version": "LATEST",
        "scheduling_strategy": "REPLICA",
        "tags_all": tags_all(),
        "task_definition": task_definition,
        "triggers": {},
        "wait_for_steady_state": False,
    }


TASK_SETTINGS_CONFIG = json_string({
    "FullLoadSettings": {"TargetTablePrepMode": "DO_NOTHING"},
    "Logging": {"EnableLogging": True},
    "TargetMetadata": {"FullLobMode": False, "LimitedSizeLobMode": True, "LobMaxSize": 32, "SupportLobs": True,
                       "TargetSchema": ""},
})

# What DMS reports back once the task exists: the configured settings merged into
# the service defaults (AWS's own key order, as the provider stores it).
TASK_SETTINGS_STATE = json.dumps({
    "Logging": {"EnableLogging": True, "EnableLogContext": False, "LogComponents": [
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "TRANSFORMATION"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "SOURCE_UNLOAD"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "IO"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "TARGET_LOAD"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "PERFORMANCE"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "SOURCE_CAPTURE"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "SORTER"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "REST_SERVER"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "VALIDATOR_EXT"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "TARGET_APPLY"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "TASK_MANAGER"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "TABLES_MANAGER"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "METADATA_MANAGER"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "FILE_FACTORY"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "COMMON"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "ADDONS"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "DATA_STRUCTURE"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "COMMUNICATION"},
        {"Severity": "LOGGER_SEVERITY_DEFAULT", "Id": "FILE_TRANSFER"}],
        "CloudWatchLogGroup": f"dms-tasks-{PREFIX}-dms",
        "CloudWatchLogStream": "dms-task-M4XZ7KQ2VJ5NRB3WPLHT6YCDHB"},
    "StreamBufferSettings": {"StreamBufferCount": 3, "CtrlStreamBufferSizeInMB": 5, "StreamBufferSizeInMB": 8},
    "ErrorBehavior": {"FailOnNoTablesCaptured": True, "ApplyErrorUpdatePolicy": "LOG_ERROR",
                      "FailOnTransactionConsistencyBreached": False, "RecoverableErrorThrottlingMax": 1800,
                      "DataErrorEscalationPolicy": "SUSPEND_TABLE", "ApplyErrorEscalationCount": 0,
                      "RecoverableErrorStopRetryAfterThrottlingMax": True, "RecoverableErrorThrottling": True,
                      "ApplyErrorFailOnTruncationDdl": False, "DataTruncationErrorPolicy": "LOG_ERROR",
                      "ApplyErrorInsertPolicy": "LOG_ERROR", "EventErrorPolicy": "IGNORE",
                      "ApplyErrorEscalationPolicy": "LOG_ERROR", "RecoverableErrorCount": -1,
                      "DataErrorEscalationCount": 0, "TableErrorEscalationPolicy": "STOP_TASK",
                      "RecoverableErrorInterval": 5, "ApplyErrorDeletePolicy": "IGNORE_RECORD",
                      "TableErrorEscalationCount": 0, "FullLoadIgnoreConflicts": True, "DataErrorPolicy": "LOG_ERROR",
                      "TableErrorPolicy": "SUSPEND_TABLE"},
    "TTSettings": {"TTS3Settings": None, "TTRecordSettings": None, "EnableTT": False},
    "FullLoadSettings": {"CommitRate": 10000, "StopTaskCachedChangesApplied": False,
                         "StopTaskCachedChangesNotApplied": False, "MaxFullLoadSubTasks": 8,
                         "TransactionConsistencyTimeout": 600, "CreatePkAfterFullLoad": False,
                         "TargetTablePrepMode": "DO_NOTHING"},
    "TargetMetadata": {"ParallelApplyBufferSize": 0, "ParallelApplyQueuesPerThread": 0, "ParallelApplyThreads": 0,
                       "TargetSchema": "", "InlineLobMaxSize": 0, "ParallelLoadQueuesPerThread": 0,
                       "SupportLobs": True, "LobChunkSize": 0, "TaskRecoveryTableEnabled": False,
                       "ParallelLoadThreads": 0, "LobMaxSize": 32, "BatchApplyEnabled": False, "FullLobMode": False,
                       "LimitedSizeLobMode": True, "LoadMaxFileSize": 0, "ParallelLoadBufferSize": 0},
    "BeforeImageSettings": None,
    "ControlTablesSettings": {"historyTimeslotInMinutes": 5, "HistoryTimeslotInMinutes": 5,
                              "StatusTableEnabled": False, "SuspendedTablesTableEnabled": False,
                              "HistoryTableEnabled": False, "ControlSchema": "", "FullLoadExceptionTableEnabled": False},
    "LoopbackPreventionSettings": None,
    "CharacterSetSettings": None,
    "FailTaskWhenCleanTaskResourceFailed": False,
    "ChangeProcessingTuning": {"StatementCacheSize": 50, "CommitTimeout": 1, "RecoveryTimeout": -1,
                               "BatchApplyPreserveTransaction": True, "BatchApplyTimeoutMin": 1,
                               "BatchSplitSize": 0, "BatchApplyTimeoutMax": 30, "MinTransactionSize": 1000,
                               "MemoryKeepTime": 60, "BatchApplyMemoryLimit": 500, "MemoryLimitTotal": 1024},
    "ChangeProcessingDdlHandlingPolicy": {"HandleSourceTableDropped": True, "HandleSourceTableTruncated": True,
                                          "HandleSourceTableAltered": True},
    "PostProcessingRules": None,
}, separators=(",", ":"))
