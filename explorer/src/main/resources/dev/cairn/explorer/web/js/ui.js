// DOM helpers: elements are built with textContent only (no HTML strings), so nothing a node answers can
// become markup or script.
import { RpcError, Unreachable } from './rpc.js';

/** h('a', { href: '#/', class: 'x' }, 'text', child...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}
export const clear = (el) => { while (el.firstChild) el.firstChild.remove(); return el; };

export const link = (href, text, attrs = {}) => h('a', { href, ...attrs }, text);
export const short = (hash, n = 10) => (typeof hash === 'string' && hash.length > 2 * n + 3 ? `${hash.slice(0, n + 2)}…${hash.slice(-n + 4)}` : hash);
export const mono = (text, full) => h('code', { class: 'mono', title: full || null }, text);
export const hashLink = (href, hash) => link(href, short(hash), { class: 'mono', title: hash });

/** Thousands-grouped decimal of a u64 given as a string or BigInt (balances may exceed 2^53). */
export const amount = (value) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
export const dateTime = (millis) => new Date(Number(millis)).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
export function ago(millis) {
  const s = Math.max(0, Math.round((Date.now() - Number(millis)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

const REASONS = {
  validator_set_not_trusted: 'signed by a validator set you do not trust',
  certificate_below_quorum: 'fewer seals than the quorum',
  certificate_wrong_block: 'the certificate is for another block',
  seal_from_non_validator: 'a seal from a key outside the trusted set',
  seal_bad_signature: 'a seal signature does not verify',
  duplicate_seal: 'a validator sealed twice',
  header_fields_differ: 'the fields shown differ from the header bytes',
  tx_root_mismatch: 'the transactions differ from the header’s tx root',
  tx_id_mismatch: 'the bytes do not hash to this id',
  fields_differ_from_bytes: 'the fields shown differ from the signed bytes',
  bad_signature: 'the sender’s signature does not verify',
  value_mismatch: 'the value differs from the one the state root commits to',
  root_mismatch: 'the proof does not lead to the certified state root',
  key_absent: 'the proof shows the key absent',
  key_present: 'the proof shows the key present',
  leaf_off_path: 'the proof’s leaf is off the key’s path',
  malformed_answer: 'the node’s answer is malformed',
  receipts_unprovable: 'this node cannot prove receipts',
  receipts_root_mismatch: 'the receipts differ from the header’s receipts root',
  receipt_code_differs: 'the receipt differs from the proven one',
  not_in_block: 'the transaction is not in the block',
  not_final: 'not final yet',
  no_ed25519: 'this browser lacks WebCrypto Ed25519',
  genesis_unsealed: 'genesis carries no seals (trust it by its genesis.json)',
  history_not_proven: 'the history disagrees with the proven state',
};

/**
 * A badge saying whether a value was verified; `data-verified` lets tests (and users' scripts) read it. In a
 * table (`compact`) the reason moves to the tooltip so rows stay one line high on a phone.
 */
export function badge(v, what = '', compact = false) {
  if (!v) return h('span', { class: 'badge pending', dataset: { verified: 'pending' } }, 'verifying…');
  if (v.ok) return h('span', { class: 'badge ok', dataset: { verified: 'true' }, title: what ? `${what}: verified` : 'verified' }, '✓ verified');
  const why = REASONS[v.reason] || v.reason;
  return h('span', { class: v.reason === 'genesis_unsealed' ? 'badge pending' : 'badge bad', dataset: { verified: 'false', reason: v.reason },
    title: [why, v.detail].filter(Boolean).join(' — ') }, compact ? (v.reason === 'genesis_unsealed' ? '– genesis' : '✗ not verified') : `✗ not verified: ${why}`);
}

/** Definition list of [label, value...] rows. */
export function fields(rows) {
  return h('dl', { class: 'fields' }, rows.filter(Boolean).map(([label, ...value]) => [h('dt', {}, label), h('dd', {}, ...value)]));
}

/** A table in a horizontally scrolling wrapper (narrow screens). */
export function table(headers, rows, caption) {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption || headers.join(', ') },
    h('table', {},
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((x) => h('td', {}, x)))))));
}

export const section = (title, ...children) => h('section', { class: 'card' }, h('h2', {}, title), ...children);
export const empty = (text) => h('p', { class: 'empty' }, text);
export const loading = (text = 'Loading…') => h('p', { class: 'loading', role: 'status' }, text);

/** The error state for a failed page load: unreachable node, unknown object, or another refusal. */
export function errorState(e, what) {
  if (e instanceof Unreachable) {
    return h('div', { class: 'card error', role: 'alert' }, h('h2', {}, 'Node unreachable'),
      h('p', {}, `${e.message}. The page retries when you reload it; check that the node is running.`));
  }
  if (e instanceof RpcError && (e.code === -32020 || e.code === -32021)) {
    return h('div', { class: 'card error', role: 'alert' }, h('h2', {}, `Unknown ${what || 'object'}`),
      h('p', {}, `The node knows no ${what || 'such object'}: ${e.message}.`), h('p', {}, link('#/', 'Back to the dashboard')));
  }
  if (e instanceof RpcError) {
    return h('div', { class: 'card error', role: 'alert' }, h('h2', {}, 'The node refused the request'),
      h('p', {}, `${e.message} (code ${e.code}).`));
  }
  return h('div', { class: 'card error', role: 'alert' }, h('h2', {}, 'Something went wrong'), h('p', {}, String(e && e.message || e)));
}
