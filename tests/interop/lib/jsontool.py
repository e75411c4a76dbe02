#!/usr/bin/env python3
"""Small JSON helpers for run.sh (no jq needed).

  check  ACTUAL_JSON_FILE EXPECTED_JSON      compare a verifier's processed payload with the
                                             expected revealed claims (registered JWT claims
                                             iss/iat/nbf/exp/cnf/vct/status are ignored); fails
                                             if any _sd, _sd_alg or "..." is left anywhere
  tamper MODE IN OUT [CRED]                  write a modified presentation:
           disclosure  change the value inside the first disclosure (re-encoded, same salt)
           strip-kb    remove the KB-JWT (keep the trailing "~")
           dup         send the first disclosure twice
           add:NAME    add CRED's disclosure of claim NAME (e.g. one whose parent is hidden,
                       so that no digest in the presentation references it)
"""
import base64
import json
import sys

IGNORED = {"iss", "iat", "nbf", "exp", "cnf", "vct", "status"}


def leftovers(v, path=""):
    bad = []
    if isinstance(v, dict):
        for k, x in v.items():
            if k in ("_sd", "_sd_alg", "..."):
                bad.append(f"{path}/{k}")
            bad += leftovers(x, f"{path}/{k}")
    elif isinstance(v, list):
        for i, x in enumerate(v):
            bad += leftovers(x, f"{path}/{i}")
    return bad


def check(actual_file, expected):
    with open(actual_file, encoding="utf-8") as f:
        text = f.read()
    try:
        actual = json.loads(text)
    except ValueError as e:
        return f"verifier output is not JSON ({e}): {text[:200]!r}"
    if not isinstance(actual, dict):
        return f"verifier output is not a JSON object: {text[:200]!r}"
    bad = leftovers(actual)
    if bad:
        return f"SD-JWT internals left in processed payload: {bad}"
    got = {k: v for k, v in actual.items() if k not in IGNORED}
    want = json.loads(expected)
    if got != want:
        return ("revealed claims differ\n  expected: " + json.dumps(want, sort_keys=True)
                + "\n  actual:   " + json.dumps(got, sort_keys=True))
    return None


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64e(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def tamper(mode, src, dst, cred=None):
    with open(src, encoding="utf-8") as f:
        parts = f.read().strip().split("~")
    if len(parts) < 2:
        raise SystemExit("tamper: not a compact SD-JWT presentation")
    if mode == "disclosure":
        if len(parts) < 3:
            raise SystemExit("tamper: presentation has no disclosure")
        raw = b64d(parts[1]).decode()
        d = json.loads(raw)
        v = d[-1]
        d[-1] = (not v) if isinstance(v, bool) else (v + "X" if isinstance(v, str) else [v])
        # Keep the issuer's own JSON style: replace the value's text in place if we can find it.
        for old in (json.dumps(v), json.dumps(v, separators=(",", ":"))):
            idx = raw.rfind(old)
            if idx >= 0:
                tampered = raw[:idx] + json.dumps(d[-1]) + raw[idx + len(old):]
                break
        else:
            tampered = json.dumps(d)
        parts[1] = b64e(tampered.encode())
    elif mode == "dup":
        parts.insert(-1, parts[1])
    elif mode.startswith("add:"):
        with open(cred, encoding="utf-8") as f:
            cparts = f.read().strip().split("~")
        name = mode[4:]
        found = [d for d in cparts[1:-1] if (lambda x: len(x) == 3 and x[1] == name)(json.loads(b64d(d)))]
        if not found:
            raise SystemExit(f"tamper: credential has no disclosure for {name}")
        parts.insert(-1, found[0])
    elif mode == "strip-kb":
        parts[-1] = ""
    else:
        raise SystemExit(f"tamper: unknown mode {mode}")
    with open(dst, "w", encoding="utf-8") as f:
        f.write("~".join(parts))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        err = check(sys.argv[2], sys.argv[3])
        if err:
            print(err)
            sys.exit(1)
    elif len(sys.argv) in (5, 6) and sys.argv[1] == "tamper":
        tamper(*sys.argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
