// An account (balance, nonce, roles proven against a certified state root; history when the node serves it)
// and a record (value proven the same way, absence included; history when served).
import { call, has } from '../rpc.js';
import { h, section, table, link, hashLink, badge, fields, mono, amount, empty, dateTime, errorState } from '../ui.js';
import { provenState } from '../verify.js';
import * as c from '../cairn.mjs';
import { payloadSummary } from './common.js';

const HISTORY_PAGE = 20;

function checkAddress(address) {
  try { c.parseAddress(address); } catch (e) { throw new Error(`"${address}" is not an address: ${e.message}`); }
}

export async function renderAccount(page, [address]) {
  checkAddress(address);
  page.append(h('h1', {}, 'Account'), h('p', { class: 'mono wrap' }, address));
  const [proven, live] = await Promise.all([provenState(address), call('cairn_getAccount', address)]);
  let account = { balance: 0n, nonce: 0n, roles: [] };
  let decodeError = null;
  if (proven.value) {
    try { account = c.decodeAccount(proven.value); } catch (e) { decodeError = e.message; }
  }
  const v = decodeError ? { ok: false, reason: 'malformed_answer', detail: decodeError } : proven.verdict;
  page.append(section('State', h('p', { class: 'verdict' }, badge(v, 'account'), ' ',
    v.ok ? `proven at block ${proven.height}${proven.value === null ? ' (never written: absence proven)' : ''}` : v.detail || ''),
  fields([
    ['Balance', h('span', { id: 'account-balance' }, amount(account.balance))],
    ['Nonce', String(account.nonce), live.pendingNonce !== live.nonce ? ` (next with pending: ${live.pendingNonce}, this node’s mempool, not proven)` : ''],
    ['Roles', account.roles.length ? account.roles.join(', ') : 'none'],
  ])));
  const lookup = h('form', { class: 'inline-form', onsubmit: (e) => {
    e.preventDefault();
    const key = e.target.elements.key.value;
    if (key) location.hash = `#/record/${address}/${encodeURIComponent(key)}`;
  } }, h('label', { for: 'record-key' }, 'Record key '), h('input', { id: 'record-key', name: 'key', required: true, maxlength: 256 }), h('button', { type: 'submit' }, 'Look up'));
  page.append(section('Records', h('p', {}, 'Records live under their owner’s address; look one up by key.'), lookup));
  const history = h('div');
  page.append(section('History', history));
  if (!(await has('cairn_getAccountHistory'))) {
    history.append(empty('This node does not serve account history (no cairn_getAccountHistory).'));
    return;
  }
  pagedHistory(history, (cursor) => call('cairn_getAccountHistory', address, cursor, HISTORY_PAGE), (e) => [
    hashLink(`#/tx/${e.txId}`, e.txId), link(`#/block/${e.blockHeight}`, String(e.blockHeight)), dateTime(e.timestampMillis),
    e.parties.join(', '), h('span', {}, ...payloadSummary(e.transaction)), h('span', { class: e.status === 'success' ? 'ok-text' : 'bad-text' }, e.codeName),
  ], ['Tx', 'Block', 'Time', 'As', 'What', 'Result']);
}

export async function renderRecord(page, [owner, rawKey]) {
  checkAddress(owner);
  const key = rawKey;
  if (new TextEncoder().encode(key).length > 256) throw new Error('a record key has at most 256 bytes');
  page.append(h('h1', {}, 'Record'), fields([['Owner', link(`#/account/${owner}`, owner, { class: 'mono' })], ['Key', mono(key)]]));
  const proven = await provenState(owner, key);
  const value = proven.value;
  const v = proven.verdict;
  const text = value ? c.printableText(value) : null;
  page.append(section('Value', h('p', { class: 'verdict' }, badge(v, 'record'), ' ', v.ok ? `proven at block ${proven.height}` : v.detail || ''),
    value === null || value === undefined ? empty(v.ok ? 'No such record: its absence is proven.' : 'The node says there is no such record.')
      : fields([
        text !== null ? ['Text', h('span', { id: 'record-value', class: 'wrap' }, text)] : null,
        ['Bytes', mono(c.hex0x(value)), ` (${value.length} bytes)`],
      ])));
  const history = h('div');
  page.append(section('History', history));
  if (!(await has('cairn_getRecordHistory'))) {
    history.append(empty('This node does not serve record history (no cairn_getRecordHistory).'));
    return;
  }
  pagedHistory(history, (cursor) => call('cairn_getRecordHistory', owner, key, cursor, HISTORY_PAGE), (e) => {
    const t = c.printableText(c.unhex(e.value));
    return [link(`#/block/${e.blockHeight}`, String(e.blockHeight)), dateTime(e.timestampMillis), t !== null ? t : mono(e.value), hashLink(`#/tx/${e.txId}`, e.txId)];
  }, ['Block', 'Time', 'Value', 'Tx']);
}

/** Newest first, one page at a time; "Older" follows the node's nextCursor. */
function pagedHistory(el, fetchPage, row, headers) {
  const load = async (cursor) => {
    try {
      const page = await fetchPage(cursor);
      const more = page.nextCursor ? h('button', { type: 'button', onclick: () => load(page.nextCursor) }, 'Older →') : null;
      el.replaceChildren(page.entries.length ? table(headers, page.entries.map(row), 'History') : empty('No history yet.'), more || '');
    } catch (e) {
      el.replaceChildren(errorState(e));
    }
  };
  return load(null);
}
