"""The breaking variants: for every rule, documents of the phase it guards with one
thing changed the way a real team gets it wrong (../README.md says what each
breaks and which findings prove it).

A variant is the healthy migration of world.py with a few knobs turned (see
world.KNOBS), optionally a different naming profile, and, for a plan, the
resources Terraform has to replace because of the change. Its file name carries
the rule, a slug and the phase the document belongs to:

    rules/MIG006-rate-30-days.prepare.plan.json     `terraform show -json tfplan`
    rules/MIG002-replica-after-cutover.cutover.state.json   `terraform show -json`
    rules/MIG011-dms-module-kept.cleanup.tfstate    raw terraform.tfstate
"""


class Variant:
    def __init__(self, rule, slug, phase, kind="plan", profile=None, knobs=None, replace=None,
                 folder="rules", stages=None, next_knobs=None):
        self.rule = rule
        self.slug = slug
        self.phase = phase
        self.kind = kind
        self.profile = profile
        self.knobs = knobs or {}
        # {qualified config address (profile keys in braces): replace_paths}
        self.replace = replace or {}
        self.folder = folder
        # (prior stage, planned stage) instead of the phase's; and knobs only the planned
        # configuration turns (what this deploy changes), on top of `knobs`.
        self.stages = stages
        self.next_knobs = next_knobs or {}

    @property
    def name(self):
        return f"{self.rule}-{self.slug}.{self.phase}" if self.rule else f"{self.slug}.{self.phase}"

    @property
    def path(self):
        extension = {"plan": "plan.json", "state": "state.json", "tfstate": "tfstate"}[self.kind]
        return f"{self.folder}/{self.name}.{extension}"


VARIANTS = [
    # The target pinned to the previous major version (its parameter group family left at 16).
    Variant("MIG001", "target-engine-15", "prepare", knobs={"target_engine_version": "15.4"}),

    # session_replication_role set to origin from the start: the full load runs with foreign keys on.
    Variant("MIG002", "origin-while-loading", "prepare", knobs={"target_origin_from": "prepared"}),
    # The cutover deploy forgets to move session_replication_role back to origin.
    Variant("MIG002", "replica-at-cutover", "cutover", knobs={"target_origin_from": "cleaned"}),
    # ... and the state that deploy leaves behind.
    Variant("MIG002", "replica-after-cutover", "cutover", kind="state", knobs={"target_origin_from": "cleaned"}),

    # rds.logical_replication with apply_method immediate (the provider's default).
    Variant("MIG003", "apply-immediate", "prepare", knobs={"source_apply_method": "immediate"}),

    # The for_each map gives the writer-to-be promotion_tier 0.
    Variant("MIG004", "writer-tier-0", "prepare", knobs={"target_tiers": {"primary-1": 0, "primary-2": 1}}),

    # The for_each map of target instances has one entry.
    Variant("MIG005", "single-target-instance", "prepare", knobs={"target_instance_keys": ["primary-1"]}),

    # The target's rotation 30 days apart instead of 400.
    Variant("MIG006", "rate-30-days", "prepare", knobs={"rotation_schedule": "rate(30 days)"}),
    # The normal weekly cron schedule restored by the full-load deploy instead of the cleanup.
    Variant("MIG006", "cron-during-full-load", "full-load", knobs={"rotation_cron_from": "loading"}),
    # rotate_immediately = true on the 400-day rotation.
    Variant("MIG006", "rotate-immediately", "prepare", knobs={"rotate_immediately": True}),

    # Cleanup step 1 skipped: the source still has deletion protection when the plan destroys it.
    Variant("MIG007", "source-still-protected", "cleanup", knobs={"source_protection_kept": True}),

    # database_name of the target changed during the full load: Terraform replaces the
    # cluster, and with it everything that takes its id or secret (instances, rotation,
    # the schema-prep task definition).
    Variant("MIG008", "target-replaced-database-name", "full-load", profile="baseline",
            knobs={"target_database_name": ("loading", "mavis")},
            replace={"aws_rds_cluster.{tgt_cluster}": [["database_name"]],
                     "aws_rds_cluster_instance.{tgt_instances}": [["cluster_identifier"]],
                     "aws_secretsmanager_secret_rotation.{rotation}": [["secret_id"]],
                     "aws_ecs_task_definition.{prep_td}": [["container_definitions"]]}),

    # The source was created without final_snapshot_identifier (skip_final_snapshot = false).
    Variant("MIG009", "no-final-snapshot-identifier", "cleanup", knobs={"source_final_snapshot": False}),

    # terraform-aws-modules/dms layout; the endpoints map's target entry copies the source's server_name.
    Variant("MIG010", "target-endpoint-on-source", "full-load", profile="full_load_tam",
            knobs={"target_endpoint_on_source": True}),
    # The deploy that starts the task also sets migration_type = "full-load".
    Variant("MIG010", "migration-type-full-load", "full-load", knobs={"loading_migration_type": "full-load"}),
    # terraform-aws-modules/dms layout while the target is created: the target endpoint's
    # server_name is unknown until apply and only `each.value` refers to it: open.
    Variant("MIG010", "module-endpoint-unknown", "prepare", profile="baseline_tam"),

    # The cleanup keeps the DMS module (its source host now from a variable).
    Variant("MIG011", "dms-module-kept", "cleanup", knobs={"dms_kept": True}),
    # ... and the raw state after that cleanup was applied.
    Variant("MIG011", "dms-module-kept", "cleanup", kind="tfstate", knobs={"dms_kept": True}),

    # The worker's DB_HOST stays on the source while its secret moves to the target.
    Variant("MIG012", "worker-db-host-on-source", "cutover", knobs={"worker_host_source": True}),
    # The root output with the source's endpoint is kept at cutover.
    Variant("MIG012", "old-endpoint-output", "cutover", knobs={"source_output_until": "cleaned"}),
    # The target's engine_version still refers to the source cluster at cutover.
    Variant("MIG012", "engine-version-from-source", "cutover", knobs={"target_version_ref_until": "cleaned"}),

    # The source's password is RDS-managed; the ECS secrets policy keeps granting only
    # that old secret, never the target's.
    Variant("MIG013", "policy-grants-old-secret", "cutover",
            knobs={"source_managed_secret": True, "policy_grants_target_secret": False}),
]

# Plans whose phase is easy to guess wrong (inference/<slug>.<phase>.plan.json): each is a
# real deploy of the migration, named with the phase it belongs to. Without --phase migcheck
# must judge it under every phase its evidence fits, so a wrong guess never passes it.
INFERENCE = [
    # The full-load deploy removes the DMS module while the target is still on replica and the
    # services still use the source: it looks like cleanup (DMS destroyed) but is not.
    Variant(None, "dms-destroyed-while-loading", "full-load", folder="inference", knobs={"dms_until": "loading"}),
    # Cleanup step 1 as its own deploy: only the source's deletion protection off and its final
    # snapshot identifier set; the target has been on origin since the cutover.
    Variant(None, "first-cleanup-deploy", "cleanup", folder="inference", stages=("cutover", "cutover"),
            knobs={"source_release": "pending"}, next_knobs={"source_release": "released"}),
    # The full-load deploy already moves session_replication_role to origin while the services
    # still use the source: it looks like a cutover that forgot the services.
    Variant(None, "origin-before-switch", "full-load", folder="inference", knobs={"target_origin_from": "loading"}),
]


def by_name(name):
    """The variant whose `name` (e.g. `MIG006-rate-30-days.prepare`) or path is given."""
    for variant in VARIANTS + INFERENCE:
        if name in (variant.name, variant.path):
            return variant
    raise KeyError(f"no variant {name}; known: {', '.join(v.name for v in VARIANTS + INFERENCE)}")
