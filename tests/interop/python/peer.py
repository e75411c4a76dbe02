#!/usr/bin/env python3
"""Interop peer around the Python reference implementation (PyPI `sd-jwt`).

Subcommands (all keys are JWK files; pointers are RFC 6901 JSON pointers):

  issue   --issuer-key K --holder-key H --claims F [--sd PTR ...] [--iss URL] [--typ T] --out OUT
  present --credential F --holder-key K [--disclose PTR ...] [--nonce N --aud A] --out OUT
  keygen  --out PRIV.jwk [--pub-out PUB.jwk]   (jwcrypto-generated EC P-256 key)
  verify  --issuer-key K [--nonce N --aud A] FILE      -> processed claims JSON on stdout

Exit codes: 0 ok, 1 rejected / library error, 2 usage.
The peer adds nothing of its own: every check in `verify` is the library's.
"""
import argparse
import json
import sys
import time

from jwcrypto.jwk import JWK
from sd_jwt.common import SDObj
from sd_jwt.holder import SDJWTHolder
from sd_jwt.issuer import SDJWTIssuer
from sd_jwt.verifier import SDJWTVerifier


def load_jwk(path):
    with open(path, "r", encoding="utf-8") as f:
        d = json.load(f)
    # Keep only the members jwcrypto needs (our keygen may add kid/alg/use).
    keep = {k: d[k] for k in ("kty", "crv", "x", "y", "d", "n", "e") if k in d}
    return JWK(**keep)


def parse_ptr(ptr):
    if ptr == "":
        return []
    if not ptr.startswith("/"):
        raise SystemExit(f"error: invalid JSON pointer {ptr!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in ptr[1:].split("/")]


def esc(tok):
    return str(tok).replace("~", "~0").replace("/", "~1")


def mark_sd(value, path, sd):
    """Wrap object keys / array elements named by `sd` pointers in SDObj (recursively)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            p = f"{path}/{esc(k)}"
            nv = mark_sd(v, p, sd)
            out[SDObj(k) if p in sd else k] = nv
        return out
    if isinstance(value, list):
        out = []
        for i, v in enumerate(value):
            p = f"{path}/{i}"
            nv = mark_sd(v, p, sd)
            out.append(SDObj(nv) if p in sd else nv)
        return out
    return value


def disclosure_frame(pointers):
    """Build the library's claims_to_disclose structure: {"a": {"b": True}, "arr": [None, True]}."""
    frame = {}
    for ptr in pointers:
        toks = parse_ptr(ptr)
        if not toks:
            raise SystemExit("error: cannot disclose the whole document")
        node = frame
        for i, tok in enumerate(toks):
            last = i == len(toks) - 1
            key = int(tok) if isinstance(node, list) else tok
            if isinstance(node, list):
                while len(node) <= key:
                    node.append(None)
            if last:
                cur = node[key] if isinstance(node, list) else node.get(key)
                if cur is None:
                    node[key] = True
            else:
                nxt_is_index = toks[i + 1].isdigit()
                cur = node[key] if isinstance(node, list) else node.get(key)
                if cur is None or cur is True:
                    cur = [] if nxt_is_index else {}
                    node[key] = cur
                node = cur
    return frame


def cmd_issue(a):
    issuer_key = load_jwk(a.issuer_key)
    holder_key = load_jwk(a.holder_key)
    with open(a.claims, "r", encoding="utf-8") as f:
        claims = json.load(f)
    sd = set(a.sd or [])
    user_claims = mark_sd(claims, "", sd)
    if a.iss:
        user_claims["iss"] = a.iss
    user_claims["iat"] = int(time.time())
    extra = {"typ": a.typ} if a.typ else {}
    iss = SDJWTIssuer(
        user_claims,
        issuer_key,
        holder_key,
        sign_alg="ES256",
        add_decoy_claims=a.decoys,
        extra_header_parameters=extra,
    )
    write(a.out, iss.sd_jwt_issuance)


def cmd_keygen(a):
    k = JWK.generate(kty="EC", crv="P-256")
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(k.export_private())
    if a.pub_out:
        with open(a.pub_out, "w", encoding="utf-8") as f:
            f.write(k.export_public())


def raw_pointer(payload, digest_to_disclosure, ptr):
    """Translate a pointer whose array indices count the fully disclosed array (the sdjwt CLI
    contract) into one whose indices count raw positions in the issued array, decoy digests
    included (what the library's claims_to_disclose lists mean)."""
    node, out = payload, []
    for tok in parse_ptr(ptr):
        if isinstance(node, list):
            want, real = int(tok), -1
            for pos, el in enumerate(node):
                if isinstance(el, dict) and len(el) == 1 and "..." in el:
                    if el["..."] not in digest_to_disclosure:
                        continue  # decoy
                    val = digest_to_disclosure[el["..."]][-1]
                else:
                    val = el
                real += 1
                if real == want:
                    out.append(str(pos))
                    node = val
                    break
            else:
                raise SystemExit(f"error: pointer {ptr} names nothing")
        elif isinstance(node, dict):
            if tok in node and tok not in ("_sd", "_sd_alg"):
                node = node[tok]
            else:
                for dg in node.get("_sd", []):
                    d = digest_to_disclosure.get(dg)
                    if d is not None and len(d) == 3 and d[1] == tok:
                        node = d[2]
                        break
                else:
                    raise SystemExit(f"error: pointer {ptr} names nothing")
            out.append(esc(tok))
        else:
            raise SystemExit(f"error: pointer {ptr} names nothing")
    return "/" + "/".join(out)


def cmd_present(a):
    with open(a.credential, "r", encoding="utf-8") as f:
        cred = f.read().strip()
    if a.issuer_key:
        # The library's holder never checks the issuer signature; do it with its verifier.
        issuer_key = load_jwk(a.issuer_key)
        SDJWTVerifier(cred, lambda _iss, _hdr: issuer_key)
    holder = SDJWTHolder(cred)
    h2d = holder._hash_to_decoded_disclosure  # noqa: SLF001 - the library exposes no accessor
    frame = disclosure_frame([raw_pointer(holder.sd_jwt_payload, h2d, p) for p in a.disclose or []])
    if a.nonce or a.aud:
        holder.create_presentation(frame, a.nonce, a.aud, load_jwk(a.holder_key), "ES256")
    else:
        holder.create_presentation(frame)
    write(a.out, holder.sd_jwt_presentation)


def cmd_verify(a):
    issuer_key = load_jwk(a.issuer_key)
    with open(a.file, "r", encoding="utf-8") as f:
        pres = f.read().strip()
    v = SDJWTVerifier(
        pres,
        lambda _iss, _hdr: issuer_key,
        expected_aud=a.aud,
        expected_nonce=a.nonce,
    )
    print(json.dumps(v.get_verified_payload(), sort_keys=True))


def write(path, text):
    if path == "-":
        sys.stdout.write(text + "\n")
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def main():
    p = argparse.ArgumentParser(prog="peer.py")
    sub = p.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("issue")
    i.add_argument("--issuer-key", required=True)
    i.add_argument("--holder-key", required=True)
    i.add_argument("--claims", required=True)
    i.add_argument("--sd", action="append")
    i.add_argument("--iss")
    i.add_argument("--typ")
    i.add_argument("--decoys", action="store_true")
    i.add_argument("--out", default="-")
    pr = sub.add_parser("present")
    pr.add_argument("--credential", required=True)
    pr.add_argument("--holder-key", required=True)
    pr.add_argument("--issuer-key")  # optional: check the issuer signature before presenting
    pr.add_argument("--disclose", action="append")
    pr.add_argument("--nonce")
    pr.add_argument("--aud")
    pr.add_argument("--out", default="-")
    k = sub.add_parser("keygen")
    k.add_argument("--out", required=True)
    k.add_argument("--pub-out")
    v = sub.add_parser("verify")
    v.add_argument("--issuer-key", required=True)
    v.add_argument("--nonce")
    v.add_argument("--aud")
    v.add_argument("file")
    a = p.parse_args()
    try:
        {"keygen": cmd_keygen, "issue": cmd_issue, "present": cmd_present, "verify": cmd_verify}[a.cmd](a)
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001 - any library failure is a rejection
        msg = str(e).splitlines()[0] if str(e) else ""
        print(f"error: {type(e).__name__}: {msg}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
