// Search: a height, a block hash, a transaction id, an address, or owner/key for a record. One match opens
// its page (replacing the search in the history); none says so.
import { call, RpcError } from '../rpc.js';
import { h, section, link, empty } from '../ui.js';
import * as c from '../cairn.mjs';

/** The page a query names, or null: asks the node only where the text alone cannot tell. */
export async function resolve(query) {
  const q = query.trim();
  if (/^\d{1,18}$/.test(q)) {
    const height = Number(q);
    return (await exists(() => call('cairn_getBlockByNumber', height, false))) ? `#/block/${height}` : null;
  }
  if (/^0x[0-9a-fA-F]{64}$/.test(q)) {
    const id = q.toLowerCase();
    if (await exists(() => call('cairn_getTransaction', id))) return `#/tx/${id}`;
    if (await exists(() => call('cairn_getBlockByHash', id, false))) return `#/block/${id}`;
    return null;
  }
  const slash = q.indexOf('/');
  if (slash > 0 && c.isAddress(q.slice(0, slash)) && q.length > slash + 1) {
    return `#/record/${q.slice(0, slash).toLowerCase()}/${encodeURIComponent(q.slice(slash + 1))}`;
  }
  if (c.isAddress(q)) return `#/account/${q.toLowerCase()}`;
  return null;
}

async function exists(fetch) {
  try { await fetch(); return true; } catch (e) {
    if (e instanceof RpcError && [-32020, -32021, -32602].includes(e.code)) return false;
    throw e;
  }
}

export async function render(page, [query]) {
  page.append(h('h1', {}, 'Search'));
  const q = (query || '').trim();
  if (!q) { page.append(empty('Type a height, block hash, transaction id, address or owner/key in the search box.')); return; }
  const target = await resolve(q);
  if (target) { location.replace(target); return; }
  page.append(section('No match', h('p', { id: 'no-match' }, `Nothing on this chain matches “${q}”.`),
    h('p', {}, 'Search takes a block height (12), a block hash or transaction id (0x and 64 hex digits), an address (cairn1…), or a record as owner/key (cairn1…/doc/1).'),
    h('p', {}, link('#/', 'Back to the dashboard'))));
}
