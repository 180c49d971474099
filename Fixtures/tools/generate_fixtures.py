#!/usr/bin/env python3
"""Writes migcheck's Terraform fixtures (see ../README.md).

    python3 Fixtures/tools/generate_fixtures.py            # rewrite every fixture
    python3 Fixtures/tools/generate_fixtures.py --check    # fail if a fixture is stale

It writes the breaking variants of breaking.py (rules/MIGnnn-<slug>.<phase>.<kind>)
and the deploys of inference/; a folder it writes holds nothing else but the fixtures
e2e_fixtures.py takes from a real Terraform run (--check reports a stray file, a
rewrite removes it). The healthy documents of the phases are Terraform's own now
(e2e_fixtures.REAL); the model still builds them, as the prior states and the
configurations the variants change.

Deterministic: fixed timestamps, ARNs (account 123456789012, eu-west-2), lineage.
The documents are shaped like Terraform 1.9 with hashicorp/aws 5.x wrote them:
`terraform show -json` output compact on one line, terraform.tfstate indented by
two spaces. world.py holds the modelled account and configuration, tfjson.py the
JSON mechanics, aws_provider_schema.json the provider schema (every attribute of
every resource appears, null where unset, as Terraform writes them).

Extra modes for checking the model against a real Terraform (not needed to
regenerate the fixtures):

    --seed PHASE DIR       write DIR/terraform.tfstate: the baseline-profile state
                           the given plan phase starts from
    --baseline-plan PHASE FILE
                           the plan of a phase built with the baseline profile
    --raw-state PROFILE STAGE FILE
                           a terraform.tfstate of any profile and stage
    --variant NAME         with the three above: a breaking variant's knobs
                           and forced replacements (breaking.py)
(oracle/check.sh runs all of them against terraform; see oracle/README.md)
"""

import argparse
import copy
import hashlib
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the fixtures
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tfjson import (UNKNOWN, Schema, after_unknown, cty_sorted, go_json, omit_unknowns,  # noqa: E402
                    referenced_traversals, sensitive_mask, sensitive_paths, wholly_known)
import world as w  # noqa: E402
import breaking  # noqa: E402
from e2e_fixtures import REAL  # noqa: E402
from fixture_files import write_or_check  # noqa: E402

TERRAFORM_VERSION = "1.9.8"
PLAN_FORMAT = "1.2"
STATE_FORMAT = "1.0"
FIXTURES = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = Schema()
PROVIDER = SCHEMA.provider
LINEAGE = "5d1e7c0a-8f3b-4c62-9a4e-b71d2c9e6f08"

# Attributes that are optional and computed in the schema but that the provider
# plans as known values (default tags) or that are SDKv2 lists behaving as
# computed blocks.
NOT_UNKNOWN_ON_CREATE = {"tags_all"}
COMPUTED_BLOCKS = {
    "aws_s3_bucket": {"cors_rule", "grant", "lifecycle_rule", "logging", "object_lock_configuration",
                      "replication_configuration", "server_side_encryption_configuration", "versioning", "website"},
    "aws_dms_endpoint": {"redshift_settings"},
    "aws_iam_role": {"inline_policy"},
}
# Optional attributes the provider plans as null on create but reads back as a
# zero value once the resource exists.
READ_BACK_ZERO = {
    "aws_rds_cluster": {"backtrack_window", "db_cluster_instance_class", "domain", "domain_iam_role_name",
                        "global_cluster_identifier", "iam_database_authentication_enabled", "iops",
                        "performance_insights_enabled", "replication_source_identifier"},
    "aws_vpc": {"assign_generated_ipv6_cidr_block", "ipv6_netmask_length"},
    "aws_subnet": {"customer_owned_ipv4_pool", "enable_lni_at_device_index", "ipv6_cidr_block",
                   "map_customer_owned_ip_on_launch", "outpost_arn"},
    "aws_iam_role": {"description", "permissions_boundary"},
    "aws_iam_policy": {"description"},
    "aws_cloudwatch_log_group": {"kms_key_id"},
    "aws_secretsmanager_secret_rotation": {"rotation_lambda_arn"},
    "aws_dms_endpoint": {"certificate_arn"},
}
READ_BACK_ZERO_NESTED = {
    "aws_secretsmanager_secret_rotation": {"rotation_rules": {"automatically_after_days", "duration"}},
}


# --------------------------------------------------------------------------
# Phases

PHASES = {
    # name: (profile, prior stage, planned stage, timestamp)
    "prepare": ("baseline", "initial", "prepared", "2026-11-20T10:00:00Z"),
    "full-load": ("full_load", "prepared", "loading", "2026-11-23T09:30:00Z"),
    "cutover": ("cutover", "loading", "cutover", "2026-11-25T07:15:00Z"),
    "cleanup": ("cleanup", "cutover", "cleaned", "2026-12-09T10:00:00Z"),
}


def build(profile, stage, fresh=(), refreshed=False, variant=None):
    return w.World(SCHEMA, profile, stage, w.Ctx(fresh), refreshed=refreshed, variant=variant)


def block_of(res):
    return SCHEMA.block(res.mode, res.type)


def version_of(res):
    return SCHEMA.version(res.mode, res.type)


def values_json(values):
    return cty_sorted(omit_unknowns(values))


def mask_json(values, res, schema_marks=True):
    return cty_sorted(sensitive_mask(values, block_of(res), schema_marks))


# --------------------------------------------------------------------------
# Configuration


def config_resource(res):
    entry = {
        "address": res.config_address,
        "mode": res.mode,
        "type": res.type,
        "name": res.name,
        "provider_config_key": "aws",
        "expressions": cty_sorted_expressions(res.expressions),
        "schema_version": version_of(res),
    }
    if res.count_expression is not None:
        entry["count_expression"] = cty_sorted_expressions(res.count_expression)
    if res.for_each_expression is not None:
        entry["for_each_expression"] = cty_sorted_expressions(res.for_each_expression)
    return entry


def cty_sorted_expressions(expressions):
    """Expression maps are Go maps (sorted); constant values are cty (sorted objects)."""
    if isinstance(expressions, list):
        return [cty_sorted_expressions(e) for e in expressions]
    if not isinstance(expressions, dict):
        return expressions
    if "constant_value" in expressions:
        return {"constant_value": cty_sorted(expressions["constant_value"])}
    if "references" in expressions:
        return expressions
    return {k: cty_sorted_expressions(expressions[k]) for k in sorted(expressions)}


def configuration(world):
    blocks = {}
    for res in world.resources:
        blocks.setdefault((res.module, res.config_address), res)

    def resources_of(module):
        chosen = [r for (m, _), r in blocks.items() if m == module]
        managed = sorted((r for r in chosen if r.mode == "managed"), key=lambda r: r.config_address)
        data = sorted((r for r in chosen if r.mode == "data"), key=lambda r: r.config_address)
        return [config_resource(r) for r in managed + data]

    declarations, _ = world.variables()
    root = {
        "outputs": {name: {"expression": expression} for name, (_, expression) in world.outputs().items()},
        "resources": resources_of(None),
    }
    calls = world.module_calls()
    if calls:
        root["module_calls"] = {}
        for call in calls:
            entry = {"source": call["source"], "expressions": call["expressions"],
                     "module": {"outputs": call["outputs"], "resources": resources_of(call["name"]),
                                "variables": call["variables"]}}
            if call.get("version_constraint"):
                entry["version_constraint"] = call["version_constraint"]
            root["module_calls"][call["name"]] = entry
    root["variables"] = declarations
    return {
        "provider_config": {
            "aws": {
                "name": "aws",
                "full_name": PROVIDER,
                "version_constraint": "~> 5.70",
                "expressions": {
                    "default_tags": [{"tags": {"references": ["var.environment"]}}],
                    "region": {"constant_value": w.REGION},
                },
            },
        },
        "root_module": root,
    }


# --------------------------------------------------------------------------
# Reference resolution (dependencies, relevant attributes)


def split_groups(references):
    """Original traversals of an expanded reference list (each group's first entry)."""
    groups = []
    for ref in references:
        if groups and (groups[-1].startswith(ref + ".") or groups[-1].startswith(ref + "[")):
            continue
        groups.append(ref)
    return groups


class Graph:
    def __init__(self, world):
        self.world = world
        self.blocks = {}
        for res in world.resources:
            self.blocks.setdefault(res.qualified_config_address, res)
        self.calls = {call["name"]: call for call in world.module_calls()}

    def resolve(self, traversal, module, owner=None):
        """Resource traversals (qualified) a reference finally reads, with their instance and path."""
        head = traversal.split(".")[0].split("[")[0]
        prefix = f"module.{module}." if module else ""
        if head == "var":
            if not module:
                return []
            name = traversal.split(".")[1].split("[")[0]
            expression = self.calls[module]["expressions"].get(name)
            if expression is None:
                return []
            out = []
            for inner in split_groups(expression.get("references", [])):
                out += self.resolve(inner, None)
            return out
        if head == "each":
            if owner is None or owner.for_each_expression is None:
                return []
            out = []
            for inner in split_groups(owner.for_each_expression.get("references", [])):
                out += self.resolve(inner, module)
            return out
        if head in ("local", "count", "path", "terraform", "self"):
            return []
        if head == "module":
            parts = traversal.split(".")
            name, output = parts[1], parts[2].split("[")[0]
            if name not in self.calls:
                return []
            out = []
            for inner in split_groups(self.calls[name]["outputs"][output]["expression"].get("references", [])):
                out += self.resolve(inner, name)
            return out
        return [prefix + traversal]

    def direct_dependencies(self, res):
        found = set()
        traversals = referenced_traversals(res.expressions)
        for extra in (res.count_expression, res.for_each_expression):
            if extra:
                traversals += referenced_traversals(extra)
        for traversal in split_groups(traversals):
            for target in self.resolve(traversal, res.module, res):
                found.add(config_address_of(target))
        found.discard(res.qualified_config_address)
        return found

    def dependencies(self, res):
        seen, queue = set(), [res.qualified_config_address]
        while queue:
            current = queue.pop()
            block = self.blocks.get(current)
            if block is None:
                continue
            for dep in self.direct_dependencies(block):
                if dep not in seen:
                    seen.add(dep)
                    queue.append(dep)
        seen.discard(res.qualified_config_address)
        return sorted(seen)


def config_address_of(traversal):
    """`module.m.aws_x.y["k"].attr` → `module.m.aws_x.y`."""
    parts, out = traversal.split("."), []
    i = 0
    while i < len(parts):
        if parts[i] == "module":
            out += parts[i:i + 2]
            i += 2
            continue
        if parts[i] == "data":
            out += [parts[i], parts[i + 1], parts[i + 2].split("[")[0]]
        else:
            out += [parts[i], parts[i + 1].split("[")[0]]
        break
    return ".".join(out)


def split_attribute(traversal):
    """(`resource instance address`, attribute path) of a qualified resource traversal."""
    import re
    parts = re.findall(r'\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+|"[^"]*"|\*)\]', traversal)
    tokens = []
    for name, index in parts:
        if name:
            tokens.append(("name", name))
        else:
            tokens.append(("index", index))
    address, i = [], 0
    while i < len(tokens) and tokens[i] == ("name", "module"):
        address.append(f"module.{tokens[i + 1][1]}")
        i += 2
        if i < len(tokens) and tokens[i][0] == "index":
            address[-1] += f"[{tokens[i][1]}]"
            i += 1
    count = 3 if tokens[i][1] == "data" else 2
    address.append(".".join(t[1] for t in tokens[i:i + count]))
    i += count
    if i < len(tokens) and tokens[i][0] == "index":
        if tokens[i][1] == "*":
            return ".".join(address), []
        address[-1] += f"[{tokens[i][1]}]"
        i += 1
    path = []
    for kind, value in tokens[i:]:
        if kind == "name":
            path.append(value)
        elif value == "*":
            break
        elif value.startswith('"'):
            path.append(value[1:-1])
        else:
            path.append(int(value))
    return ".".join(address), path


def relevant_attributes(world, changed, changed_outputs):
    """Approximates Terraform's globalref analysis (plan.RelevantAttributes).

    From every changed instance and output, references are followed: input
    variables to the module call's arguments, module outputs to their
    expressions, `each`/`count` to the owner's for_each/count (recording the
    owner as a whole), a resource attribute to that attribute's own expression
    when it is configured, an instance of a multi-instance resource also to the
    resource as a whole and its for_each/count, and a whole resource to its
    whole block.
    """
    graph = Graph(world)
    found, seen = [], set()
    queue = []
    for res in changed:
        for traversal in block_traversals(res):
            queue.append((res.module, traversal, res))
    for name in changed_outputs:
        for traversal in split_groups(world.outputs()[name][1]["references"]):
            queue.append((None, traversal, None))
    # Module outputs are not kept in state, so every plan creates them anew.
    for call in graph.calls.values():
        for output in call["outputs"].values():
            for traversal in split_groups(output["expression"].get("references", [])):
                queue.append((call["name"], traversal, None))
    while queue:
        module, traversal, owner = queue.pop(0)
        key = (module, traversal, owner.qualified_config_address if owner else None)
        if key in seen:
            continue
        seen.add(key)
        head = traversal.split(".")[0].split("[")[0]
        if head == "var":
            if module and module in graph.calls:
                name = traversal.split(".")[1].split("[")[0]
                expression = graph.calls[module]["expressions"].get(name, {})
                for inner in split_groups(expression.get("references", [])):
                    queue.append((None, inner, None))
            continue
        if head in ("each", "count"):
            if owner is not None:
                inner_refs = split_groups(referenced_traversals(owner.for_each_expression or owner.count_expression or {}))
                for inner in inner_refs:
                    queue.append((owner.module, inner, owner))
            continue
        if head in ("local", "path", "terraform", "self"):
            continue
        if head == "module":
            parts = traversal.split(".")
            name, output = parts[1], parts[2].split("[")[0]
            if name in graph.calls:
                for inner in split_groups(graph.calls[name]["outputs"][output]["expression"].get("references", [])):
                    queue.append((name, inner, None))
            continue
        qualified = (f"module.{module}." if module else "") + traversal
        address, path = split_attribute(qualified)
        found.append((address, path))
        block = graph.blocks.get(config_address_of(qualified))
        if block is None:
            continue
        multi = block.for_each_expression is not None or block.count_expression is not None
        if multi and address.endswith("]"):
            for inner in split_groups(referenced_traversals(block.for_each_expression or block.count_expression)):
                queue.append((block.module, inner, block))
        if not path:
            for inner in block_traversals(block):
                queue.append((block.module, inner, block))
        elif isinstance(path[0], str) and path[0] in block.expressions:
            for inner in split_groups(referenced_traversals(block.expressions[path[0]])):
                queue.append((block.module, inner, block))
    unique = []
    for address, path in found:
        entry = {"resource": address, "attribute": path}
        if entry not in unique:
            unique.append(entry)
    # Terraform writes them in map order: deterministic here, but not sorted.
    unique.sort(key=lambda e: hashlib.sha1(json.dumps(e).encode()).hexdigest())
    return unique


def block_traversals(res):
    traversals = referenced_traversals(res.expressions)
    for extra in (res.count_expression, res.for_each_expression):
        if extra:
            traversals += referenced_traversals(extra)
    return split_groups(traversals)


# --------------------------------------------------------------------------
# State documents


def state_resource(res, graph, values=None, with_depends=True, schema_marks=True):
    values = res.values if values is None else values
    entry = {
        "address": res.address,
        "mode": res.mode,
        "type": res.type,
        "name": res.name,
    }
    if res.key is not None:
        entry["index"] = res.key
    entry["provider_name"] = PROVIDER
    entry["schema_version"] = version_of(res)
    entry["values"] = values_json(values)
    entry["sensitive_values"] = mask_json(values, res, schema_marks)
    if with_depends and res.mode == "managed":
        dependencies = graph.dependencies(res)
        if dependencies:
            entry["depends_on"] = dependencies
    return entry


def module_tree(resources, entry_of, state_order=False):
    """planned_values lists resources by address; a state (prior_state, `terraform
    show -json`) in its own order: data resources first."""
    def order(r):
        return (0 if r.mode == "data" else 1, r.address) if state_order else r.address
    root = sorted((r for r in resources if r.module is None), key=order)
    modules = sorted({r.module for r in resources if r.module})
    tree = {"resources": [entry_of(r) for r in root]}
    if modules:
        tree["child_modules"] = [
            {"resources": [entry_of(r) for r in sorted((x for x in resources if x.module == m), key=order)],
             "address": f"module.{m}"} for m in modules]
    return tree


def state_outputs(world):
    return {name: {"sensitive": False, "value": value, "type": "string"}
            for name, (value, _) in world.outputs().items()}


def refreshed_outputs(prior, nxt):
    """The refresh re-evaluates root outputs of the new configuration where it can."""
    values = {name: value for name, (value, _) in prior.outputs().items()}
    for name, (value, _) in nxt.outputs().items():
        if name in values and value is not UNKNOWN:
            values[name] = value
    return {name: {"sensitive": False, "value": value, "type": "string"} for name, value in values.items()}


def show_state(world):
    graph = Graph(world)
    return {
        "format_version": STATE_FORMAT,
        "terraform_version": TERRAFORM_VERSION,
        "values": {
            "outputs": state_outputs(world),
            "root_module": module_tree(world.resources, lambda r: state_resource(r, graph), state_order=True),
        },
    }


def raw_state(world, serial):
    graph = Graph(world)
    groups = {}
    for res in world.resources:
        groups.setdefault((res.module or "", res.mode, res.type, res.name), []).append(res)
    resources = []
    for (module, mode, type_, name), instances in sorted(groups.items()):
        entry = {}
        if module:
            entry["module"] = f"module.{module}"
        entry.update({"mode": mode, "type": type_, "name": name})
        keys = [r.key for r in instances]
        if keys[0] is not None:
            entry["each"] = "list" if isinstance(keys[0], int) else "map"
        entry["provider"] = f'provider["{PROVIDER}"]'
        entry["instances"] = []
        for res in sorted(instances, key=lambda r: (str(type(r.key)), r.key if r.key is not None else 0)):
            instance = {}
            if res.key is not None:
                instance["index_key"] = res.key
            instance["schema_version"] = version_of(res)
            instance["attributes"] = cty_sorted(res.values)
            instance["sensitive_attributes"] = [
                [{"type": "get_attr", "value": step} if isinstance(step, str)
                 else {"type": "index", "value": {"value": step, "type": "number"}} for step in path]
                for path in sensitive_paths(res.values, block_of(res))]
            if mode == "managed":
                instance["private"] = w.private(res.timeouts, version_of(res))
                dependencies = graph.dependencies(res)
                if dependencies:
                    instance["dependencies"] = dependencies
            entry["instances"].append(instance)
        resources.append(entry)
    return {
        "version": 4,
        "terraform_version": TERRAFORM_VERSION,
        "serial": serial,
        "lineage": LINEAGE,
        "outputs": {name: {"value": value, "type": "string"} for name, (value, _) in world.outputs().items()},
        "resources": resources,
        "check_results": None,
    }


# --------------------------------------------------------------------------
# Plans


def create_values(res):
    """Planned values of a new instance: what the provider leaves unknown is unknown."""
    block = block_of(res)
    values = copy.deepcopy(res.values)
    configured = set(res.expressions)
    computed_blocks = COMPUTED_BLOCKS.get(res.type, set())
    zero = READ_BACK_ZERO.get(res.type, set())
    for name in values:
        if name in configured:
            continue
        attribute = block["attributes"].get(name)
        if (attribute and attribute.get("computed") and name not in NOT_UNKNOWN_ON_CREATE) or name in computed_blocks:
            values[name] = UNKNOWN
        elif name in zero:
            values[name] = None
    for name, nested in READ_BACK_ZERO_NESTED.get(res.type, {}).items():
        for element in values.get(name) or []:
            for attribute in nested:
                element[attribute] = None
    return values


def change_entry(res, actions, before, after, reason=None, replace_paths=None):
    entry = {"address": res.address}
    if res.module:
        entry["module_address"] = res.module_address
    entry.update({"mode": res.mode, "type": res.type, "name": res.name})
    if res.key is not None:
        entry["index"] = res.key
    entry["provider_name"] = PROVIDER
    change = {"actions": actions, "before": None if before is None else values_json(before),
              "after": None if after is None else values_json(after),
              "after_unknown": cty_sorted(after_unknown(after)),
              "before_sensitive": False if before is None else mask_json(before, res),
              "after_sensitive": False if after is None else mask_json(after, res)}
    if replace_paths:
        change["replace_paths"] = replace_paths
    entry["change"] = change
    if reason:
        entry["action_reason"] = reason
    return entry


def output_change(before, after):
    if before is None:
        actions = ["create"]
    elif after is None:
        actions = ["delete"]
    elif before == after:
        actions = ["no-op"]
    else:
        actions = ["update"]
    change = {"actions": actions, "before": before}
    if after is not None and after is not UNKNOWN:
        change["after"] = after
    elif after is None:
        change["after"] = None
    change["after_unknown"] = after is UNKNOWN
    change["before_sensitive"] = False
    change["after_sensitive"] = False
    return change


REPLACED = {
    # phase: {qualified config address (profile keys in braces): replace_paths}
    "cutover": {"aws_ecs_task_definition.{web_td}": [["container_definitions"]],
                "aws_ecs_task_definition.{job_td}": [["container_definitions"]]},
}


def replacements(phase, profile, extra=None):
    """{qualified config address: replace_paths} of what the phase's plan replaces."""
    names = {k: v for k, v in w.PROFILES[profile].items() if isinstance(v, str)}
    names["tgt_instances"] = w.PROFILES[profile]["tgt_instances"][0]
    wanted = dict(REPLACED.get(phase, {}))
    wanted.update(extra or {})
    return {template.format(**names): paths for template, paths in wanted.items()}


def change_order(entry):
    """jsonplan's order: module path, then data before managed, type, name, key."""
    module = entry.get("module_address", "")
    key = entry.get("index")
    key_order = (0, key, "") if isinstance(key, int) else (1, 0, key or "")
    return (module, 0 if entry["mode"] == "data" else 1, entry["type"], entry["name"], key_order)


def plan(phase, profile=None, variant=None, replace=None, stages=None, next_variant=None):
    """The plan of a phase; `variant` (world knobs) and `replace` (extra forced
    replacements, {address template: replace_paths}) make a breaking variant.
    `stages` (prior, planned) replaces the phase's stages, and `next_variant` holds
    knobs only the planned configuration turns (what this deploy changes)."""
    default_profile, prior_stage, next_stage, timestamp = PHASES[phase]
    if stages:
        prior_stage, next_stage = stages
    profile = profile or default_profile
    planned_variant = dict(variant or {}, **(next_variant or {}))
    stored = build(profile, prior_stage, variant=variant)
    prior = build(profile, prior_stage, refreshed=True, variant=variant)
    first = build(profile, next_stage, variant=planned_variant)
    prior_blocks = {r.qualified_config_address for r in prior.resources if r.mode == "managed"}
    replaced = replacements(phase, profile, replace)
    fresh = {r.qualified_config_address for r in first.resources
             if r.mode == "managed" and r.qualified_config_address not in prior_blocks} | set(replaced)
    nxt = build(profile, next_stage, fresh, variant=planned_variant)
    stored_by_address = {r.address: r for r in stored.resources}
    drift = [(r, stored_by_address[r.address].values) for r in prior.resources
             if r.mode == "managed" and r.values != stored_by_address[r.address].values]

    prior_by_address = {r.address: r for r in prior.resources}
    next_by_address = {r.address: r for r in nxt.resources}
    changes, changed_resources, planned_resources = [], [], []
    data_in_prior = []
    for res in nxt.resources:
        if res.mode == "data":
            if wholly_known(res.values):
                data_in_prior.append(res)
            else:
                changes.append(change_entry(res, ["read"], None, res.values, reason="read_because_config_unknown"))
                changed_resources.append(res)
                planned_resources.append((res, res.values))
            continue
        old = prior_by_address.get(res.address)
        if old is None:
            after = create_values(res)
            changes.append(change_entry(res, ["create"], None, after))
            changed_resources.append(res)
        elif res.qualified_config_address in replaced:
            after = create_values(res)
            changes.append(change_entry(res, ["delete", "create"], old.values, after,
                                        reason="replace_because_cannot_update",
                                        replace_paths=replaced[res.qualified_config_address]))
            changed_resources.append(res)
        else:
            # An in-place update changes what is configured; everything else keeps
            # its refreshed value until the apply reads the resource again.
            after = dict(res.values)
            for name in after:
                if name not in res.expressions:
                    after[name] = old.values[name]
            same = old.values == after
            changes.append(change_entry(res, ["no-op"] if same else ["update"], old.values, after))
            if not same:
                changed_resources.append(res)
        planned_resources.append((res, after))
    for res in prior.resources:
        if res.mode == "managed" and res.address not in next_by_address:
            changes.append(change_entry(res, ["delete"], res.values, None,
                                        reason="delete_because_no_resource_config"))
    changes.sort(key=change_order)
    unchanged = {c["address"] for c in changes if c["change"]["actions"] == ["no-op"]}

    prior_outputs = prior.outputs()
    next_outputs = nxt.outputs()
    output_changes, changed_outputs = {}, []
    for name in sorted(set(prior_outputs) | set(next_outputs)):
        before = prior_outputs.get(name, (None,))[0]
        after = next_outputs.get(name, (None,))[0]
        output_changes[name] = output_change(before, after)
        if output_changes[name]["actions"] != ["no-op"] and name in next_outputs:
            changed_outputs.append(name)

    next_graph = Graph(nxt)
    planned_by_address = {r.address: values for r, values in planned_resources}
    planned_outputs = {}
    for name, (value, _) in next_outputs.items():
        planned_outputs[name] = ({"sensitive": False} if value is UNKNOWN
                                 else {"sensitive": False, "type": "string", "value": value})
    planned_values = {
        "outputs": planned_outputs,
        "root_module": module_tree([r for r, _ in planned_resources],
                                   lambda r: state_resource(r, next_graph, planned_by_address[r.address],
                                                            with_depends=False,
                                                            schema_marks=r.qualified_config_address not in replaced)),
    }

    # The refreshed state: data sources as read by this plan (deferred reads are
    # left out); dependencies of unchanged instances already follow the new
    # configuration, the others keep what their last apply stored.
    prior_graph = Graph(prior)
    prior_state_resources = [r for r in prior.resources if r.mode == "managed"] + data_in_prior
    prior_state = {
        "format_version": STATE_FORMAT,
        "terraform_version": TERRAFORM_VERSION,
        "values": {
            "outputs": refreshed_outputs(prior, nxt),
            "root_module": module_tree(prior_state_resources, lambda r: state_resource(
                r, next_graph if (r.address in unchanged or r.mode == "data") else prior_graph), state_order=True),
        },
    }

    document = {"format_version": PLAN_FORMAT, "terraform_version": TERRAFORM_VERSION}
    _, variable_values = nxt.variables()
    document["variables"] = {k: {"value": v} for k, v in sorted(variable_values.items())}
    document["planned_values"] = planned_values
    if drift:
        document["resource_drift"] = sorted(
            (change_entry(res, ["update"], before, res.values) for res, before in drift), key=change_order)
    document["resource_changes"] = changes
    document["output_changes"] = output_changes
    document["prior_state"] = prior_state
    document["configuration"] = configuration(nxt)
    document["relevant_attributes"] = relevant_attributes(nxt, changed_resources, changed_outputs)
    document["timestamp"] = timestamp
    document["applyable"] = any(c["change"]["actions"] != ["no-op"] for c in changes) or any(
        o["actions"] != ["no-op"] for o in output_changes.values())
    document["complete"] = True
    document["errored"] = False
    return document


# --------------------------------------------------------------------------
# Output


def variant_document(variant):
    """The text of one breaking variant (breaking.py)."""
    default_profile, _, stage, _ = PHASES[variant.phase]
    profile = variant.profile or default_profile
    if variant.kind == "plan":
        return go_json(plan(variant.phase, profile, variant=variant.knobs, replace=variant.replace,
                            stages=variant.stages, next_variant=variant.next_knobs)) + "\n"
    world = build(profile, stage, variant=variant.knobs)
    if variant.kind == "state":
        return go_json(show_state(world)) + "\n"
    return go_json(raw_state(world, serial=187), indent=2) + "\n"


def fixtures():
    """{relative path: text} of every fixture."""
    out = {}
    for variant in breaking.VARIANTS + breaking.INFERENCE:
        if variant.path in out:
            raise ValueError(f"two variants write {variant.path}")
        out[variant.path] = variant_document(variant)
    return {path: text for path, text in out.items() if path not in REAL}


def unexpected(written):
    """Files in the generated folders that the generator does not write (stale variants)."""
    found = []
    for folder in sorted({os.path.dirname(p) for p in written}):
        directory = os.path.join(FIXTURES, folder)
        for name in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
            relative = f"{folder}/{name}"
            if os.path.isfile(os.path.join(directory, name)) and relative not in written and relative not in REAL:
                found.append(relative)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if a fixture differs from what would be written")
    parser.add_argument("--seed", nargs=2, metavar=("PHASE", "DIR"))
    parser.add_argument("--baseline-plan", nargs=2, metavar=("PHASE", "FILE"))
    parser.add_argument("--raw-state", nargs=3, metavar=("PROFILE", "STAGE", "FILE"),
                        help="write the terraform.tfstate of a profile at a stage (for checking state.json)")
    parser.add_argument("--profile", default="baseline", help="profile for --seed and --baseline-plan")
    parser.add_argument("--variant", help="a breaking variant (e.g. MIG008-target-replaced-database-name.full-load) "
                                          "for --seed, --baseline-plan and --raw-state: its knobs and replacements")
    args = parser.parse_args()
    variant = breaking.by_name(args.variant) if args.variant else None
    knobs = variant.knobs if variant else None
    if args.raw_state:
        profile, stage, path = args.raw_state
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(go_json(raw_state(build(profile, stage, variant=knobs), serial=150), indent=2) + "\n")
        return 0
    if args.seed:
        phase, directory = args.seed
        _, prior_stage, _, _ = PHASES[phase]
        if variant and variant.stages:
            prior_stage = variant.stages[0]
        with open(os.path.join(directory, "terraform.tfstate"), "w", encoding="utf-8") as handle:
            # A plan made with -refresh=false starts from this: what the refresh would find.
            handle.write(go_json(raw_state(build(args.profile, prior_stage, refreshed=True, variant=knobs),
                                           serial=100), indent=2) + "\n")
        return 0
    if args.baseline_plan:
        phase, path = args.baseline_plan
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(go_json(plan(phase, profile=args.profile, variant=knobs,
                                      replace=variant.replace if variant else None,
                                      stages=variant.stages if variant else None,
                                      next_variant=variant.next_knobs if variant else None)) + "\n")
        return 0
    written = fixtures()
    stale = write_or_check(written, args.check)
    extra = unexpected(written)
    if extra and args.check:
        print("fixtures the generator does not write (remove them): " + ", ".join(extra), file=sys.stderr)
    elif extra:
        for relative in extra:
            os.remove(os.path.join(FIXTURES, relative))
            print(f"removed Fixtures/{relative} (no longer generated)")
    if stale:
        print("stale fixtures: " + ", ".join(stale), file=sys.stderr)
    return 1 if stale or (extra and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
