// What the explorer checks before it says "verified": headers against their canonical bytes, commit
// certificates against the trusted validator set, state proofs against a certified header's state root,
// transactions against their id and signature, and inclusion against a certified tx root (and receipts
// root, when the node can prove receipts). Every function returns a verdict { ok, reason } with the
// first failure named, never throws on hostile input.
import * as c from './cairn.mjs';
import { call, has } from './rpc.js';
import { trusted } from './trust.js';

export const verdict = (reason, detail) => ({ ok: reason === null, reason, detail });

const HEADER_HASH_FIELDS = ['hash', 'parentHash', 'proposer', 'txRoot', 'receiptsRoot', 'stateRoot', 'validatorSetHash'];

/** Decodes `header.encoded` and names the JSON fields that disagree with it; throws on undecodable bytes. */
export async function decodeAndCompare(header) {
  const decoded = await c.decodeHeader(c.unhex(header.encoded));
  const differing = HEADER_HASH_FIELDS.filter((f) => header[f] !== c.hex0x(decoded[f]));
  if (BigInt(header.height) !== decoded.height) differing.push('height');
  if (BigInt(header.timestampMillis) !== decoded.timestampMillis) differing.push('timestampMillis');
  if (header.round !== decoded.round) differing.push('round');
  return { decoded, differing };
}

async function certificateVerdict(certificate, decoded) {
  const anchor = await trusted();
  if (!c.equal(decoded.validatorSetHash, anchor.set.hash)) {
    return { verdict: verdict('validator_set_not_trusted', 'the block names a validator set other than the trusted one'), seals: [] };
  }
  const cert = {
    blockHash: c.unhex(certificate.blockHash),
    seals: certificate.seals.map((s) => ({ validator: c.unhex(s.validator), signature: c.unhex(s.signature) })),
  };
  const checked = await c.checkCertificate(cert, decoded.hash, anchor.set);
  if (checked.reason === 'certificate_below_quorum' && decoded.height === 0n) {
    return { verdict: verdict('genesis_unsealed', 'every node derives block 0 from its own genesis.json; prove state at height 1 or more'), seals: checked.seals };
  }
  return { verdict: verdict(checked.reason), seals: checked.seals };
}

/**
 * A block from cairn_getBlockBy*: its header bytes, its certificate under the trusted set, and its tx root
 * recomputed from the transactions (ids, or full transactions whose ids are recomputed from their bytes).
 * Returns { verdict, decoded, seals, txIds }.
 */
export async function verifyBlock(block) {
  try {
    const { decoded, differing } = await decodeAndCompare(block);
    if (differing.length > 0) return { verdict: verdict('header_fields_differ', differing.join(', ')), decoded, seals: [] };
    const txIds = [];
    for (const tx of block.transactions) {
      if (typeof tx === 'string') { txIds.push(c.unhex(tx)); continue; }
      const id = await c.taggedHash(c.TAGS.txId, c.unhex(tx.raw));
      if (tx.id !== c.hex0x(id)) return { verdict: verdict('tx_id_mismatch', tx.id), decoded, seals: [] };
      txIds.push(id);
    }
    if (!c.equal(await c.merkleRoot(c.TAGS.txRoot, txIds), decoded.txRoot)) {
      return { verdict: verdict('tx_root_mismatch', 'the transactions listed are not the ones the header commits to'), decoded, seals: [] };
    }
    const sealed = await certificateVerdict(block.certificate, decoded);
    return { ...sealed, decoded, txIds };
  } catch (e) {
    return { verdict: verdict('malformed_answer', e.message), seals: [] };
  }
}

/**
 * A cairn_getProof answer for an account (recordKey null) or a record: certified header, then the proof
 * from the answered value to its state root, for the state key computed here. Returns { verdict, height, value }.
 */
export async function verifyStateAnswer(answer, address, recordKey) {
  try {
    const owner = c.parseAddress(address);
    const { decoded, differing } = await decodeAndCompare(answer.header);
    if (differing.length > 0) return { verdict: verdict('header_fields_differ', differing.join(', ')) };
    const sealed = await certificateVerdict(answer.certificate, decoded);
    const value = answer.value === null ? null : c.unhex(answer.value);
    if (!sealed.verdict.ok) return { verdict: sealed.verdict, height: decoded.height, value };
    const key = recordKey === null ? await c.stateKeys.account(owner) : await c.stateKeys.record(owner, recordKey);
    const reason = await c.verifyProof(decoded.stateRoot, key, value, c.decodeProof(c.unhex(answer.proof)));
    return { verdict: verdict(reason), height: decoded.height, value, timestampMillis: decoded.timestampMillis };
  } catch (e) {
    return { verdict: verdict('malformed_answer', e.message) };
  }
}

/**
 * A cairn_getValidatorVotes answer: the certified header, the validator set in its state (the set that counts
 * the next vote) and each pending tally, proven against its state root under keys computed here; the counts
 * shown are recomputed from the proven bytes, and claimed counts that differ fail the vote. Returns
 * { verdict, height, votes: [{ candidate, action, voters, counted, size, needed, verdict }] }, the set's
 * verdict also standing for every vote when the set itself fails.
 */
export async function verifyValidatorVotes(answer) {
  const claimed = (v) => ({ candidate: v.candidate, action: v.action, voters: v.voters, counted: v.votesCounted, size: v.validators, needed: v.votesNeeded });
  try {
    const { decoded, differing } = await decodeAndCompare(answer.header);
    const failAll = (v) => ({ verdict: v, height: decoded.height, votes: answer.votes.map((x) => ({ ...claimed(x), verdict: v })) });
    if (differing.length > 0) return failAll(verdict('header_fields_differ', differing.join(', ')));
    const sealed = await certificateVerdict(answer.certificate, decoded);
    if (!sealed.verdict.ok) return failAll(sealed.verdict);
    const proven = async (key, item) => c.verifyProof(decoded.stateRoot, key, item.value === null ? null : c.unhex(item.value),
      c.decodeProof(c.unhex(item.proof)));
    const setReason = await proven(await c.stateKeys.validatorSet(), answer.validatorSet);
    if (setReason !== null || answer.validatorSet.value === null) return failAll(verdict(setReason || 'key_absent', 'the validator set in state'));
    const set = c.decodeValidatorSetValue(c.unhex(answer.validatorSet.value)).map(c.hex0x);
    const votes = [];
    for (const v of answer.votes) {
      try {
        const reason = v.value === null ? 'key_absent' : await proven(await c.stateKeys.vote(c.unhex(v.candidate), v.action), v);
        if (reason !== null) { votes.push({ ...claimed(v), verdict: verdict(reason) }); continue; }
        const voters = c.decodeVoteTally(c.unhex(v.value)).map(c.hex0x);
        const mine = { candidate: v.candidate, action: v.action, voters, counted: voters.filter((k) => set.includes(k)).length,
          size: set.length, needed: Math.floor((2 * set.length) / 3) + 1 };
        const same = voters.join() === v.voters.join() && mine.counted === v.votesCounted && mine.size === v.validators && mine.needed === v.votesNeeded;
        votes.push({ ...mine, verdict: verdict(same ? null : 'fields_differ_from_bytes', 'voters or counts') });
      } catch (e) {
        votes.push({ ...claimed(v), verdict: verdict('malformed_answer', e.message) });
      }
    }
    return { verdict: verdict(null), height: decoded.height, votes };
  } catch (e) {
    const v = verdict('malformed_answer', e.message);
    return { verdict: v, votes: (Array.isArray(answer && answer.votes) ? answer.votes : []).map((x) => ({ ...claimed(x), verdict: v })) };
  }
}

/** Asks the node for a proof and verifies it. */
export async function provenState(address, recordKey = null, block = 'latest') {
  const answer = await call('cairn_getProof', address, recordKey, block);
  return { answer, ...(await verifyStateAnswer(answer, address, recordKey)) };
}

/** A transaction object: its bytes decode, hash to its id, match its JSON fields, and carry the sender's signature. */
export async function verifyTransaction(tx, requestedId) {
  try {
    const d = await c.decodeTx(c.unhex(tx.raw));
    const id = c.hex0x(d.id);
    if (id !== requestedId.toLowerCase() || id !== tx.id) return { verdict: verdict('tx_id_mismatch', 'the bytes hash to ' + id), decoded: d };
    const differing = [];
    if (tx.sender !== c.hex0x(d.sender)) differing.push('sender');
    if (tx.from !== c.addressText(await c.addressOf(d.sender))) differing.push('from');
    if (BigInt(tx.nonce) !== d.nonce) differing.push('nonce');
    if (tx.kind !== d.kind) differing.push('kind');
    if (tx.chainId !== d.chainId) differing.push('chainId');
    if (differing.length > 0) return { verdict: verdict('fields_differ_from_bytes', differing.join(', ')), decoded: d };
    const signed = await c.verifySignature(d.signature, d.signingHash, d.sender);
    return { verdict: verdict(signed ? null : 'bad_signature'), decoded: d };
  } catch (e) {
    return { verdict: verdict('malformed_answer', e.message) };
  }
}

/**
 * Whether a final transaction is in a certified block, and whether its receipt is: with
 * cairn_getTransactionProof (Merkle proofs of both), else by fetching the whole block and recomputing its tx
 * root (and its receipts root with cairn_getBlockReceipts). Returns { inclusion, receipt } verdicts.
 */
export async function verifyInclusion(txId, receipt) {
  const idBytes = c.unhex(txId);
  if (await has('cairn_getTransactionProof')) {
    try {
      const p = await call('cairn_getTransactionProof', txId);
      const { decoded, differing } = await decodeAndCompare(p.header);
      if (differing.length > 0) return both(verdict('header_fields_differ', differing.join(', ')));
      const sealed = await certificateVerdict(p.certificate, decoded);
      if (!sealed.verdict.ok) return both(sealed.verdict);
      if (!c.equal(await c.taggedHash(c.TAGS.txId, c.unhex(p.transaction)), idBytes)) return both(verdict('tx_id_mismatch'));
      const sib = (proof) => ({ ...proof, siblings: proof.siblings.map((s) => c.unhex(s)) });
      const inTx = await c.verifyMerkleProof(c.TAGS.txRoot, idBytes, sib(p.txProof), decoded.txRoot);
      const rb = c.unhex(p.receipt);
      const receiptTx = rb.slice(2, 34);
      const code = (rb[34] << 8) | rb[35];
      let receiptReason = null;
      if (rb.length !== 36 || rb[0] !== 0x06 || rb[1] !== 0x01 || !c.equal(receiptTx, idBytes)) receiptReason = 'receipt_malformed';
      else if (receipt && receipt.code !== code) receiptReason = 'receipt_code_differs';
      else receiptReason = await c.verifyMerkleProof(c.TAGS.receiptsRoot, await c.taggedHash(c.TAGS.receiptsRoot, rb), sib(p.receiptProof), decoded.receiptsRoot);
      return { inclusion: verdict(inTx), receipt: verdict(receiptReason), height: decoded.height };
    } catch (e) {
      return both(verdict('malformed_answer', e.message));
    }
  }
  if (!receipt) return both(verdict('not_final'));
  const block = await call('cairn_getBlockByHash', receipt.blockHash, false);
  const checked = await verifyBlock(block);
  if (!checked.verdict.ok) return both(checked.verdict);
  const at = checked.txIds.findIndex((id) => c.equal(id, idBytes));
  const inclusion = at < 0 ? verdict('not_in_block') : verdict(null);
  let receiptVerdict = verdict('receipts_unprovable', 'this node cannot prove receipts (no cairn_getBlockReceipts)');
  if (await has('cairn_getBlockReceipts')) {
    try {
      const r = await call('cairn_getBlockReceipts', receipt.blockHash);
      const leaves = await Promise.all(r.receipts.map((x) => c.receiptLeaf(c.unhex(x.txId), x.code)));
      const mine = r.receipts.find((x) => x.txId === txId);
      if (!c.equal(await c.merkleRoot(c.TAGS.receiptsRoot, leaves), checked.decoded.receiptsRoot)) receiptVerdict = verdict('receipts_root_mismatch');
      else if (!mine || mine.code !== receipt.code) receiptVerdict = verdict('receipt_code_differs');
      else receiptVerdict = verdict(null);
    } catch (e) {
      receiptVerdict = verdict('malformed_answer', e.message);
    }
  }
  return { inclusion, receipt: receiptVerdict, height: checked.decoded.height };
}

const both = (v) => ({ inclusion: v, receipt: v });
