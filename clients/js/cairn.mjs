// Cairn formats in JavaScript, written from docs/formats.md (not generated from the Java code).
// Bytes are Uint8Array; u64 values are BigInt; hex is lowercase without 0x unless a function says otherwise.
import * as ed from '@noble/ed25519';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bech32m } from '@scure/base';

ed.hashes.sha512 = sha512;

const UTF8 = new TextEncoder();
const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });

// ---- limits (docs/formats.md, "Limits") ----
export const LIMITS = Object.freeze({
  chainIdBytesMax: 64, recordKeyBytesMax: 256, recordValueBytesMax: 4096, txBytesMax: 8192,
  validatorsMax: 1024, proofSiblingsMax: 256, proofBytesMax: 8292,
});

// ---- bytes ----
export const hex = (bytes) => Buffer.from(bytes).toString('hex');
export function unhex(text) {
  const s = text.startsWith('0x') ? text.slice(2) : text;
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new Error(`not hex: ${text.slice(0, 20)}`);
  return new Uint8Array(Buffer.from(s, 'hex'));
}
export const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
export const equal = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
export function compare(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
export const u8 = (v) => Uint8Array.of(v);
export const u16 = (v) => Uint8Array.of(v >>> 8, v & 0xff);
export const u32 = (v) => Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
export function u64(v) {
  const n = BigInt(v);
  if (n < 0n || n > 0x7fffffffffffffffn) throw new Error(`u64 field out of range (0..2^63-1): ${v}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}
const utf8String = (text) => { const b = UTF8.encode(text); return concat(u32(b.length), b); };
const lengthPrefixed = (bytes) => concat(u32(bytes.length), bytes);

/** A strict reader: every read is bounded, every failure names the field. */
export class Reader {
  constructor(bytes) { this.b = bytes; this.at = 0; }
  need(n, field) {
    if (this.b.length - this.at < n) throw new Error(`${field}: truncated`);
  }
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
export const tagPrefix = (tag) => { const t = UTF8.encode(tag); return concat(u8(t.length), t); };
/** SHA-256(u8 len(tag) || tag ASCII || parts...). */
export const taggedHash = (tag, ...parts) => sha256(concat(tagPrefix(tag), ...parts));

// ---- keys and addresses ----
export const HRP = 'cairn';
export const publicKeyOf = (seed) => ed.getPublicKey(seed);
export const sign = (message, seed) => ed.sign(message, seed);
/** Strict RFC 8032 verification (non-canonical encodings rejected), as the node does. */
export function verify(signature, message, publicKey) {
  try { return ed.verify(signature, message, publicKey, { zip215: false }); } catch { return false; }
}
export const addressOf = (publicKey) => taggedHash(TAGS.address, publicKey).slice(0, 20);
export const addressText = (address) => bech32m.encode(HRP, bech32m.toWords(address));
export function parseAddress(text) {
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) throw new Error('address mixes upper and lower case');
  const { prefix, words } = bech32m.decode(text.toLowerCase());
  if (prefix !== HRP) throw new Error(`address must start with ${HRP}1`);
  const bytes = bech32m.fromWords(words);
  if (bytes.length !== 20) throw new Error(`address has ${bytes.length} bytes, expected 20`);
  return bytes;
}

// ---- transactions ----
export const KIND = Object.freeze({ transfer: 1, record_put: 2, role_grant: 3, role_revoke: 4, validator_vote: 5 });
export const ROLE = Object.freeze({ member: 1, admin: 2 });
export const VOTE_ACTION = Object.freeze({ add: 0, remove: 1 });

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
  return concat(utf8String(chainId), sender, u64(nonce), u8(KIND[kind]), payloadBytes(kind, payload));
}
/** The signing preimage: type byte 0x02 (not the transaction's 0x01), version 1, body. */
export const signingPreimage = (tx) => concat(Uint8Array.of(0x02, 0x01), txBody(tx));
export const signingHash = (tx) => taggedHash(TAGS.txSigning, signingPreimage(tx));
export const encodeTx = (tx, signature) => concat(Uint8Array.of(0x01, 0x01), txBody(tx), signature);
export const txId = (encoded) => taggedHash(TAGS.txId, encoded);

/** Builds and signs: returns { tx, signature, encoded, id }. */
export function signTx(tx, seed) {
  const signature = sign(signingHash(tx), seed);
  const encoded = encodeTx(tx, signature);
  return { tx, signature, encoded, id: txId(encoded) };
}

/** Decodes exactly one canonical transaction or throws; does not check the signature. */
export function decodeTx(bytes) {
  if (bytes.length > LIMITS.txBytesMax) throw new Error('transaction over 8192 bytes');
  const r = new Reader(bytes);
  r.expect(0x01, 'type');
  r.expect(0x01, 'version');
  const chainId = r.string('chainId', LIMITS.chainIdBytesMax);
  if (chainId.length === 0) throw new Error('chainId: empty');
  const sender = r.fixed(32, 'sender');
  const nonce = r.u64('nonce');
  const code = r.u8('kind');
  const kind = Object.keys(KIND).find((k) => KIND[k] === code);
  let payload;
  switch (kind) {
    case 'transfer': {
      payload = { to: r.fixed(20, 'to'), amount: r.u64('amount') };
      if (payload.amount === 0n) throw new Error('amount: must be positive');
      break;
    }
    case 'record_put': {
      const key = r.string('record key', LIMITS.recordKeyBytesMax);
      if (key.length === 0) throw new Error('record key: empty');
      payload = { key, value: r.bytes('record value', LIMITS.recordValueBytesMax) };
      break;
    }
    case 'role_grant': case 'role_revoke': {
      const account = r.fixed(20, 'account');
      const roleCode = r.u8('role');
      const role = Object.keys(ROLE).find((k) => ROLE[k] === roleCode);
      if (!role) throw new Error(`role: unknown code ${roleCode}`);
      payload = { account, role };
      break;
    }
    case 'validator_vote': {
      const validator = r.fixed(32, 'validator');
      const actionCode = r.u8('action');
      const action = Object.keys(VOTE_ACTION).find((k) => VOTE_ACTION[k] === actionCode);
      if (!action) throw new Error(`action: unknown code ${actionCode}`);
      payload = { validator, action };
      break;
    }
    default: throw new Error(`kind: unknown ${code}`);
  }
  const signature = r.fixed(64, 'signature');
  r.finish('transaction');
  return { tx: { chainId, sender, nonce, kind, payload }, signature };
}

export const txSignatureValid = ({ tx, signature }) => verify(signature, signingHash(tx), tx.sender);

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
  return { balance, nonce, roles: Object.keys(ROLE).filter((k) => mask & ROLE[k]) };
}

// ---- state keys and the state tree ----
export const stateKeys = Object.freeze({
  account: (address) => taggedHash(TAGS.stateKey, u8(1), address),
  record: (owner, key) => { const k = UTF8.encode(key); return taggedHash(TAGS.stateKey, u8(2), owner, u16(k.length), k); },
  validatorSet: () => taggedHash(TAGS.stateKey, u8(3)),
  vote: (candidate, action) => taggedHash(TAGS.stateKey, u8(4), candidate, u8(VOTE_ACTION[action])),
  chainParameters: () => taggedHash(TAGS.genesis, UTF8.encode('chain-parameters')),
});
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
    if (((bitmap[i >> 3] >> (7 - (i & 7))) & 1) === 0) { siblings.push(EMPTY); continue; }
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

const commonPrefixBits = (a, b) => { for (let i = 0; i < 256; i++) if (bit(a, i) !== bit(b, i)) return i; return 256; };

/** Returns null when under `root` the key holds `value` (Uint8Array) or nothing (null); else the reason. */
export function verifyProof(root, key, value, proof) {
  const depth = proof.siblings.length;
  let node;
  if (proof.leaf === null) {
    if (value !== null) return 'key_absent';
    node = EMPTY;
  } else if (equal(proof.leaf.key, key)) {
    if (value === null) return 'key_present';
    if (!equal(proof.leaf.valueDigest, valueDigest(value))) return 'value_mismatch';
    node = leafHash(key, proof.leaf.valueDigest);
  } else {
    if (value !== null) return 'key_absent';
    if (commonPrefixBits(proof.leaf.key, key) < depth) return 'leaf_off_path';
    node = leafHash(proof.leaf.key, proof.leaf.valueDigest);
  }
  for (let level = depth - 1; level >= 0; level--) {
    const s = proof.siblings[level];
    node = bit(key, level) === 0 ? innerHash(node, s) : innerHash(s, node);
  }
  return equal(node, root) ? null : 'root_mismatch';
}

// ---- validator sets, headers, seals, certificates ----
export function validatorSet(keys) {
  const sorted = [...keys].sort(compare);
  for (let i = 1; i < sorted.length; i++) if (equal(sorted[i], sorted[i - 1])) throw new Error('duplicate validator');
  if (sorted.length < 1 || sorted.length > LIMITS.validatorsMax) throw new Error('1..1024 validators');
  const encoded = concat(Uint8Array.of(0x07, 0x01), u32(sorted.length), ...sorted);
  return { validators: sorted, encoded, hash: taggedHash(TAGS.validatorSet, encoded), quorum: Math.floor((2 * sorted.length + 2) / 3) };
}

export function decodeHeader(bytes) {
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
  return { ...h, hash: taggedHash(TAGS.blockHeader, bytes) };
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

/** Returns null when `certificate` proves `expectedBlockHash` final under `set`, else the reason. */
export function verifyCertificate(certificate, expectedBlockHash, set) {
  if (!equal(certificate.blockHash, expectedBlockHash)) return 'certificate_wrong_block';
  const seen = new Set();
  const digest = sealDigest(certificate.blockHash);
  for (const seal of certificate.seals) {
    const k = hex(seal.validator);
    if (seen.has(k)) return 'duplicate_seal';
    seen.add(k);
    if (!set.validators.some((v) => equal(v, seal.validator))) return 'seal_from_non_validator';
    if (!verify(seal.signature, digest, seal.validator)) return 'seal_bad_signature';
  }
  return certificate.seals.length >= set.quorum ? null : 'certificate_below_quorum';
}

// ---- Merkle roots of transactions and receipts ----
export function merkleRoot(tag, leaves) {
  if (leaves.length === 0) return taggedHash(tag);
  let level = leaves.map((l) => taggedHash(tag, u8(0), l));
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? taggedHash(tag, u8(1), level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}
export const encodeReceipt = (txIdBytes, code) => concat(Uint8Array.of(0x06, 0x01), txIdBytes, u16(code));
export const receiptsRoot = (receipts) =>
  merkleRoot(TAGS.receiptsRoot, receipts.map((r) => taggedHash(TAGS.receiptsRoot, encodeReceipt(r.txId, r.code))));
export const txRoot = (ids) => merkleRoot(TAGS.txRoot, ids);

/**
 * Checks a cairn_getProof answer trusting only `trusted` (a validatorSet()): the header is decoded from its
 * bytes, the certificate must carry a quorum of `trusted` over the header's hash, the state key is recomputed
 * from what was asked, and the proof must lead from the value to the header's state root.
 * Returns { ok: true, header, value } or { ok: false, reason }.
 */
export function verifyProofAnswer(answer, { address, recordKey = null }, trusted) {
  const header = decodeHeader(unhex(answer.header.encoded));
  if (!equal(header.validatorSetHash, trusted.hash)) return { ok: false, reason: 'validator_set_mismatch' };
  const certificate = {
    blockHash: unhex(answer.certificate.blockHash),
    seals: answer.certificate.seals.map((s) => ({ validator: unhex(s.validator), signature: unhex(s.signature) })),
  };
  const sealed = verifyCertificate(certificate, header.hash, trusted);
  if (sealed) return { ok: false, reason: sealed };
  const key = recordKey === null ? stateKeys.account(address) : stateKeys.record(address, recordKey);
  const value = answer.value === null ? null : unhex(answer.value);
  const proven = verifyProof(header.stateRoot, key, value, decodeProof(unhex(answer.proof)));
  if (proven) return { ok: false, reason: proven };
  return { ok: true, header, value };
}
