#!/usr/bin/env node
// Interop peer around the OpenWallet Foundation JavaScript library (@sd-jwt/core + crypto-nodejs).
//
//   issue   --issuer-key K --holder-key H --claims F [--sd PTR ...] [--iss URL] [--typ T] [--decoys] --out OUT
//   present --credential F --holder-key K [--issuer-key K] [--disclose PTR ...] [--nonce N --aud A] --out OUT
//   keygen  --out PRIV.jwk [--pub-out PUB.jwk]   (WebCrypto-generated P-256 key, exported as is)
//   verify  --issuer-key K [--nonce N --aud A] FILE      -> processed claims JSON on stdout
//
// Exit codes: 0 ok, 1 rejected / library error, 2 usage.
// `verify` adds exactly one check of its own: the KB-JWT `aud` (the library checks only the nonce).
import { readFileSync, writeFileSync } from 'node:fs';
import { SDJwtInstance } from '@sd-jwt/core';
import { ES256, digest, generateSalt } from '@sd-jwt/crypto-nodejs';

function usage(msg) {
  process.stderr.write(`usage error: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { _: [] };
  const multi = new Set(['sd', 'disclose']);
  const flags = new Set(['decoys']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const name = a.slice(2);
      if (flags.has(name)) { opts[name] = true; continue; }
      if (i + 1 >= argv.length) usage(`missing value for ${a}`);
      const v = argv[++i];
      if (multi.has(name)) (opts[name] ??= []).push(v);
      else opts[name] = v;
    } else opts._.push(a);
  }
  return opts;
}

function loadJwk(path, priv) {
  const d = JSON.parse(readFileSync(path, 'utf8'));
  const keep = priv ? ['kty', 'crv', 'x', 'y', 'd'] : ['kty', 'crv', 'x', 'y'];
  return Object.fromEntries(keep.filter((k) => k in d).map((k) => [k, d[k]]));
}

function parsePtr(ptr) {
  if (ptr === '') return [];
  if (!ptr.startsWith('/')) usage(`invalid JSON pointer ${JSON.stringify(ptr)}`);
  return ptr.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

// Build a disclosureFrame: {_sd: ['a'], a: {_sd: ['b']}, arr: {_sd: [0, 1]}}.
function disclosureFrame(claims, pointers) {
  const frame = {};
  for (const ptr of pointers) {
    const toks = parsePtr(ptr);
    if (toks.length === 0) usage('cannot make the whole document disclosable');
    let node = frame;
    let value = claims;
    toks.forEach((tok, i) => {
      const isArr = Array.isArray(value);
      const key = isArr ? Number.parseInt(tok, 10) : tok;
      if (value === null || typeof value !== 'object' || !(key in value)) usage(`pointer ${ptr} names nothing`);
      if (i === toks.length - 1) {
        (node._sd ??= []).push(key);
      } else {
        node = (node[key] ??= {});
        value = value[key];
      }
    });
  }
  return frame;
}

// Build a presentationFrame: {a: {b: true}, arr: {1: true}}.
function presentationFrame(pointers) {
  const frame = {};
  for (const ptr of pointers) {
    const toks = parsePtr(ptr);
    let node = frame;
    toks.forEach((tok, i) => {
      if (i === toks.length - 1) {
        if (node[tok] === undefined) node[tok] = true;
      } else {
        if (node[tok] === undefined || node[tok] === true) node[tok] = {};
        node = node[tok];
      }
    });
  }
  return frame;
}

// Translate a pointer whose array indices count the fully disclosed array (the sdjwt CLI
// contract) into one whose indices count raw positions in the issued array, decoys included
// (what the library's presentation frames mean).
async function rawPointer(sdjwt, ptr) {
  const map = {};
  for (const d of sdjwt.disclosures ?? []) map[await d.digest({ hasher: digest, alg: 'sha-256' })] = d;
  let node = sdjwt.jwt.payload;
  const out = [];
  for (const tok of parsePtr(ptr)) {
    if (Array.isArray(node)) {
      const want = Number.parseInt(tok, 10);
      let real = -1;
      let found = false;
      for (let pos = 0; pos < node.length; pos++) {
        const el = node[pos];
        let val = el;
        if (el && typeof el === 'object' && !Array.isArray(el) && Object.keys(el).length === 1 && '...' in el) {
          if (!map[el['...']]) continue; // decoy
          val = map[el['...']].value;
        }
        real++;
        if (real === want) { out.push(String(pos)); node = val; found = true; break; }
      }
      if (!found) throw new Error(`pointer ${ptr} names nothing`);
    } else if (node && typeof node === 'object') {
      if (tok in node && tok !== '_sd' && tok !== '_sd_alg') node = node[tok];
      else {
        const d = (node._sd ?? []).map((h) => map[h]).find((x) => x && x.key === tok);
        if (!d) throw new Error(`pointer ${ptr} names nothing`);
        node = d.value;
      }
      out.push(tok.replace(/~/g, '~0').replace(/\//g, '~1'));
    } else throw new Error(`pointer ${ptr} names nothing`);
  }
  return '/' + out.join('/');
}

async function instance({ issuerPriv, issuerPub, holderPriv } = {}) {
  const cfg = { hasher: digest, saltGenerator: generateSalt, signAlg: ES256.alg, kbSignAlg: ES256.alg };
  if (issuerPriv) cfg.signer = await ES256.getSigner(issuerPriv);
  if (issuerPub) cfg.verifier = await ES256.getVerifier(issuerPub);
  if (holderPriv) cfg.kbSigner = await ES256.getSigner(holderPriv);
  // The KB-JWT is verified with the holder key from the (verified) SD-JWT's cnf.jwk.
  cfg.kbVerifier = async (data, sig, payload) => {
    const jwk = payload?.cnf?.jwk;
    if (!jwk) throw new Error('no cnf.jwk in SD-JWT');
    return (await ES256.getVerifier(jwk))(data, sig);
  };
  return new SDJwtInstance(cfg);
}

function out(path, text) {
  if (!path || path === '-') process.stdout.write(text + '\n');
  else writeFileSync(path, text);
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  const o = parseArgs(rest);
  if (cmd === 'keygen') {
    // WebCrypto JWK export, unmodified: it carries key_ops and ext members.
    if (!o.out) usage('--out is required');
    const { privateKey, publicKey } = await ES256.generateKeyPair();
    writeFileSync(o.out, JSON.stringify(privateKey));
    if (o['pub-out']) writeFileSync(o['pub-out'], JSON.stringify(publicKey));
  } else if (cmd === 'issue') {
    for (const r of ['issuer-key', 'holder-key', 'claims']) if (!o[r]) usage(`--${r} is required`);
    const claims = JSON.parse(readFileSync(o.claims, 'utf8'));
    const frame = disclosureFrame(claims, o.sd ?? []);
    if (o.decoys) frame._sd_decoy = 2;
    const payload = { ...claims, cnf: { jwk: loadJwk(o['holder-key'], false) }, iat: Math.floor(Date.now() / 1000) };
    if (o.iss) payload.iss = o.iss;
    const sdjwt = await instance({ issuerPriv: loadJwk(o['issuer-key'], true) });
    const header = o.typ ? { typ: o.typ } : {};
    out(o.out, await sdjwt.issue(payload, frame, { header }));
  } else if (cmd === 'present') {
    for (const r of ['credential', 'holder-key']) if (!o[r]) usage(`--${r} is required`);
    const cred = readFileSync(o.credential, 'utf8').trim();
    const sdjwt = await instance({
      holderPriv: loadJwk(o['holder-key'], true),
      issuerPub: o['issuer-key'] ? loadJwk(o['issuer-key'], false) : undefined,
    });
    if (o['issuer-key']) await sdjwt.validate(cred); // issuer signature + disclosures
    const opts = o.nonce || o.aud
      ? { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: o.aud, nonce: o.nonce } } }
      : undefined;
    const decoded = await sdjwt.decode(cred);
    const raw = [];
    for (const p of o.disclose ?? []) raw.push(await rawPointer(decoded, p));
    out(o.out, await sdjwt.present(cred, presentationFrame(raw), opts));
  } else if (cmd === 'verify') {
    if (!o['issuer-key'] || o._.length !== 1) usage('verify --issuer-key K [--nonce N --aud A] FILE');
    const pres = readFileSync(o._[0], 'utf8').trim();
    const sdjwt = await instance({ issuerPub: loadJwk(o['issuer-key'], false) });
    const res = await sdjwt.verify(pres, o.nonce ? { keyBindingNonce: o.nonce } : {});
    if (o.aud !== undefined) {
      const aud = res.kb?.payload?.aud;
      const ok = Array.isArray(aud) ? aud.includes(o.aud) : aud === o.aud;
      if (!ok) throw new Error(`peer check: KB-JWT aud ${JSON.stringify(aud)} != ${JSON.stringify(o.aud)}`);
    }
    out('-', JSON.stringify(res.payload));
  } else {
    usage('command must be issue, present or verify');
  }
}

main().catch((e) => {
  process.stderr.write(`error: ${e?.name ?? 'Error'}: ${String(e?.message ?? e).split('\n')[0]}\n`);
  process.exit(1);
});
