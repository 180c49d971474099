#!/usr/bin/env python3
"""Fetch the report schemas that .ci/validate_reports.py and the tests read, for a clone
without ../shared beside it (the GitHub Actions job).

    .ci/fetch_schemas.py DIR        (the tests look in ../shared/schemas)

Each file is the blob of a named repository at a fixed commit, and its SHA-256 must equal
the one recorded here (the same as ../shared/schemas/SOURCES.md), so a moved branch or a
changed file fails loudly instead of validating against something else. Files already in
DIR with the right digest are kept. Exits 1 when a download fails or a digest differs.
"""
import hashlib
import os
import sys
import urllib.request

SCHEMAS = [
    # (file, repository, path in the repository, commit, sha256)
    ("sarif-schema-2.1.0.json", "oasis-tcs/sarif-spec", "sarif-2.1/schema/sarif-schema-2.1.0.json",
     "e0583813964ec43cea53b6b531b402866095ed1f",
     "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"),
    ("sarif-schema-2.1.0.draft-07.json", "oasis-tcs/sarif-spec", "sarif-2.1/prose/sarif-schema-2.1.0.json",
     "e0583813964ec43cea53b6b531b402866095ed1f",
     "6352a05f9d03f181b8d9c71a46bdacc4fcff9d8ade5364858b425ba0c0994ed7"),
    ("windyroad-JUnit.xsd", "windyroad/JUnit-Schema", "JUnit.xsd",
     "cfa434d4b8e102a8f55b8727b552a0063ee9044e",
     "147ff89ef34a82f9a1b2951e7cad251b98c9a7a48a0e0c8e44937141791f57a8"),
    ("jenkins-xunit-junit-10.xsd", "jenkinsci/xunit-plugin",
     "src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd",
     "8c515de2804b3fd591a3b0f1ff8908a1b1a41887",
     "a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6"),
]


def digest(data):
    return hashlib.sha256(data).hexdigest()


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    failed = 0
    for name, repository, path, commit, sha256 in SCHEMAS:
        target = os.path.join(directory, name)
        if os.path.exists(target):
            with open(target, "rb") as handle:
                if digest(handle.read()) == sha256:
                    print(f"{name}: present")
                    continue
        url = f"https://raw.githubusercontent.com/{repository}/{commit}/{path}"
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                data = response.read()
        except OSError as error:
            print(f"error: {name}: {url}: {error}", file=sys.stderr)
            failed += 1
            continue
        if digest(data) != sha256:
            print(f"error: {name}: {url} has sha256 {digest(data)}, expected {sha256}", file=sys.stderr)
            failed += 1
            continue
        with open(target + ".tmp", "wb") as handle:
            handle.write(data)
        os.replace(target + ".tmp", target)
        print(f"{name}: {repository}@{commit[:12]}, sha256 ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
