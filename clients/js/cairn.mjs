// Cairn's byte formats in JavaScript, written from docs/formats.md (not generated from the Java code): bytes,
// the strict reader, tagged hashes, keys, signatures and Bech32m addresses, transactions (build, sign, encode,
// decode), accounts, state keys and proofs, validator sets, headers, commit certificates, Merkle roots and
// proofs, notarization records. One module for two users: the JS client (clients/js, Node 20) and the block
// explorer, whose build copies this file into its jar (explorer/pom.xml). So it imports nothing: SHA-256 and
// Ed25519 come from WebCrypto (Node 20 and current browsers), Bech32m is written out here. Hashing and
// signing are async because WebCrypto is. Bytes are Uint8Array; u64 values are BigInt.

const UTF8 = new TextEncoder();
const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });

export const LIMITS = Object.freeze({
  chainIdBytesMax: 64, recordKeyBytesMax: 256, recordValueBytesMax: 4096, txBytesMax: 8192,
  validatorsMax: 1024, proofSiblingsMax: 256, proofBytesMax: 8292, merkleLeavesMax: 100000,
});

// ---- bytes ----
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
export const hex = (bytes) => { let s = ''; for (const b of bytes) s += HEX[b]; return s; };
export const hex0x = (bytes) => '0x' + hex(bytes);
export function unhex(text) {
  if (typeof text !== 'string') throw new Error('expected hex text');
  const s = text.startsWith('0x') ? text.slice(2) : text;
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new Error(`not hex: ${text.slice(0, 20)}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(2 * i, 2), 16);
  return out;
}
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
export const equal = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
export function compare(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
export const u8 = (v) => Uint8Array.of(v);
export const u16 = (v) => Uint8Array.of(v >>> 8, v & 0xff);
export const u32 = (v) => Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
export const utf8 = (text) => UTF8.encode(text);
export function u64(v) {
  const n = BigInt(v);
  if (n < 0n || n > 0x7fffffffffffffffn) throw new Error(`u64 field out of range (0..2^63-1): ${v}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}
const lengthPrefixed = (bytes) => concat(u32(bytes.length), bytes);
/** The text of `bytes` if they are valid UTF-8 without control characters (except tab/newline), else null. */
export function printableText(bytes) {
  try {
    const t = UTF8_STRICT.decode(bytes);
    return /[\u0000-\u0008\u000b-\u001f\u007f]/.test(t) ? null : t;
  } catch { return null; }
}

/** A strict reader: every read is bounded, every failure names the field. */
export class Reader {
  constructor(bytes) { this.b = bytes; this.at = 0; }
  need(n, field) { if (this.b.length - this.at < n) throw new Error(`${field}: truncated`); }
  u8(field) { this.need(1, field); return this.b[this.at++]; }
  u16(field) { this.need(2, field); const v = (this.b[this.at] << 8) | this.b[this.at + 1]; this.at += 2; return v; }
  u32(field) {
    this.need(4, field);
    const v = new DataView(this.b.buffer, this.b.byteOffset + this.at, 4).getUint32(0);
    this.at += 4;
    return v;
  }
  u64(field) {
    this.need(8, field);
    const v = new DataView(this.b.buffer, this.b.byteOffset + this.at, 8).getBigUint64(0);
    this.at += 8;
    if (v > 0x7fffffffffffffffn) throw new Error(`${field}: top bit set`);
    return v;
  }
  fixed(n, field) { this.need(n, field); const v = this.b.slice(this.at, this.at + n); this.at += n; return v; }
  bytes(field, max) {
    const n = this.u32(`${field} length`);
    if (n > max) throw new Error(`${field}: ${n} bytes exceeds ${max}`);
    return this.fixed(n, field);
  }
  string(field, max) {
    const b = this.bytes(field, max);
    try { return UTF8_STRICT.decode(b); } catch { throw new Error(`${field}: not valid UTF-8`); }
  }
  expect(value, field) { const v = this.u8(field); if (v !== value) throw new Error(`${field}: expected ${value}, got ${v}`); }
  finish(what) { if (this.at !== this.b.length) throw new Error(`${what}: ${this.b.length - this.at} trailing bytes`); }
}

// ---- tagged hash ----
export const TAGS = Object.freeze({
  txSigning: 'cairn/tx-signing/v1', txId: 'cairn/tx-id/v1', blockHeader: 'cairn/block-header/v1',
  commitSeal: 'cairn/commit-seal/v1', address: 'cairn/address/v1', txRoot: 'cairn/tx-root/v1',
  receiptsRoot: 'cairn/receipts-root/v1', validatorSet: 'cairn/validator-set/v1', stateLeaf: 'cairn/state-leaf/v1',
  stateNode: 'cairn/state-node/v1', stateKey: 'cairn/state-key/v1', consensusMessage: 'cairn/consensus-message/v1',
  genesis: 'cairn/genesis/v1',
});
export const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
export const tagPrefix = (tag) => { const t = UTF8.encode(tag); return concat(u8(t.length), t); };
/** H(tag; parts...) = SHA-256(u8 len(tag) || tag || parts...). */
export const taggedHash = (tag, ...parts) => sha256(concat(tagPrefix(tag), ...parts));

// ---- Ed25519 (WebCrypto) ----
/** True when this browser's WebCrypto verifies Ed25519 (current Chromium, Firefox and Safari do). */
export async function ed25519Available() {
  try {
    await crypto.subtle.importKey('raw', new Uint8Array(32).fill(1), { name: 'Ed25519' }, false, ['verify']);
    return true;
  } catch (e) {
    // A key that is not a curve point is a DataError; an unknown algorithm is NotSupportedError.
    return e && e.name !== 'NotSupportedError';
  }
}
const keyCache = new Map();
/** Ed25519 verification of `signature` over `message` by the 32-byte `publicKey`; false on any failure. */
export async function verifySignature(signature, message, publicKey) {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const id = hex(publicKey);
  try {
    let key = keyCache.get(id);
    if (!key) {
      key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
      if (keyCache.size > 2048) keyCache.clear();
      keyCache.set(id, key);
    }
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
  } catch { return false; }
}

/** The same, under the name the client has always used. */
export const verify = verifySignature;

// An Ed25519 seed as a PKCS#8 private key, the form WebCrypto imports: a fixed 16-byte prefix (RFC 8410).
const PKCS8_PREFIX = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20);
const signingKey = (seed) => {
  if (seed.length !== 32) throw new Error('an Ed25519 seed has 32 bytes');
  return crypto.subtle.importKey('pkcs8', concat(PKCS8_PREFIX, seed), { name: 'Ed25519' }, true, ['sign']);
};
/** The 32-byte public key of a 32-byte seed. */
export async function publicKeyOf(seed) {
  const jwk = await crypto.subtle.exportKey('jwk', await signingKey(seed));
  return Uint8Array.from(atob(jwk.x.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
}
/** The 64-byte Ed25519 signature of `message` by `seed`. */
export const sign = async (message, seed) =>
  new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, await signingKey(seed), message));

// ---- addresses: first 20 bytes of H(cairn/address/v1; key), Bech32m with hrp "cairn" (BIP-350) ----
export const HRP = 'cairn';
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32M_CONST = 0x2bc830a3;
function polymod(values) {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i];
  }
  return chk >>> 0;
}
const hrpExpand = (hrp) => [...hrp].map((c) => c.charCodeAt(0) >> 5).concat([0], [...hrp].map((c) => c.charCodeAt(0) & 31));
function convertBits(data, from, to, pad) {
  let acc = 0, bits = 0;
  const out = [];
  const max = (1 << to) - 1;
  for (const v of data) {
    acc = (acc << from) | v;
    bits += from;
    while (bits >= to) { bits -= to; out.push((acc >> bits) & max); }
  }
  if (pad) { if (bits > 0) out.push((acc << (to - bits)) & max); }
  else if (bits >= from || ((acc << (to - bits)) & max) !== 0) throw new Error('address has non-zero padding bits');
  return out;
}
export function addressText(address) {
  const words = convertBits(address, 8, 5, true);
  const chk = polymod(hrpExpand(HRP).concat(words, [0, 0, 0, 0, 0, 0])) ^ BECH32M_CONST;
  const checksum = [0, 1, 2, 3, 4, 5].map((i) => (chk >>> (5 * (5 - i))) & 31);
  return HRP + '1' + words.concat(checksum).map((w) => CHARSET[w]).join('');
}
/** The 20 address bytes of `text`, or throws saying why (checksum, case, prefix, length). */
export function parseAddress(text) {
  if (typeof text !== 'string' || text.length > 90) throw new Error('address too long');
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) throw new Error('address mixes upper and lower case');
  const s = text.toLowerCase();
  const sep = s.lastIndexOf('1');
  if (sep < 1 || s.slice(0, sep) !== HRP) throw new Error(`address must start with ${HRP}1`);
  const words = [];
  for (const c of s.slice(sep + 1)) {
    const w = CHARSET.indexOf(c);
    if (w < 0) throw new Error(`address has an invalid character '${c}'`);
    words.push(w);
  }
  if (words.length < 6) throw new Error('address too short');
  if (polymod(hrpExpand(HRP).concat(words)) !== BECH32M_CONST) throw new Error('address checksum mismatch (mistyped?)');
  const bytes = convertBits(words.slice(0, -6), 5, 8, false);
  if (bytes.length !== 20) throw new Error(`address has ${bytes.length} bytes, expected 20`);
  return Uint8Array.from(bytes);
}
export const isAddress = (text) => { try { parseAddress(text); return true; } catch { return false; } };
export const addressOf = async (publicKey) => (await taggedHash(TAGS.address, publicKey)).slice(0, 20);

// ---- transactions ----
export const KINDS = ['transfer', 'record_put', 'role_grant', 'role_revoke', 'validator_vote'];
export const KIND = Object.freeze({ transfer: 1, record_put: 2, role_grant: 3, role_revoke: 4, validator_vote: 5 });
export const ROLE = Object.freeze({ member: 1, admin: 2 });
export const VOTE_ACTION = Object.freeze({ add: 0, remove: 1 });
const ROLES = { 1: 'member', 2: 'admin' };
const ACTIONS = { 0: 'add', 1: 'remove' };

function payloadBytes(kind, p) {
  switch (kind) {
    case 'transfer':
      if (BigInt(p.amount) <= 0n) throw new Error('transfer amount must be positive');
      return concat(p.to, u64(p.amount));
    case 'record_put': {
      const key = UTF8.encode(p.key);
      if (key.length < 1 || key.length > LIMITS.recordKeyBytesMax) throw new Error('record key must have 1..256 bytes');
      if (p.value.length > LIMITS.recordValueBytesMax) throw new Error('record value over 4096 bytes');
      return concat(lengthPrefixed(key), lengthPrefixed(p.value));
    }
    case 'role_grant': case 'role_revoke': return concat(p.account, u8(ROLE[p.role]));
    case 'validator_vote': return concat(p.validator, u8(VOTE_ACTION[p.action]));
    default: throw new Error(`unknown kind ${kind}`);
  }
}

/** body = chainId:string sender[32] nonce:u64 kind:u8 payload */
export function txBody({ chainId, sender, nonce, kind, payload }) {
  const id = UTF8.encode(chainId);
  if (id.length < 1 || id.length > LIMITS.chainIdBytesMax) throw new Error('chain id must have 1..64 bytes');
  return concat(lengthPrefixed(id), sender, u64(nonce), u8(KIND[kind]), payloadBytes(kind, payload));
}
/** The signing preimage: type byte 0x02 (not the transaction's 0x01), version 1, body. */
export const signingPreimage = (tx) => concat(Uint8Array.of(0x02, 0x01), txBody(tx));
export const signingHash = (tx) => taggedHash(TAGS.txSigning, signingPreimage(tx));
export const encodeTx = (tx, signature) => concat(Uint8Array.of(0x01, 0x01), txBody(tx), signature);
export const txId = (encoded) => taggedHash(TAGS.txId, encoded);

/** Builds and signs: resolves to { tx, signature, encoded, id }. */
export async function signTx(tx, seed) {
  const signature = await sign(await signingHash(tx), seed);
  const encoded = encodeTx(tx, signature);
  return { tx, signature, encoded, id: await txId(encoded) };
}

/**
 * Decodes one canonical signed transaction or throws (the signature is not checked: txSignatureValid);
 * resolves to its fields, also as `tx` (what encodeTx takes), its signature, signing hash and id.
 */
export async function decodeTx(bytes) {
  if (bytes.length > LIMITS.txBytesMax) throw new Error('transaction over 8192 bytes');
  const r = new Reader(bytes);
  r.expect(0x01, 'type');
  r.expect(0x01, 'version');
  const chainId = r.string('chainId', LIMITS.chainIdBytesMax);
  if (chainId.length === 0) throw new Error('chainId: empty');
  const sender = r.fixed(32, 'sender');
  const nonce = r.u64('nonce');
  const code = r.u8('kind');
  const kind = KINDS[code - 1];
  let payload;
  switch (kind) {
    case 'transfer':
      payload = { to: r.fixed(20, 'to'), amount: r.u64('amount') };
      if (payload.amount === 0n) throw new Error('amount: must be positive');
      break;
    case 'record_put': {
      const key = r.string('record key', LIMITS.recordKeyBytesMax);
      if (key.length === 0) throw new Error('record key: empty');
      payload = { key, value: r.bytes('record value', LIMITS.recordValueBytesMax) };
      break;
    }
    case 'role_grant': case 'role_revoke': {
      const account = r.fixed(20, 'account');
      const role = ROLES[r.u8('role')];
      if (!role) throw new Error('role: unknown code');
      payload = { account, role };
      break;
    }
    case 'validator_vote': {
      const validator = r.fixed(32, 'validator');
      const action = ACTIONS[r.u8('action')];
      if (!action) throw new Error('action: unknown code');
      payload = { validator, action };
      break;
    }
    default: throw new Error(`kind: unknown ${code}`);
  }
  const bodyEnd = r.at;
  const signature = r.fixed(64, 'signature');
  r.finish('transaction');
  const preimage = concat(Uint8Array.of(0x02, 0x01), bytes.slice(2, bodyEnd));
  return {
    tx: { chainId, sender, nonce, kind, payload }, chainId, sender, nonce, kind, payload, signature,
    signingHash: await taggedHash(TAGS.txSigning, preimage),
    id: await taggedHash(TAGS.txId, bytes),
  };
}
/** Whether a decoded transaction carries its sender's valid signature. */
export const txSignatureValid = (decoded) => verifySignature(decoded.signature, decoded.signingHash, decoded.sender);

// ---- accounts ----
export function encodeAccount({ balance, nonce, roles }) {
  const mask = roles.reduce((m, r) => m | ROLE[r], 0);
  return concat(Uint8Array.of(0x08, 0x01), u64(balance), u64(nonce), u8(mask));
}
export function decodeAccount(bytes) {
  const r = new Reader(bytes);
  r.expect(0x08, 'type');
  r.expect(0x01, 'version');
  const balance = r.u64('balance');
  const nonce = r.u64('nonce');
  const mask = r.u8('roles');
  if (mask & ~0x03) throw new Error(`roles: unknown bits ${mask}`);
  r.finish('account');
  return { balance, nonce, roles: [1, 2].filter((b) => mask & b).map((b) => ROLES[b]) };
}

// ---- state keys and proofs ----
export const stateKeys = Object.freeze({
  account: (address) => taggedHash(TAGS.stateKey, u8(1), address),
  record: (owner, key) => { const k = UTF8.encode(key); return taggedHash(TAGS.stateKey, u8(2), owner, u16(k.length), k); },
  validatorSet: () => taggedHash(TAGS.stateKey, u8(3)),
  vote: (candidate, action) => {
    if (!(action in VOTE_ACTION) || candidate.length !== 32) throw new Error(`not a vote: ${action}`);
    return taggedHash(TAGS.stateKey, u8(4), candidate, u8(VOTE_ACTION[action]));
  },
  chainParameters: () => taggedHash(TAGS.genesis, UTF8.encode('chain-parameters')),
});

/** Sorted unique 32-byte keys after `type` 0x01 and a u32 count: a validator set (0x07) or a vote tally (0x0B). */
function decodeKeyList(bytes, type, what) {
  const r = new Reader(bytes);
  r.expect(type, 'type');
  r.expect(0x01, 'version');
  const count = r.u32('count');
  if (count < 1 || count > LIMITS.validatorsMax) throw new Error(`${what}: ${count} keys, 1..${LIMITS.validatorsMax} allowed`);
  const keys = [];
  for (let i = 0; i < count; i++) {
    const key = r.fixed(32, `key ${i}`);
    if (keys.length && compare(keys[keys.length - 1], key) >= 0) throw new Error(`${what}: not sorted or duplicated`);
    keys.push(key);
  }
  r.finish(what);
  return keys;
}
/** The validator set value in state: its keys. */
export const decodeValidatorSetValue = (bytes) => decodeKeyList(bytes, 0x07, 'validator set');
/** A pending validator-set change's tally in state: the keys that voted for it. */
export const decodeVoteTally = (bytes) => decodeKeyList(bytes, 0x0b, 'vote tally');
export const EMPTY = new Uint8Array(32);
export const valueDigest = (value) => taggedHash(TAGS.stateLeaf, u8(0x01), value);
export const leafHash = (key, digest) => taggedHash(TAGS.stateLeaf, u8(0x00), key, digest);
export const innerHash = (left, right) => taggedHash(TAGS.stateNode, left, right);
const bit = (key, i) => (key[i >> 3] >> (7 - (i & 7))) & 1;

export function decodeProof(bytes) {
  if (bytes.length > LIMITS.proofBytesMax) throw new Error('proof too large');
  const r = new Reader(bytes);
  r.expect(1, 'proof version');
  const depth = r.u16('depth');
  if (depth > LIMITS.proofSiblingsMax) throw new Error(`depth ${depth} over 256`);
  const bitmap = r.fixed((depth + 7) >> 3, 'bitmap');
  if ((depth & 7) !== 0 && (bitmap[bitmap.length - 1] & (0xff >> (depth & 7))) !== 0) throw new Error('bitmap padding bits set');
  const siblings = [];
  for (let i = 0; i < depth; i++) {
    if (bit(bitmap, i) === 0) { siblings.push(EMPTY); continue; }
    const s = r.fixed(32, `sibling ${i}`);
    if (equal(s, EMPTY)) throw new Error(`sibling ${i}: empty sibling written out`);
    siblings.push(s);
  }
  const end = r.u8('end kind');
  let leaf = null;
  if (end === 1) leaf = { key: r.fixed(32, 'leaf key'), valueDigest: r.fixed(32, 'leaf value digest') };
  else if (end !== 0) throw new Error(`end kind ${end} unknown`);
  r.finish('proof');
  return { siblings, leaf };
}

function commonPrefixBits(a, b) { for (let i = 0; i < 256; i++) if (bit(a, i) !== bit(b, i)) return i; return 256; }

/** Null when under `root` the key holds `value` (bytes) or nothing (null); else the reason. */
export async function verifyProof(root, key, value, proof) {
  const depth = proof.siblings.length;
  let node;
  if (proof.leaf === null) {
    if (value !== null) return 'key_absent';
    node = EMPTY;
  } else if (equal(proof.leaf.key, key)) {
    if (value === null) return 'key_present';
    if (!equal(proof.leaf.valueDigest, await valueDigest(value))) return 'value_mismatch';
    node = await leafHash(key, proof.leaf.valueDigest);
  } else {
    if (value !== null) return 'key_absent';
    if (commonPrefixBits(proof.leaf.key, key) < depth) return 'leaf_off_path';
    node = await leafHash(proof.leaf.key, proof.leaf.valueDigest);
  }
  for (let level = depth - 1; level >= 0; level--) {
    const s = proof.siblings[level];
    node = bit(key, level) === 0 ? await innerHash(node, s) : await innerHash(s, node);
  }
  return equal(node, root) ? null : 'root_mismatch';
}

// ---- validator sets, headers, certificates ----
/** A validator set from its public keys: sorted, hashed, with its quorum ceil(2n/3). */
export async function validatorSet(keys) {
  const sorted = [...keys].sort(compare);
  for (let i = 1; i < sorted.length; i++) if (equal(sorted[i], sorted[i - 1])) throw new Error('duplicate validator');
  if (sorted.length < 1 || sorted.length > LIMITS.validatorsMax) throw new Error('a validator set has 1..1024 keys');
  if (sorted.some((k) => k.length !== 32)) throw new Error('a validator key has 32 bytes');
  const encoded = concat(Uint8Array.of(0x07, 0x01), u32(sorted.length), ...sorted);
  return { validators: sorted, encoded, hash: await taggedHash(TAGS.validatorSet, encoded), quorum: Math.floor((2 * sorted.length + 2) / 3) };
}

export async function decodeHeader(bytes) {
  const r = new Reader(bytes);
  r.expect(0x03, 'type');
  r.expect(0x01, 'version');
  const h = {
    height: r.u64('height'), parentHash: r.fixed(32, 'parentHash'), timestampMillis: r.u64('timestamp'),
    proposer: r.fixed(32, 'proposer'), round: r.u32('round'), txRoot: r.fixed(32, 'txRoot'),
    receiptsRoot: r.fixed(32, 'receiptsRoot'), stateRoot: r.fixed(32, 'stateRoot'), validatorSetHash: r.fixed(32, 'validatorSetHash'),
  };
  if (h.round > 0x7fffffff) throw new Error('round over 2^31-1');
  r.finish('header');
  return { ...h, hash: await taggedHash(TAGS.blockHeader, bytes) };
}

export const sealDigest = (blockHash) => taggedHash(TAGS.commitSeal, blockHash);

export function decodeCertificate(bytes) {
  const r = new Reader(bytes);
  r.expect(0x05, 'type');
  r.expect(0x01, 'version');
  const blockHash = r.fixed(32, 'blockHash');
  const count = r.u32('seal count');
  if (count > LIMITS.validatorsMax) throw new Error('too many seals');
  const seals = [];
  for (let i = 0; i < count; i++) {
    const validator = r.fixed(32, 'seal validator');
    if (seals.length > 0 && compare(seals[seals.length - 1].validator, validator) >= 0) throw new Error('seals not sorted or duplicated');
    seals.push({ validator, signature: r.fixed(64, 'seal signature') });
  }
  r.finish('certificate');
  return { blockHash, seals };
}

/**
 * Checks each seal and the certificate as a whole. Returns { reason, seals: [{ validator, member, valid }] }:
 * reason is null when the certificate proves `expectedBlockHash` final under `set`, else the first failure in
 * the order of docs/formats.md (wrong block, non-validator, bad signature, below quorum).
 */
export async function checkCertificate(certificate, expectedBlockHash, set) {
  const digest = await sealDigest(certificate.blockHash);
  const seen = new Set();
  const seals = [];
  for (const seal of certificate.seals) {
    const member = set.validators.some((v) => equal(v, seal.validator));
    const duplicate = seen.has(hex(seal.validator));
    seen.add(hex(seal.validator));
    seals.push({ validator: seal.validator, member, duplicate, valid: await verifySignature(seal.signature, digest, seal.validator) });
  }
  let reason = null;
  if (!equal(certificate.blockHash, expectedBlockHash)) reason = 'certificate_wrong_block';
  else if (seals.some((s) => s.duplicate)) reason = 'duplicate_seal';
  else if (seals.some((s) => !s.member)) reason = 'seal_from_non_validator';
  else if (seals.some((s) => !s.valid)) reason = 'seal_bad_signature';
  else if (seals.length < set.quorum) reason = 'certificate_below_quorum';
  return { reason, seals };
}

/** Null when `certificate` proves `expectedBlockHash` final under `set`, else the reason (see checkCertificate). */
export const verifyCertificate = async (certificate, expectedBlockHash, set) =>
  (await checkCertificate(certificate, expectedBlockHash, set)).reason;

// ---- Merkle roots and inclusion proofs (transactions, receipts) ----
export async function merkleRoot(tag, leaves) {
  if (leaves.length === 0) return taggedHash(tag);
  let level = await Promise.all(leaves.map((l) => taggedHash(tag, u8(0), l)));
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? await taggedHash(tag, u8(1), level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}
export const encodeReceipt = (txIdBytes, code) => concat(Uint8Array.of(0x06, 0x01), txIdBytes, u16(code));
export const receiptLeaf = (txIdBytes, code) => taggedHash(TAGS.receiptsRoot, encodeReceipt(txIdBytes, code));
export const receiptsRoot = async (receipts) =>
  merkleRoot(TAGS.receiptsRoot, await Promise.all(receipts.map((r) => receiptLeaf(r.txId, r.code))));
export const txRoot = (ids) => merkleRoot(TAGS.txRoot, ids);

/** Null when leaf hash `leaf` at `index` of `leafCount` leads with `siblings` to `root` under `tag`; else why. */
export async function verifyMerkleProof(tag, leaf, { index, leafCount, siblings }, root) {
  if (!Number.isInteger(leafCount) || leafCount < 1 || leafCount > LIMITS.merkleLeavesMax) return 'bad_leaf_count';
  if (!Number.isInteger(index) || index < 0 || index >= leafCount) return 'bad_index';
  let node = await taggedHash(tag, u8(0), leaf);
  let at = index, width = leafCount, k = 0;
  while (width > 1) {
    if (at % 2 === 1) {
      if (k >= siblings.length) return 'missing_sibling';
      node = await taggedHash(tag, u8(1), siblings[k++], node);
    } else if (at + 1 < width) {
      if (k >= siblings.length) return 'missing_sibling';
      node = await taggedHash(tag, u8(1), node, siblings[k++]);
    }
    at = Math.floor(at / 2);
    width = Math.floor((width + 1) / 2);
  }
  if (k !== siblings.length) return 'extra_siblings';
  return equal(node, root) ? null : 'root_mismatch';
}

// ---- notarization records (the application format `wallet notarize` writes; docs/formats.md) ----
export const NOTARY_KEY_PREFIX = 'notary/sha256/';
const NOTARY_NAME_BYTES_MAX = 256;
const NOTARY_DESCRIPTION_BYTES_MAX = 1024;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The record key of a file's SHA-256 digest (bytes). */
export const notaryKey = (digest) => NOTARY_KEY_PREFIX + hex(digest);
/** Decodes a notarization value (type 0x40) or throws naming the first thing that is not canonical. */
export function decodeNotarization(bytes) {
  const r = new Reader(bytes);
  r.expect(0x40, 'notarization type');
  r.expect(0x01, 'notarization version');
  r.expect(0x01, 'digest algorithm');
  const digest = r.fixed(32, 'digest');
  const size = r.u64('size');
  const name = r.string('name', NOTARY_NAME_BYTES_MAX);
  const description = r.string('description', NOTARY_DESCRIPTION_BYTES_MAX);
  r.finish('notarization');
  if (CONTROL.test(name) || CONTROL.test(description)) throw new Error('notarization: control character in name or description');
  return { digest, size, name, description };
}

// ---- light client ----
/**
 * Checks a cairn_getProof answer trusting only `trusted` (a validatorSet()): the header is decoded from its
 * bytes, the certificate must carry a quorum of `trusted` over the header's hash, the state key is recomputed
 * from what was asked, and the proof must lead from the value to the header's state root.
 * Resolves to { ok: true, header, value } or { ok: false, reason }.
 */
export async function verifyProofAnswer(answer, { address, recordKey = null }, trusted) {
  const header = await decodeHeader(unhex(answer.header.encoded));
  if (!equal(header.validatorSetHash, trusted.hash)) return { ok: false, reason: 'validator_set_mismatch' };
  const certificate = {
    blockHash: unhex(answer.certificate.blockHash),
    seals: answer.certificate.seals.map((s) => ({ validator: unhex(s.validator), signature: unhex(s.signature) })),
  };
  const sealed = await verifyCertificate(certificate, header.hash, trusted);
  if (sealed) return { ok: false, reason: sealed };
  const key = recordKey === null ? await stateKeys.account(address) : await stateKeys.record(address, recordKey);
  const value = answer.value === null ? null : unhex(answer.value);
  const proven = await verifyProof(header.stateRoot, key, value, decodeProof(unhex(answer.proof)));
  if (proven) return { ok: false, reason: proven };
  return { ok: true, header, value };
}
