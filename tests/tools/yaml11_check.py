#!/usr/bin/env python3
"""Reads YAML the way cloud-init and Kubernetes' go-yaml v2 do (YAML 1.1, through PyYAML) and
compares it with the values it was meant to carry.

For every pair X.yaml + X.json in DIR, X.yaml is loaded with yaml.safe_load_all and compared
with X.json, which holds the intended values: a list with one entry per document, or, for a
single-document X.yaml, the document itself. Documents that are empty or only comments are
skipped, as kubectl skips them.

Every path whose type or value differs is reported, for example an unquoted 0600 read as the
int 384, yes read as True, 12:30 read as the int 750, or 2024-01-01 read as a date.

Usage: yaml11_check.py DIR
Exit: 0 all pairs match, 1 any difference (or no pairs found), 2 usage error or PyYAML missing.
"""
import json
import sys
from pathlib import Path

try:
    import yaml
except ImportError:
    sys.exit("PyYAML is missing: run scripts/install-test-deps.sh")


def describe(value):
    """A value with its type, as Python sees it, e.g. `384 (int)`."""
    shown = json.dumps(value) if isinstance(value, str) else repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return f"{shown} ({type(value).__name__})"


def key_path(path, key):
    if isinstance(key, str) and key and all(c.isalnum() or c in "_-" for c in key):
        return f"{path}.{key}"
    return f"{path}[{key!r}]"


def differences(expected, actual, path):
    """Yields (path, message) for each place where actual (read from YAML) differs."""
    # bool is a subclass of int in Python: compare exact types, so True never equals 1.
    if type(expected) is not type(actual):
        yield path, f"expected {describe(expected)}, YAML 1.1 reads {describe(actual)}"
    elif isinstance(expected, dict):
        for key in expected:
            if key not in actual:
                # A YAML 1.1 key such as `on` or `no` turns into a bool; say which keys are there.
                odd = [k for k in actual if not isinstance(k, str)]
                hint = f" (non-string keys read: {odd!r})" if odd else ""
                yield key_path(path, key), f"missing in the YAML{hint}"
            else:
                yield from differences(expected[key], actual[key], key_path(path, key))
        for key in actual:
            if key not in expected:
                yield key_path(path, key), f"not expected: {describe(actual[key])}"
    elif isinstance(expected, list):
        if len(expected) != len(actual):
            yield path, f"expected {len(expected)} items, YAML has {len(actual)}"
        for index, (want, got) in enumerate(zip(expected, actual)):
            yield from differences(want, got, f"{path}[{index}]")
    elif expected != actual:
        yield path, f"expected {describe(expected)}, YAML 1.1 reads {describe(actual)}"


def check_pair(yaml_file, json_file):
    """Returns the list of problems of one pair, empty when it matches."""
    try:
        documents = [d for d in yaml.safe_load_all(yaml_file.read_text()) if d is not None]
    except yaml.YAMLError as error:
        return [f"not valid YAML: {error}"]
    try:
        intended = json.loads(json_file.read_text())
    except json.JSONDecodeError as error:
        return [f"{json_file.name} is not valid JSON: {error}"]

    # A single-document YAML may be compared with its document or with a list of one.
    one_as_itself = len(documents) == 1 and not (
        isinstance(intended, list) and len(intended) == 1 and not isinstance(documents[0], list)
    )
    if one_as_itself:
        pairs = [("", intended, documents[0])]
    elif isinstance(intended, list):
        if len(intended) != len(documents):
            return [f"{json_file.name} has {len(intended)} documents, the YAML {len(documents)}"]
        pairs = [
            (f"[doc {index}]", want, got)
            for index, (want, got) in enumerate(zip(intended, documents))
        ]
    else:
        return [f"{json_file.name} holds one document, the YAML has {len(documents)}"]
    return [
        f"{label}{path or '(root)'}: {message}"
        for label, want, got in pairs
        for path, message in differences(want, got, "")
    ]


def main(argv):
    if len(argv) != 2 or not Path(argv[1]).is_dir():
        print("usage: yaml11_check.py DIR   (compares each DIR/X.yaml with DIR/X.json)",
              file=sys.stderr)
        return 2
    directory = Path(argv[1])
    pairs = [(y, y.with_suffix(".json")) for y in sorted(directory.glob("*.yaml"))]
    pairs = [(y, j) for y, j in pairs if j.is_file()]
    if not pairs:
        print(f"no X.yaml + X.json pairs in {directory}", file=sys.stderr)
        return 1
    passed = failed = 0
    for yaml_file, json_file in pairs:
        problems = check_pair(yaml_file, json_file)
        if problems:
            failed += 1
            print(f"DIFFERS {yaml_file}")
            for problem in problems:
                print(f"    {problem}")
        else:
            passed += 1
            print(f"ok      {yaml_file}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
