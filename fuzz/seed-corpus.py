#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/.

Seeds come from the conformance vectors in spec/vectors/: every `presentation` member of
spec/vectors/{positive,negative}/*.json (whole presentations, their Disclosures and their
Key Binding JWTs), every key of spec/vectors/keys.json, and the RFC 6901 pointers the
positive cases disclose. The `dcql` target is seeded from the 14 DCQL example queries of
OpenID4VP 1.0 (final and errata draft) in the spec-sources folder plus a few hand-written
ones. The `status_list` target is seeded from the Token Status List draft's
examples, read in place from the spec-sources folder (SDJWT_SPEC_SOURCES, else
../shared/spec-sources next to the workspace; skipped with a note when absent). Files are
named by the SHA-1 of their content, as cargo-fuzz names the inputs it adds, so running this
twice adds nothing. Uses only the standard library.

Usage: python3 fuzz/seed-corpus.py   (from anywhere)
"""

import base64
import hashlib
import json
import os
import pathlib
import sys

FUZZ = pathlib.Path(__file__).resolve().parent
VECTORS = FUZZ.parent / "spec" / "vectors"
CORPUS = FUZZ / "corpus"

# Pointers into sdjwt_fuzz::claim_path_document(), valid and not, for the claim_path target.
EXTRA_POINTERS = [
    "", "/", "//", "///0/~0", "/given_name", "/a~1b/m~0n/3", "/0/00/1/1", "/0/00/1/01",
    "/nationalities/-", "/nationalities/1", "/address/locality", "/emoji 😀/0/0/0",
    "/_sd", "/...", "/~", "/~2", "a", "/_sd_alg", "/nationalities/18446744073709551616",
]


def add(target: str, content: str, seen: dict) -> None:
    data = content.encode("utf-8")
    name = hashlib.sha1(data).hexdigest()
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    if not path.exists():
        path.write_bytes(data)
    seen[target] = seen.get(target, 0) + 1


def add_bytes(target: str, data: bytes, seen: dict) -> None:
    name = hashlib.sha1(data).hexdigest()
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    if not path.exists():
        path.write_bytes(data)
    seen[target] = seen.get(target, 0) + 1


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def spec_sources():
    """The spec-sources folder, as sdjwt_test::spec_sources() finds it, or None."""
    env = os.environ.get("SDJWT_SPEC_SOURCES")
    if env:
        return pathlib.Path(env)
    for candidate in (FUZZ.parent.parent / "shared" / "spec-sources",
                      FUZZ.parent / "shared" / "spec-sources"):
        if candidate.is_dir():
            return candidate
    return None


def status_list_seeds(seen: dict) -> None:
    """draft-ietf-oauth-status-list examples for the status_list target: every JSON encoding
    (whitespace removed), its raw ZLIB bytes, a Status List Token around it (zero signature: the
    fuzzing provider accepts any), the draft's example token, and a Referenced Token `status`
    claim."""
    root = spec_sources()
    examples = root / "status-list" / "examples" if root else None
    if examples is None or not examples.is_dir():
        print("note: spec-sources not found; status_list seeds skipped", file=sys.stderr)
        return
    for path in sorted(examples.glob("status_list_encoding*_json.md")):
        text = path.read_text(encoding="utf-8")
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end < start:
            continue
        compact = "".join(text[start:end + 1].split())
        add("status_list", compact, seen)
        try:
            obj = json.loads(compact)
            lst = obj["lst"]
            add_bytes("status_list", base64.urlsafe_b64decode(lst + "=" * (-len(lst) % 4)), seen)
        except (ValueError, KeyError, TypeError):
            continue
        header = b64url(b'{"alg":"ES256","typ":"statuslist+jwt"}')
        payload = b64url(json.dumps({
            "sub": "https://example.com/statuslists/1", "iat": 1686920170,
            "exp": 2291720170, "ttl": 43200, "status_list": obj,
        }, separators=(",", ":")).encode("utf-8"))
        add("status_list", f"{header}.{payload}.{b64url(bytes(64))}", seen)
    raw = examples / "status_list_jwt_raw.md"
    if raw.exists():
        add("status_list", "".join(raw.read_text(encoding="utf-8").split()), seen)
    add("status_list", json.dumps(
        {"status_list": {"idx": 0, "uri": "https://example.com/statuslists/1"}}), seen)


def type_metadata_seeds(seen: dict) -> None:
    """SD-JWT VC Type Metadata figures for the type_metadata target: each document alone, and
    the spec's base and child documents as one NUL-separated extends chain."""
    root = spec_sources()
    figures = root / "sd-jwt-vc" / "extracted-figures" if root else None
    if not figures or not figures.is_dir():
        print("note: spec-sources not found; type_metadata seeds skipped", file=sys.stderr)
        return
    docs = {p.name: p.read_text(encoding="utf-8") for p in sorted(figures.glob("*.json"))}
    for text in docs.values():
        add("type_metadata", text, seen)
    child = docs.get("example-child-type-metadata.json")
    base = docs.get("example-base-type-metadata.json")
    if child and base:
        add("type_metadata", child + "\0" + base, seen)


# Hand-written DCQL queries for the dcql target, beyond the specification's examples: null
# paths, indices, value matching of every type, trusted authorities, claim_sets, optional sets.
EXTRA_DCQL = [
    {"credentials": [{"id": "pid", "format": "dc+sd-jwt",
                      "meta": {"vct_values": ["https://credentials.example.com/identity_credential"]},
                      "claims": [{"path": ["nationalities", None]},
                                 {"path": ["address", "street_address"]},
                                 {"path": ["a/b", "m~n", 3], "values": ["x", 1, True]}]}]},
    {"credentials": [{"id": "q-1", "format": "dc+sd-jwt", "multiple": True,
                      "require_cryptographic_holder_binding": False,
                      "meta": {"vct_values": ["t"]},
                      "trusted_authorities": [{"type": "aki", "values": ["s9tIpPmhxdiuNkHMEWNpYim8S8Y"]}],
                      "claims": [{"id": "a", "path": ["given_name"]},
                                 {"id": "b", "path": ["", "", 1, "~"]}],
                      "claim_sets": [["a", "b"], ["b"]]}],
     "credential_sets": [{"options": [["q-1"]], "required": False}]},
]


def dcql_seeds(seen: dict) -> None:
    """OpenID4VP 1.0 DCQL example queries (final text and errata draft) for the dcql target,
    plus the hand-written ones above."""
    for query in EXTRA_DCQL:
        add("dcql", json.dumps(query), seen)
    root = spec_sources()
    if root is None or not (root / "openid4vp").is_dir():
        print("note: spec-sources not found; dcql example seeds skipped", file=sys.stderr)
        return
    for path in sorted((root / "openid4vp").glob("*/examples/query_lang/*.json")):
        add("dcql", path.read_text(encoding="utf-8"), seen)


def split_presentation(text: str, seen: dict) -> None:
    """Adds the Disclosures and the KB-JWT of a presentation to their targets' corpora."""
    if text.startswith("{"):
        try:
            obj = json.loads(text)
        except ValueError:
            return
        headers = [obj.get("header")] + [s.get("header") for s in obj.get("signatures", [])
                                         if isinstance(s, dict)]
        for header in headers:
            if not isinstance(header, dict):
                continue
            for d in header.get("disclosures", []) if isinstance(
                    header.get("disclosures"), list) else []:
                if isinstance(d, str) and d:
                    add("disclosure", d, seen)
            if isinstance(header.get("kb_jwt"), str):
                add("kb_jwt", header["kb_jwt"], seen)
        return
    parts = text.split("~")
    for d in parts[1:-1]:
        if d:
            add("disclosure", d, seen)
    if len(parts) > 1 and parts[-1]:
        add("kb_jwt", parts[-1], seen)


def json_tree_seeds(cases, seen: dict) -> None:
    """The JSON of every vector file and the payload of every compact presentation (`json_tree`),
    plus hand-written texts for escapes, duplicates, depth and numbers."""
    for case_path in cases:
        try:
            text = case_path.read_text(encoding="utf-8")
        except OSError:
            continue
        add("json_tree", text, seen)
        try:
            presentation = json.loads(text).get("presentation")
        except ValueError:
            continue
        if isinstance(presentation, str) and not presentation.startswith("{"):
            parts = presentation.split("~", 1)[0].split(".")
            if len(parts) == 3:
                try:
                    payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
                except ValueError:
                    continue
                add_bytes("json_tree", payload, seen)
    for text in [
        '{"a\\u0062":"\\ud83d\\ude00","b":[1,-0.0,1e300,18446744073709551615]}',
        '{"k":1,"k":2}',
        '{"x":' + "[" * 70 + "]" * 70 + "}",
        '{"a":{"b":{"c":[{"...":"d"}]}},"_sd":["e"],"_sd_alg":"sha-256"}',
    ]:
        add("json_tree", text, seen)


def issue_seeds(cases, seen: dict) -> None:
    """The claims of every vector that issues (`issue`), behind selector bytes that pick every
    path, every other path, every path with decoys, and every path from borrowed claims."""
    for case_path in cases:
        try:
            claims = json.loads(case_path.read_text(encoding="utf-8")).get("issue", {}).get("claims")
        except (OSError, ValueError):
            continue
        if isinstance(claims, dict):
            text = json.dumps(claims, separators=(",", ":"))
            for selector in (0x3F, 0x15, 0x7F, 0xBF):
                add_bytes("issue", bytes([selector]) + text.encode("utf-8"), seen)


def main() -> int:
    seen: dict = {}
    type_metadata_seeds(seen)
    cases = sorted(VECTORS.glob("positive/*.json")) + sorted(VECTORS.glob("negative/*.json"))
    for case_path in cases:
        try:
            case = json.loads(case_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            print(f"skipping {case_path}: {e}", file=sys.stderr)
            continue
        text = case.get("presentation")
        if isinstance(text, str) and text:
            add("verify", text, seen)
            add("sdjwt_json" if text.startswith("{") else "sdjwt_compact", text, seen)
            split_presentation(text, seen)
        for pointer in case.get("issue", {}).get("disclosable", []) + \
                case.get("present", {}).get("disclose", []):
            if isinstance(pointer, str):
                add("claim_path", pointer, seen)
    keys_path = VECTORS / "keys.json"
    if keys_path.exists():
        keys = json.loads(keys_path.read_text(encoding="utf-8")).get("keys", {})
        for jwk in keys.values():
            add("jwk", json.dumps(jwk), seen)
            public = {k: v for k, v in jwk.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}
            add("jwk", json.dumps(public, separators=(",", ":")), seen)
    for pointer in EXTRA_POINTERS:
        add("claim_path", pointer, seen)
    status_list_seeds(seen)
    dcql_seeds(seen)
    json_tree_seeds(cases, seen)
    issue_seeds(cases, seen)
    print(f"{len(cases)} vector files; seeds per target: "
          + ", ".join(f"{t}={n}" for t, n in sorted(seen.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
