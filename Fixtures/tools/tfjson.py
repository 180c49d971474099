"""Terraform JSON mechanics for the fixture generator.

Mirrors what Terraform 1.9 does when it writes `terraform show -json` output and
terraform.tfstate, so that the fixtures have exactly Terraform's shape:

* attribute objects are cty values: object keys sorted, sets of strings sorted;
* unknown values (the `UNKNOWN` marker here) are left out of `after` and reported
  in `after_unknown` the way jsonplan's unknownAsBool does (false values omitted,
  empty collections kept as [] or {});
* sensitivity masks follow jsonstate.SensitiveAsBool with the provider schema's
  sensitive attributes marked even when null;
* configuration expressions list references the way jsonconfig.marshalExpression
  does (full traversal first, then each shorter prefix, then the containing
  resource for an instance key);
* output is Go's encoding/json: compact, no ASCII escaping, but <, > and &
  escaped as \\u003c, \\u003e and \\u0026.
"""

import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))


class _Unknown:
    """A value Terraform only knows after apply."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "UNKNOWN"

    def __deepcopy__(self, memo):
        return self


UNKNOWN = _Unknown()


# --------------------------------------------------------------------------
# Provider schema


class Schema:
    def __init__(self, path=os.path.join(HERE, "aws_provider_schema.json")):
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        self.provider = data["provider"]
        self.resources = data["resource_schemas"]
        self.data_sources = data["data_source_schemas"]

    def entry(self, mode, type_):
        table = self.resources if mode == "managed" else self.data_sources
        if type_ not in table:
            raise KeyError(f"{mode} {type_} is not in aws_provider_schema.json")
        return table[type_]

    def block(self, mode, type_):
        return self.entry(mode, type_)["block"]

    def version(self, mode, type_):
        return self.entry(mode, type_)["version"]


def blank(block):
    """Every attribute null, list and set blocks empty, single blocks null."""
    value = {name: None for name in block["attributes"]}
    for name, nested in block.get("block_types", {}).items():
        value[name] = [] if nested["nesting_mode"] in ("list", "set") else None
    return value


def fill(block, values, where):
    """A full object of `block` from partial `values`; unknown keys are an error."""
    result = blank(block)
    for key, value in values.items():
        if key not in result:
            raise KeyError(f"{where}: `{key}` is not an attribute of this schema")
        nested = block.get("block_types", {}).get(key)
        if nested is not None and value is not UNKNOWN and value is not None:
            if nested["nesting_mode"] in ("list", "set"):
                value = [e if e is UNKNOWN else fill(nested["block"], e, f"{where}.{key}") for e in value]
            else:
                value = fill(nested["block"], value, f"{where}.{key}")
        result[key] = value
    return result


def wholly_known(value):
    if value is UNKNOWN:
        return False
    if isinstance(value, dict):
        return all(wholly_known(v) for v in value.values())
    if isinstance(value, list):
        return all(wholly_known(v) for v in value)
    return True


def omit_unknowns(value):
    """jsonplan.omitUnknowns: unknown attributes dropped, unknown elements null."""
    if isinstance(value, dict):
        return {k: omit_unknowns(v) for k, v in value.items() if v is not UNKNOWN}
    if isinstance(value, list):
        return [None if v is UNKNOWN else omit_unknowns(v) for v in value]
    return value


def unknown_as_bool(value):
    """jsonplan.unknownAsBool."""
    if value is None:
        return False
    if value is UNKNOWN:
        return True
    if isinstance(value, list):
        return [unknown_as_bool(v) for v in value]
    if isinstance(value, dict):
        result = {}
        for key, element in value.items():
            flag = unknown_as_bool(element)
            if flag is not False:
                result[key] = flag
        return result
    return False


def after_unknown(value):
    if value is None or wholly_known(value):
        return {}
    return unknown_as_bool(value)


def _sensitive_of_type(value, type_):
    if value is None or isinstance(type_, str):
        return False
    kind = type_[0]
    if kind in ("list", "set"):
        if value is UNKNOWN:
            return []
        return [_sensitive_of_type(v, type_[1]) for v in value]
    if kind == "map":
        if value is UNKNOWN:
            return {}
        return {k: m for k, v in value.items() if (m := _sensitive_of_type(v, type_[1])) is not False}
    if kind == "object":
        if value is UNKNOWN:
            return {}
        return {k: m for k, t in type_[1].items() if (m := _sensitive_of_type(value.get(k), t)) is not False}
    return False


def sensitive_mask(value, block, schema_marks=True):
    """jsonstate.SensitiveAsBool of a resource object with the schema's marks.

    Without `schema_marks` the schema's sensitive attributes are not marked: what
    Terraform writes in planned_values for an instance it replaces (the second
    PlanResourceChange of a replacement only keeps the configuration's marks)."""
    if value is None:
        return False
    result = {}
    for name, attribute in block["attributes"].items():
        if attribute.get("sensitive") and schema_marks:
            result[name] = True
            continue
        mask = _sensitive_of_type(value.get(name), attribute["type"])
        if mask is not False:
            result[name] = mask
    for name, nested in block.get("block_types", {}).items():
        element = value.get(name)
        if nested["nesting_mode"] in ("list", "set"):
            if element is UNKNOWN:
                mask = []
            elif element is None:
                mask = False
            else:
                mask = [sensitive_mask(e, nested["block"], schema_marks) for e in element]
        else:
            mask = (False if element is None or element is UNKNOWN
                    else sensitive_mask(element, nested["block"], schema_marks))
        if mask is not False:
            result[name] = mask
    return result


def sensitive_paths(value, block, prefix=()):
    """Paths of the schema's sensitive attributes, as terraform.tfstate records them."""
    paths = []
    for name in sorted(list(block["attributes"]) + list(block.get("block_types", {}))):
        if name in block["attributes"]:
            if block["attributes"][name].get("sensitive"):
                paths.append(prefix + (name,))
            continue
        nested = block["block_types"][name]
        element = value.get(name) if value else None
        if nested["nesting_mode"] in ("list", "set") and isinstance(element, list):
            for index, item in enumerate(element):
                paths += sensitive_paths(item, nested["block"], prefix + (name, index))
        elif isinstance(element, dict):
            paths += sensitive_paths(element, nested["block"], prefix + (name,))
    return paths


def _set_hash_bytes(value):
    """cty's makeSetHashBytes for the values the model puts in sets of objects."""
    if value is None:
        return "~"
    if value is UNKNOWN:
        return "?"
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "<" + "".join(_set_hash_bytes(value[k]) + ";" for k in sorted(value)) + ">"
    if isinstance(value, list):
        return "[" + "".join(_set_hash_bytes(v) + ";" for v in value) + "]"
    raise TypeError(f"no set hash for {value!r}")


def cty_set_order(elements):
    """The order cty gives a set of objects: by their hash bytes (setRules.Less)."""
    return sorted(elements, key=lambda e: _set_hash_bytes(e).encode())


def cty_sorted(value):
    """Object and map keys sorted, as cty writes them."""
    if isinstance(value, dict):
        return {k: cty_sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [cty_sorted(v) for v in value]
    return value


# --------------------------------------------------------------------------
# Configuration expressions

_STEP = re.compile(r'\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\[\*\]')


def _steps(text):
    steps, position = [], 0
    while position < len(text):
        match = _STEP.match(text, position)
        if not match:
            raise ValueError(f"cannot parse traversal {text!r} at {position}")
        steps.append(match.group(0))
        position = match.end()
    return steps


def expand_reference(traversal):
    """The strings jsonconfig writes for one reference, most specific first.

    `aws_rds_cluster.core.master_user_secret[0].secret_arn` gives the traversal,
    each shorter prefix down to `aws_rds_cluster.core`; a keyed resource instance
    (`aws_x.y["k"].id`) adds the resource itself; a module output adds the call.
    A splat (`aws_subnet.private[*].id`) refers to the resource as a whole.
    """
    head, _, rest = traversal.partition(".")
    parts = _steps("." + rest)
    if head in ("var", "local", "path", "terraform", "count", "each", "self"):
        subject_len, kind = 1, head
    elif head == "module":
        subject_len, kind = 2, "module_output"
    elif head == "data":
        subject_len, kind = 2, "resource"
    else:
        subject_len, kind = 1, "resource"
    subject = head + "".join(parts[:subject_len])
    remaining = parts[subject_len:]
    if kind == "resource" and remaining and remaining[0] == "[*]":
        return [subject]
    containing = None
    if kind == "resource" and remaining and remaining[0].startswith("["):
        containing = subject
        subject += remaining[0]
        remaining = remaining[1:]
    if "[*]" in remaining:
        remaining = remaining[: remaining.index("[*]")]
    result = [subject + "".join(remaining[:n]) for n in range(len(remaining), 0, -1)]
    result.append(subject)
    if containing:
        result.append(containing)
    if kind == "module_output":
        result.append(head + parts[0])
    return result


def refs(*traversals):
    """`{"references": [...]}` for an expression mentioning these traversals in order."""
    out = []
    for traversal in traversals:
        out += expand_reference(traversal)
    return {"references": out}


def const(value):
    return {"constant_value": value}


# Expression Terraform cannot export: a function call or other non-constant
# expression without references (jsonencode({...}) of literals, say).
OPAQUE = {}


def referenced_traversals(expression):
    """Every reference string of an expression (nested blocks included)."""
    if isinstance(expression, list):
        out = []
        for block in expression:
            for value in block.values():
                out += referenced_traversals(value)
        return out
    if isinstance(expression, dict):
        if "references" in expression:
            return list(expression["references"])
        if "constant_value" in expression:
            return []
        out = []
        for value in expression.values():
            out += referenced_traversals(value)
        return out
    return []


# --------------------------------------------------------------------------
# Writing


def go_json(value, indent=None):
    """encoding/json's output: HTML-safe escapes, UTF-8 kept, no spaces."""
    if indent is None:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    else:
        text = json.dumps(value, indent=indent, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def json_string(value):
    """A JSON document as a Terraform attribute string (compact, keys sorted)."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
