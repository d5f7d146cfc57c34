// Pieces several pages share: the transaction row, payload text, and the validator signing summary.
import { h, link, hashLink, short, amount } from '../ui.js';
import * as c from '../cairn.mjs';

/** One line describing a transaction's payload (JSON form, as the node answers it). */
export function payloadSummary(tx) {
  const p = tx.payload || {};
  switch (tx.kind) {
    case 'transfer': return [amount(p.amount), ' → ', link(`#/account/${p.to}`, short(p.to, 8), { class: 'mono', title: p.to })];
    case 'record_put': return ['put ', link(`#/record/${tx.from}/${encodeURIComponent(p.key)}`, p.key, { class: 'mono' })];
    case 'role_grant': case 'role_revoke':
      return [tx.kind === 'role_grant' ? 'grant ' : 'revoke ', p.role, ' to ', link(`#/account/${p.account}`, short(p.account, 8), { class: 'mono', title: p.account })];
    case 'validator_vote': return [p.action, ' validator ', h('code', { class: 'mono', title: p.validator }, short(p.validator))];
    default: return [tx.kind];
  }
}

export const txRow = (tx, height) => [
  hashLink(`#/tx/${tx.id}`, tx.id), h('span', { class: 'kind' }, tx.kind),
  link(`#/account/${tx.from}`, short(tx.from, 8), { class: 'mono', title: tx.from }), h('span', {}, ...payloadSummary(tx)),
  ...(height === undefined ? [] : [link(`#/block/${height}`, String(height))]),
];

/**
 * Per validator over `blocks` (each with header fields and certificate): seals in certificates, blocks
 * proposed, and proposer slots missed (a block decided in round r > 0 means the proposers of rounds 0..r-1
 * at that height did not get a proposal through). `keys` are the current set's 0x-hex keys.
 */
export function signingSummary(keys, blocks) {
  const sorted = [...keys].sort();
  const stats = new Map(sorted.map((k) => [k, { sealed: 0, proposed: 0, missedSlots: 0 }]));
  for (const b of blocks) {
    if (b.height === 0) continue;
    for (const s of b.certificate.seals) if (stats.has(s.validator)) stats.get(s.validator).sealed++;
    if (stats.has(b.proposer)) stats.get(b.proposer).proposed++;
    for (let r = 0; r < b.round; r++) {
      const k = sorted[(b.height + r) % sorted.length];
      if (stats.has(k)) stats.get(k).missedSlots++;
    }
  }
  return stats;
}

/** The cairn1 address of a 0x-hex public key. */
export async function addressOfKey(keyHex) {
  return c.addressText(await c.addressOf(c.unhex(keyHex)));
}
