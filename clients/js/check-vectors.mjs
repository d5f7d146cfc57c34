// Checks this client against docs/vectors/cairn-vectors.json: every encoding, hash, signature, address,
// certificate and proof, and every negative case (which must be refused).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as c from './cairn.mjs';

class Checks {
  constructor() { this.count = 0; this.failures = []; }
  eq(what, actual, expected) {
    this.count++;
    const a = actual instanceof Uint8Array ? c.hex(actual) : String(actual);
    if (a !== String(expected)) this.failures.push(`${what}: got ${a}, expected ${expected}`);
  }
  async refused(what, fn) {
    this.count++;
    try { await fn(); this.failures.push(`${what}: accepted, should be refused`); } catch { /* refused, as it must be */ }
  }
}

const u = c.unhex;

function payloadOf(v) {
  const p = v.payload;
  switch (v.kind) {
    case 'transfer': return { to: u(p.to), amount: BigInt(p.amount) };
    case 'record_put': return { key: p.key, value: u(p.value) };
    case 'role_grant': case 'role_revoke': return { account: u(p.account), role: p.role };
    case 'validator_vote': return { validator: u(p.validator), action: p.action };
    default: throw new Error(`kind ${v.kind}`);
  }
}

export async function checkVectors(path) {
  const v = JSON.parse(readFileSync(path, 'utf8'));
  const t = new Checks();
  for (const h of v.taggedHash) {
    t.eq(`tag prefix ${h.tag}`, c.tagPrefix(h.tag), h.prefix);
    t.eq(`tagged hash ${h.tag}`, await c.taggedHash(h.tag, u(h.message)), h.hash);
  }
  const seeds = {};
  for (const k of v.keys) {
    const seed = u(k.seed);
    seeds[k.name] = seed;
    t.eq(`seed ${k.name} = SHA-256(seedText)`, await c.sha256(new TextEncoder().encode(k.seedText)), k.seed);
    const pub = await c.publicKeyOf(seed);
    t.eq(`public key ${k.name}`, pub, k.publicKey);
    t.eq(`address ${k.name}`, await c.addressOf(pub), k.address);
    t.eq(`address text ${k.name}`, c.addressText(await c.addressOf(pub)), k.addressText);
    t.eq(`address parse ${k.name}`, c.parseAddress(k.addressText), k.address);
    t.eq(`signature ${k.name}`, await c.sign(u(k.message), seed), k.signature);
    t.eq(`verify ${k.name}`, await c.verify(u(k.signature), u(k.message), pub), true);
  }
  for (const a of v.invalidAddresses) await t.refused(`address ${a.name}`, () => c.parseAddress(a.text));
  for (const x of v.transactions) {
    const tx = { chainId: x.chainId, sender: await c.publicKeyOf(seeds[x.signer]), nonce: BigInt(x.nonce), kind: x.kind, payload: payloadOf(x) };
    t.eq(`preimage ${x.name}`, c.signingPreimage(tx), x.signingPreimage);
    t.eq(`signing hash ${x.name}`, await c.signingHash(tx), x.signingHash);
    const signed = await c.signTx(tx, seeds[x.signer]);
    t.eq(`signature ${x.name}`, signed.signature, x.signature);
    t.eq(`encoding ${x.name}`, signed.encoded, x.encoded);
    t.eq(`id ${x.name}`, signed.id, x.id);
    const decoded = await c.decodeTx(u(x.encoded));
    t.eq(`decode+re-encode ${x.name}`, c.encodeTx(decoded.tx, decoded.signature), x.encoded);
    t.eq(`signature valid ${x.name}`, await c.txSignatureValid(decoded), true);
  }
  for (const x of v.invalidTransactions) {
    if (!x.decodes) {
      await t.refused(`transaction ${x.name}`, () => c.decodeTx(u(x.encoded)));
    } else {
      t.eq(`bad signature ${x.name}`, await c.txSignatureValid(await c.decodeTx(u(x.encoded))), false);
    }
  }
  for (const a of v.accounts) {
    const account = { balance: BigInt(a.balance), nonce: BigInt(a.nonce), roles: a.roles };
    t.eq(`account ${a.encoded}`, c.encodeAccount(account), a.encoded);
    const back = c.decodeAccount(u(a.encoded));
    t.eq(`account decode ${a.encoded}`, `${back.balance}/${back.nonce}/${back.roles}`, `${a.balance}/${a.nonce}/${a.roles}`);
  }
  for (const a of v.invalidAccounts) await t.refused(`account ${a.name}`, () => c.decodeAccount(u(a.encoded)));
  for (const k of v.stateKeys) {
    const key = {
      account: () => c.stateKeys.account(u(k.address)),
      record: () => c.stateKeys.record(u(k.address), k.recordKey),
      validatorSet: () => c.stateKeys.validatorSet(),
      vote: () => c.stateKeys.vote(u(k.candidate), k.action),
      chainParameters: () => c.stateKeys.chainParameters(),
    }[k.kind]();
    t.eq(`state key ${k.kind} ${k.recordKey ?? ''}`, await key, k.key);
  }
  const set = await c.validatorSet(v.validatorSet.validators.map(u));
  t.eq('validator set encoding', set.encoded, v.validatorSet.encoded);
  t.eq('validator set hash', set.hash, v.validatorSet.hash);
  t.eq('validator set quorum', set.quorum, v.validatorSet.quorum);
  for (const q of v.quorum) t.eq(`quorum of ${q.validators}`, Math.floor((2 * q.validators + 2) / 3), q.quorum);
  for (const r of v.receipts.items) {
    t.eq(`receipt ${r.codeName}`, c.encodeReceipt(u(r.txId), r.code), r.encoded);
    t.eq(`receipt leaf ${r.codeName}`, await c.taggedHash(c.TAGS.receiptsRoot, u(r.encoded)), r.leaf);
  }
  t.eq('receipts root', await c.receiptsRoot(v.receipts.items.map((r) => ({ txId: u(r.txId), code: r.code }))), v.receipts.root);
  for (const m of v.merkleRoots) t.eq(`merkle root ${m.tag} of ${m.leaves.length}`, await c.merkleRoot(m.tag, m.leaves.map(u)), m.root);
  const bh = v.blockHeader;
  const header = await c.decodeHeader(u(bh.encoded));
  t.eq('header hash', header.hash, bh.hash);
  t.eq('header height', header.height, bh.height);
  t.eq('header state root', header.stateRoot, bh.stateRoot);
  t.eq('header tx root', await c.txRoot(bh.txIds.map(u)), bh.txRoot);
  t.eq('header receipts root', header.receiptsRoot, v.receipts.root);
  const txs = v.transactions.map((x) => u(x.encoded));
  t.eq('block encoding', c.concat(Uint8Array.of(0x04, 0x01), u(bh.encoded), c.u32(txs.length),
    ...txs.flatMap((tx) => [c.u32(tx.length), tx])), bh.blockEncoded);
  t.eq('header proposer (height + round) mod n', set.validators[(bh.height + bh.round) % set.validators.length], bh.proposer);
  for (const s of v.commitSeals) {
    t.eq('seal digest', await c.sealDigest(u(s.blockHash)), s.sealDigest);
    const name = v.keys.find((k) => k.publicKey === s.validator).name;
    t.eq(`seal signature ${name}`, await c.sign(u(s.sealDigest), seeds[name]), s.signature);
  }
  for (const x of v.certificates) {
    const cert = c.decodeCertificate(u(x.encoded));
    t.eq(`certificate ${x.name}`, (await c.verifyCertificate(cert, u(x.expectedBlockHash), set)) ?? 'valid', x.valid ? 'valid' : x.reason);
  }
  for (const x of v.invalidCertificateEncodings) await t.refused(`certificate encoding ${x.name}`, () => c.decodeCertificate(u(x.encoded)));
  for (const e of v.stateTree.entries) t.eq(`state entry key ${e.kind}`, await (e.kind === 'account' ? c.stateKeys.account(u(e.address))
    : e.kind === 'record' ? c.stateKeys.record(u(e.address), e.recordKey) : c.stateKeys.validatorSet()), e.key);
  for (const p of v.stateProofs) {
    const proof = c.decodeProof(u(p.proof));
    t.eq(`proof siblings ${p.name}`, proof.siblings.map(c.hex).join(','), p.siblings.join(','));
    const verdict = await c.verifyProof(u(p.root), u(p.key), p.value === null ? null : u(p.value), proof);
    t.eq(`proof ${p.name}`, verdict ?? 'valid', p.valid ? 'valid' : p.reason);
  }
  for (const p of v.invalidProofEncodings) await t.refused(`proof encoding ${p.name}`, () => c.decodeProof(u(p.proof)));
  for (const l of v.lightClient) {
    const trusted = await c.validatorSet(l.trustedValidators.map(u));
    const cert = c.decodeCertificate(u(l.certificate));
    const answer = {
      header: { encoded: l.header },
      certificate: { blockHash: c.hex(cert.blockHash), seals: cert.seals.map((s) => ({ validator: c.hex(s.validator), signature: c.hex(s.signature) })) },
      value: l.value, proof: l.proof,
    };
    const verdict = await c.verifyProofAnswer(answer, { address: u(l.address), recordKey: l.recordKey }, trusted);
    t.eq(`light client ${l.name}`, verdict.ok ? 'valid' : verdict.reason, l.valid ? 'valid' : l.reason);
  }
  return t;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = process.argv[2] ?? '../../docs/vectors/cairn-vectors.json';
  const t = await checkVectors(path);
  for (const f of t.failures) console.error(`FAIL ${f}`);
  console.log(`vectors: ${t.count - t.failures.length}/${t.count} checks passed`);
  process.exit(t.failures.length === 0 ? 0 : 1);
}
