#!/usr/bin/env bash
# Interoperability tests: the `sdjwt` CLI against two independent SD-JWT implementations,
#   - python: the reference implementation, PyPI `sd-jwt` (openwallet-foundation-labs/sd-jwt-python)
#   - js:     the OpenWallet Foundation TypeScript libraries, npm `@sd-jwt/core` + `@sd-jwt/crypto-nodejs`
# in both directions (peer issues -> sdjwt presents/verifies; sdjwt issues -> peer presents/verifies),
# plus must-reject cases for `sdjwt verify` on the peers' presentations.
#
# Usage: bash tests/interop/run.sh [-v]
#   SDJWT_BIN=/path/to/sdjwt   use this binary instead of `cargo build -p sdjwt-cli`
#   INTEROP_PEERS="python js"  which peers to run (default both)
#   INTEROP_VERBOSE=1 or -v    print every scenario, not only failures
#   INTEROP_KEEP=1             keep the temporary work directory (printed at the end)
# Needs python3 (>= 3.9, with venv), node >= 18 + npm, and network access to PyPI and npm.
# Prints failures in detail and ends with a line "N passed, M failed"; exits 1 on any failure.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VERBOSE="${INTEROP_VERBOSE:-0}"
[[ "${1:-}" == "-v" ]] && VERBOSE=1
PEERS="${INTEROP_PEERS:-python js}"
SD_JWT_PY_VERSION="0.10.4"
JWCRYPTO_VERSION="1.6.1"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/sdjwt-interop.XXXXXX")"
cleanup() { if [[ "${INTEROP_KEEP:-0}" == 1 ]]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

die() { echo "interop: setup failed: $*" >&2; exit 1; }
START=$(date +%s)

# ---------------------------------------------------------------- setup
if [[ -n "${SDJWT_BIN:-}" ]]; then
  SDJWT="$SDJWT_BIN"
else
  (cd "$ROOT" && cargo build -q -p sdjwt-cli) >"$WORK/cargo.log" 2>&1 \
    || { cat "$WORK/cargo.log" >&2; die "cargo build -p sdjwt-cli"; }
  SDJWT="${CARGO_TARGET_DIR:-$ROOT/target}/debug/sdjwt"
  [[ "$SDJWT" = /* ]] || SDJWT="$ROOT/$SDJWT"
fi
[[ -x "$SDJWT" ]] || die "sdjwt binary not found at $SDJWT"

PY=""
if [[ " $PEERS " == *" python "* ]]; then
  PYTHON3="${PYTHON3:-$(command -v python3.11 || command -v python3)}"
  "$PYTHON3" -m venv "$WORK/venv" >"$WORK/venv.log" 2>&1 || { cat "$WORK/venv.log" >&2; die "python3 -m venv"; }
  "$WORK/venv/bin/pip" install -q --disable-pip-version-check \
    "sd-jwt==$SD_JWT_PY_VERSION" "jwcrypto==$JWCRYPTO_VERSION" >"$WORK/pip.log" 2>&1 \
    || { cat "$WORK/pip.log" >&2; die "pip install sd-jwt==$SD_JWT_PY_VERSION"; }
  PY="$WORK/venv/bin/python"
fi
if [[ " $PEERS " == *" js "* ]]; then
  # Install into a copy so the source tree stays clean (node_modules is gitignored anyway).
  mkdir -p "$WORK/js"
  cp "$HERE/js/package.json" "$HERE/js/package-lock.json" "$HERE/js/peer.mjs" "$WORK/js/"
  (cd "$WORK/js" && npm ci --no-audit --no-fund --loglevel=error) >"$WORK/npm.log" 2>&1 \
    || { cat "$WORK/npm.log" >&2; die "npm ci"; }
fi
TOOL="python3 $HERE/lib/jsontool.py"

peer_cmd() { # peer_cmd NAME -> command prefix
  case "$1" in
    python) echo "$PY $HERE/python/peer.py" ;;
    js) echo "node $WORK/js/peer.mjs" ;;
  esac
}

# ---------------------------------------------------------------- scenario machinery
PASS=0
FAIL=0
FAILED_NAMES=()
N=0

report_fail() { # name cmd reason outfile errfile
  FAIL=$((FAIL + 1))
  FAILED_NAMES+=("$1")
  {
    echo "FAIL $1"
    echo "  command: $2"
    echo "  reason:  $3"
    if [[ -s "$5" ]]; then echo "  stderr:"; sed 's/^/    /' "$5" | head -20; fi
    if [[ -s "$4" ]]; then echo "  stdout:"; head -c 2000 "$4" | sed 's/^/    /'; echo; fi
  } >&2
}
report_pass() { PASS=$((PASS + 1)); [[ "$VERBOSE" == 1 ]] && echo "ok   $1"; return 0; }

# ok NAME -- CMD...            the command must exit 0
ok() {
  local name="$1"; shift; shift
  N=$((N + 1)); local out="$WORK/out.$N" err="$WORK/err.$N"
  "$@" >"$out" 2>"$err"; local rc=$?
  if [[ $rc -ne 0 ]]; then report_fail "$name" "$*" "exit $rc, expected 0" "$out" "$err"; return 1; fi
  report_pass "$name"
}

# verify_ok NAME EXPECTED_JSON -- CMD...   exit 0 and the processed payload reveals exactly EXPECTED
verify_ok() {
  local name="$1" expected="$2"; shift 3
  N=$((N + 1)); local out="$WORK/out.$N" err="$WORK/err.$N"
  "$@" >"$out" 2>"$err"; local rc=$?
  if [[ $rc -ne 0 ]]; then report_fail "$name" "$*" "exit $rc, expected 0" "$out" "$err"; return 1; fi
  local why
  if ! why="$($TOOL check "$out" "$expected")"; then report_fail "$name" "$*" "$why" "$out" "$err"; return 1; fi
  report_pass "$name"
}

# rejects NAME -- CMD...        `sdjwt verify` must exit exactly 1 with one line on stderr
rejects() {
  local name="$1"; shift; shift
  N=$((N + 1)); local out="$WORK/out.$N" err="$WORK/err.$N"
  "$@" >"$out" 2>"$err"; local rc=$?
  if [[ $rc -ne 1 ]]; then report_fail "$name" "$*" "exit $rc, expected 1 (rejected)" "$out" "$err"; return 1; fi
  if [[ "$(grep -c . "$err")" -ne 1 ]]; then report_fail "$name" "$*" "expected exactly one line on stderr" "$out" "$err"; return 1; fi
  if [[ -s "$out" ]]; then report_fail "$name" "$*" "rejected, but printed a payload on stdout" "$out" "$err"; return 1; fi
  report_pass "$name"
}

# peer_rejects NAME -- CMD...   a peer's verify must exit non-zero
peer_rejects() {
  local name="$1"; shift; shift
  N=$((N + 1)); local out="$WORK/out.$N" err="$WORK/err.$N"
  "$@" >"$out" 2>"$err"; local rc=$?
  if [[ $rc -eq 0 ]]; then report_fail "$name" "$*" "peer accepted, expected rejection" "$out" "$err"; return 1; fi
  report_pass "$name"
}

# ---------------------------------------------------------------- fixtures
D="$WORK/data"
mkdir -p "$D"
cat >"$D/claims.json" <<'JSON'
{
  "given_name": "Adaeze",
  "family_name": "Okafor",
  "birthdate": "1990-04-01",
  "address": {
    "street_address": "1 High Street",
    "locality": "London",
    "postcode": "SW1A 1AA",
    "country": "GB"
  },
  "nationalities": ["NG", "GB"],
  "right_to_work": true
}
JSON
SD_PTRS=(/given_name /family_name /birthdate /address /address/street_address /address/locality
         /address/postcode /nationalities /nationalities/0 /nationalities/1 /right_to_work)
SD_ARGS=()
for p in "${SD_PTRS[@]}"; do SD_ARGS+=(--sd "$p"); done

# Presentation sets: name, --disclose args, expected revealed claims.
SET_NAMES=(rtw three)
DISC_rtw=(--disclose /right_to_work)
EXP_rtw='{"right_to_work": true}'
DISC_three=(--disclose /right_to_work --disclose /address/postcode --disclose /nationalities/1)
EXP_three='{"right_to_work": true, "address": {"postcode": "SW1A 1AA", "country": "GB"}, "nationalities": ["GB"]}'

NONCE="n-$(date +%s)-interop"
AUD="https://verifier.example/interop"
ISS="https://issuer.example"

# sdjwt's own keys
ok "sdjwt keygen issuer" -- "$SDJWT" keygen --alg ES256 --out "$D/sdjwt-issuer.jwk"
ok "sdjwt keygen holder" -- "$SDJWT" keygen --alg ES256 --out "$D/sdjwt-holder.jwk"
"$SDJWT" key public "$D/sdjwt-issuer.jwk" >"$D/sdjwt-issuer.pub.jwk" 2>/dev/null
"$SDJWT" key public "$D/sdjwt-holder.jwk" >"$D/sdjwt-holder.pub.jwk" 2>/dev/null

# ---------------------------------------------------------------- per peer
for peer in $PEERS; do
  P="$(peer_cmd "$peer")"
  [[ -n "$P" ]] || { echo "unknown peer $peer" >&2; FAIL=$((FAIL + 1)); continue; }
  d="$D/$peer"; mkdir -p "$d"

  # Peer keys, generated by the peer's own crypto stack (exercises our JWK parsing of
  # jwcrypto / WebCrypto output, e.g. WebCrypto's key_ops and ext members).
  ok "$peer: keygen issuer" -- $P keygen --out "$d/issuer.jwk" --pub-out "$d/issuer.pub.jwk"
  ok "$peer: keygen holder" -- $P keygen --out "$d/holder.jwk" --pub-out "$d/holder.pub.jwk"
  ok "$peer: sdjwt key public reads the peer's private JWK" -- "$SDJWT" key public "$d/holder.jwk"

  # ---- direction 1: the peer issues, sdjwt presents and verifies, the peer verifies sdjwt's presentations
  ok "$peer issues (holder = sdjwt key)" -- \
    $P issue --issuer-key "$d/issuer.jwk" --holder-key "$D/sdjwt-holder.pub.jwk" --claims "$D/claims.json" \
      "${SD_ARGS[@]}" --iss "$ISS" --out "$d/peer-cred.sdjwt"
  for s in "${SET_NAMES[@]}"; do
    disc="DISC_$s[@]"; exp="EXP_$s"
    ok "$peer issues -> sdjwt presents [$s]" -- \
      "$SDJWT" present --credential "$d/peer-cred.sdjwt" --issuer-key "$d/issuer.pub.jwk" \
        --holder-key "$D/sdjwt-holder.jwk" "${!disc}" --nonce "$NONCE" --aud "$AUD" --out "$d/sdjwt-pres-$s.sdjwt"
    verify_ok "$peer issues -> sdjwt presents -> sdjwt verifies [$s]" "${!exp}" -- \
      "$SDJWT" verify --issuer-key "$d/issuer.pub.jwk" --nonce "$NONCE" --aud "$AUD" "$d/sdjwt-pres-$s.sdjwt"
    verify_ok "$peer issues -> sdjwt presents -> $peer verifies [$s]" "${!exp}" -- \
      $P verify --issuer-key "$d/issuer.pub.jwk" --nonce "$NONCE" --aud "$AUD" "$d/sdjwt-pres-$s.sdjwt"
    peer_rejects "$peer issues -> sdjwt presents -> $peer rejects wrong nonce [$s]" -- \
      $P verify --issuer-key "$d/issuer.pub.jwk" --nonce "wrong-$NONCE" --aud "$AUD" "$d/sdjwt-pres-$s.sdjwt"
    # The peer's own presentation of its own credential, checked by sdjwt.
    ok "$peer issues -> $peer presents [$s]" -- \
      $P present --credential "$d/peer-cred.sdjwt" --issuer-key "$d/issuer.pub.jwk" \
        --holder-key "$D/sdjwt-holder.jwk" "${!disc}" --nonce "$NONCE" --aud "$AUD" --out "$d/peer-pres-$s.sdjwt"
    verify_ok "$peer issues -> $peer presents -> sdjwt verifies [$s]" "${!exp}" -- \
      "$SDJWT" verify --issuer-key "$d/issuer.pub.jwk" --nonce "$NONCE" --aud "$AUD" "$d/peer-pres-$s.sdjwt"
  done

  # ---- direction 2: sdjwt issues, the peer presents and verifies, sdjwt verifies the peer's presentations
  ok "sdjwt issues (holder = $peer key)" -- \
    "$SDJWT" issue --key "$D/sdjwt-issuer.jwk" --holder-key "$d/holder.pub.jwk" --claims "$D/claims.json" \
      "${SD_ARGS[@]}" --out "$d/sdjwt-cred.sdjwt"
  for s in "${SET_NAMES[@]}"; do
    disc="DISC_$s[@]"; exp="EXP_$s"
    ok "sdjwt issues -> $peer presents [$s]" -- \
      $P present --credential "$d/sdjwt-cred.sdjwt" --issuer-key "$D/sdjwt-issuer.pub.jwk" \
        --holder-key "$d/holder.jwk" "${!disc}" --nonce "$NONCE" --aud "$AUD" --out "$d/peer-on-sdjwt-$s.sdjwt"
    verify_ok "sdjwt issues -> $peer presents -> $peer verifies [$s]" "${!exp}" -- \
      $P verify --issuer-key "$D/sdjwt-issuer.pub.jwk" --nonce "$NONCE" --aud "$AUD" "$d/peer-on-sdjwt-$s.sdjwt"
    verify_ok "sdjwt issues -> $peer presents -> sdjwt verifies [$s]" "${!exp}" -- \
      "$SDJWT" verify --issuer-key "$D/sdjwt-issuer.pub.jwk" --nonce "$NONCE" --aud "$AUD" "$d/peer-on-sdjwt-$s.sdjwt"
    ok "sdjwt issues -> sdjwt presents [$s]" -- \
      "$SDJWT" present --credential "$d/sdjwt-cred.sdjwt" --issuer-key "$D/sdjwt-issuer.pub.jwk" \
        --holder-key "$d/holder.jwk" "${!disc}" --nonce "$NONCE" --aud "$AUD" --out "$d/sdjwt-on-sdjwt-$s.sdjwt"
    verify_ok "sdjwt issues -> sdjwt presents -> $peer verifies [$s]" "${!exp}" -- \
      $P verify --issuer-key "$D/sdjwt-issuer.pub.jwk" --nonce "$NONCE" --aud "$AUD" "$d/sdjwt-on-sdjwt-$s.sdjwt"
  done

  # ---- must-reject: sdjwt verify on the peer's presentations
  # Without a KB-JWT (for the disclosure-tamper case to be caught by the digest check alone).
  ok "$peer presents without KB-JWT" -- \
    $P present --credential "$d/peer-cred.sdjwt" --issuer-key "$d/issuer.pub.jwk" \
      --holder-key "$D/sdjwt-holder.jwk" "${DISC_three[@]}" --out "$d/peer-nokb.sdjwt"
  verify_ok "$peer presentation without KB-JWT: sdjwt verify (no --nonce/--aud) accepts" "$EXP_three" -- \
    "$SDJWT" verify --issuer-key "$d/issuer.pub.jwk" "$d/peer-nokb.sdjwt"
  ok "$peer presents /right_to_work without KB-JWT" -- \
    $P present --credential "$d/peer-cred.sdjwt" --issuer-key "$d/issuer.pub.jwk" \
      --holder-key "$D/sdjwt-holder.jwk" "${DISC_rtw[@]}" --out "$d/peer-nokb-rtw.sdjwt"
  # Both peers accept these two (see README); RFC 9901 section 7.1 requires rejection.
  $TOOL tamper add:postcode "$d/peer-nokb-rtw.sdjwt" "$d/peer-nokb-rtw.unref.sdjwt" "$d/peer-cred.sdjwt" || true
  rejects "$peer presentation: sdjwt rejects a disclosure no digest references" -- \
    "$SDJWT" verify --issuer-key "$d/issuer.pub.jwk" "$d/peer-nokb-rtw.unref.sdjwt"
  $TOOL tamper dup "$d/peer-nokb-rtw.sdjwt" "$d/peer-nokb-rtw.dup.sdjwt" || true
  rejects "$peer presentation: sdjwt rejects a disclosure sent twice" -- \
    "$SDJWT" verify --issuer-key "$d/issuer.pub.jwk" "$d/peer-nokb-rtw.dup.sdjwt"
  for src in peer-pres-three peer-on-sdjwt-three peer-nokb; do
    case "$src" in
      peer-on-sdjwt-*) ikey="$D/sdjwt-issuer.pub.jwk" ;;
      *) ikey="$d/issuer.pub.jwk" ;;
    esac
    $TOOL tamper disclosure "$d/$src.sdjwt" "$d/$src.tampered.sdjwt" || true
    if [[ "$src" == peer-nokb ]]; then
      rejects "$peer presentation [$src]: sdjwt rejects a tampered disclosure" -- \
        "$SDJWT" verify --issuer-key "$ikey" "$d/$src.tampered.sdjwt"
      rejects "$peer presentation [$src]: sdjwt rejects a missing KB-JWT when required" -- \
        "$SDJWT" verify --issuer-key "$ikey" --nonce "$NONCE" --aud "$AUD" "$d/$src.sdjwt"
      continue
    fi
    rejects "$peer presentation [$src]: sdjwt rejects a tampered disclosure" -- \
      "$SDJWT" verify --issuer-key "$ikey" --nonce "$NONCE" --aud "$AUD" "$d/$src.tampered.sdjwt"
    rejects "$peer presentation [$src]: sdjwt rejects a wrong nonce" -- \
      "$SDJWT" verify --issuer-key "$ikey" --nonce "other-$NONCE" --aud "$AUD" "$d/$src.sdjwt"
    rejects "$peer presentation [$src]: sdjwt rejects a wrong audience" -- \
      "$SDJWT" verify --issuer-key "$ikey" --nonce "$NONCE" --aud "https://other.example" "$d/$src.sdjwt"
    $TOOL tamper strip-kb "$d/$src.sdjwt" "$d/$src.nokb.sdjwt" || true
    rejects "$peer presentation [$src]: sdjwt rejects a stripped KB-JWT when required" -- \
      "$SDJWT" verify --issuer-key "$ikey" --nonce "$NONCE" --aud "$AUD" "$d/$src.nokb.sdjwt"
    rejects "$peer presentation [$src]: sdjwt rejects the wrong issuer key" -- \
      "$SDJWT" verify --issuer-key "$D/sdjwt-holder.pub.jwk" --nonce "$NONCE" --aud "$AUD" "$d/$src.sdjwt"
  done
done

# ---------------------------------------------------------------- summary
ELAPSED=$(( $(date +%s) - START ))
echo "interop ($PEERS) with $SDJWT, ${ELAPSED}s"
if [[ $FAIL -gt 0 ]]; then
  echo "failed scenarios:"
  for n in "${FAILED_NAMES[@]}"; do echo "  - $n"; done
fi
echo "$PASS passed, $FAIL failed"
[[ $FAIL -eq 0 ]]
