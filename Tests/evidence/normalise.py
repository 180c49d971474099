#!/usr/bin/env python3
"""Makes recorded AWS CLI output deterministic, so a re-recording changes no fixture byte.

    python3 normalise.py RAW_DIR OUT_DIR

RAW_DIR/<scenario>/<command>.json (and .error.txt) as Tests/evidence/record.sh wrote them.
Only what moto makes up at random or takes from the clock is replaced; every key, every
other value and the CLI's layout (4-space indent) are kept:

- Timestamps: every distinct instant, over all scenarios, in time order, becomes
  2026-11-20T09:00:00Z plus one minute per rank (order kept, so "snapshot before the
  task started" stays true). Each keeps the form the CLI printed: an ISO 8601 string stays
  one (with a fraction when it had one, zeroed), an epoch number (awscli v1 prints the JSON
  protocols' timestamps as they arrive: DMS, Secrets Manager) stays a number.
- Random identifiers, numbered by first appearance (scenarios and files in name order):
  UUIDs (secret names, KMS keys, secret versions, also as map keys); cluster and instance
  resource IDs (cluster-EV…, db-EV…); the cluster DNS label (cluster-[ro-]c00000000001);
  DMS endpoint ARN suffixes; the secret ARN's 6-character suffix; VPC, subnet and hosted
  zone IDs.
"""
import json
import os
import re
import sys
from datetime import datetime, timedelta, timezone

BASE = datetime(2026, 11, 20, 9, 0, 0, tzinfo=timezone.utc)
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
TIME_KEY = re.compile(r"(Date|Time)$")
PATTERNS = [
    ("uuid", re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
     lambda n, _: f"00000000-0000-4000-8000-{n:012d}"),
    ("secret-suffix", re.compile(r"(?<=secret:rds!cluster-00000000-0000-4000-8000-\d{12}-)[A-Za-z0-9]{6}"),
     lambda n, _: f"Ev{n:04d}"),
    ("cluster-id", re.compile(r"\bcluster-[A-Z0-9]{26}\b"), lambda n, _: f"cluster-EV{n:024d}"),
    ("instance-id", re.compile(r"\bdb-[A-Z0-9]{26}\b"), lambda n, _: f"db-EV{n:024d}"),
    ("dns-label", re.compile(r"(?<=\.cluster-)(?:ro-)?[a-z0-9]{12}(?=\.)"),
     lambda n, match: ("ro-" if match.startswith("ro-") else "") + f"c{n:011d}"),
    ("endpoint-arn", re.compile(r"(?<=:endpoint:)[A-Z0-9]{20,32}"), lambda n, _: f"EV{n:025d}"),
    ("vpc", re.compile(r"\bvpc-[0-9a-f]{8,17}\b"), lambda n, _: f"vpc-0e{n:015d}"),
    ("subnet", re.compile(r"\bsubnet-[0-9a-f]{8,17}\b"), lambda n, _: f"subnet-0e{n:015d}"),
]
HOSTED_ZONE = "HostedZoneId"


class Normaliser:
    def __init__(self):
        self.instants = set()
        self.tokens = {name: {} for name, _, _ in PATTERNS}
        self.zones = {}

    @staticmethod
    def instant(value):
        if isinstance(value, str) and ISO.match(value):
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        return None

    def collect(self, value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                self.collect(v, k)
        elif isinstance(value, list):
            for v in value:
                self.collect(v, key)
        elif self.instant(value) is not None:
            self.instants.add(self.instant(value))
        elif self.is_epoch(value, key):
            self.instants.add(datetime.fromtimestamp(value, tz=timezone.utc))

    @staticmethod
    def is_epoch(value, key):
        return (key is not None and TIME_KEY.search(key) and isinstance(value, (int, float))
                and not isinstance(value, bool) and value > 1e9)

    def moved(self, when):
        return BASE + timedelta(minutes=self.ranks[when])

    def text(self, value):
        for name, pattern, make in PATTERNS:
            table = self.tokens[name]

            def replace(match):
                token = match.group(0)
                if token not in table:
                    table[token] = make(len(table) + 1, token)
                return table[token]
            value = pattern.sub(replace, value)
        return value

    def rewrite(self, value, key=None):
        if isinstance(value, dict):
            return {self.text(k): self.rewrite(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.rewrite(v, key) for v in value]
        if self.instant(value) is not None:
            moved = self.moved(self.instant(value))
            fraction = ISO.match(value).group(1)
            suffix = value[-6:] if value[-6] in "+-" else "Z"
            return moved.strftime("%Y-%m-%dT%H:%M:%S") + ("." + "0" * (len(fraction) - 1) if fraction else "") + suffix
        if self.is_epoch(value, key):
            seconds = int(self.moved(datetime.fromtimestamp(value, tz=timezone.utc)).timestamp())
            return seconds if isinstance(value, int) else seconds + 0.25
        if key == HOSTED_ZONE and isinstance(value, str):
            self.zones.setdefault(value, f"Z0EVIDENCE{len(self.zones) + 1:04d}")
            return self.zones[value]
        if isinstance(value, str):
            return self.text(value)
        return value


def main(raw, out):
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(raw) for f in names)
    loaded = {}
    normaliser = Normaliser()
    for path in files:
        if path.endswith(".json"):
            with open(path, encoding="utf-8") as handle:
                loaded[path] = json.load(handle)
            normaliser.collect(loaded[path])
    normaliser.ranks = {when: rank for rank, when in enumerate(sorted(normaliser.instants))}
    for path in files:
        target = os.path.join(out, os.path.relpath(path, raw))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if path in loaded:
            text = json.dumps(normaliser.rewrite(loaded[path]), indent=4, ensure_ascii=False) + "\n"
        else:
            with open(path, encoding="utf-8") as handle:
                text = normaliser.text(handle.read())
        with open(target + ".tmp", "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(target + ".tmp", target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
