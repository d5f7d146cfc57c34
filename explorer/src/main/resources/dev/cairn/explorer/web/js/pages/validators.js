// Validators: the current set, the set this browser trusts (and how it came to trust it), a form to pin
// another set, and each validator's recent signing.
import { call, batch } from '../rpc.js';
import { h, section, table, link, mono, short, fields } from '../ui.js';
import { trusted, parseKeys, pin, reset } from '../trust.js';
import * as c from '../codec.js';
import { signingSummary } from './common.js';

const WINDOW_BLOCKS = 50;

export async function render(page) {
  page.append(h('h1', {}, 'Validators'));
  const current = await call('cairn_validators', 'latest');
  const anchor = await trusted();
  const same = c.hex0x(anchor.set.hash) === current.hash;
  page.append(section('Trusted validator set', fields([
    ['Source', anchor.source === 'pasted' ? 'pasted by you in this browser'
      : 'this node’s genesis set, pinned in this browser on first use (trust on first use: paste your genesis.json below to pin the set you know)'],
    ['Pinned', new Date(anchor.savedAt).toLocaleString()],
    ['Hash', mono(c.hex0x(anchor.set.hash))],
    ['Keys', `${anchor.set.validators.length}, quorum ${anchor.set.quorum}`],
    ['Current set', same ? h('span', { class: 'ok-text' }, 'is the trusted set')
      : h('span', { class: 'warn' }, 'differs from the trusted set (it changed by votes, or this is another chain): blocks it seals show as not verified until you pin it')],
  ]), trustForm()));

  const head = current.height;
  const from = Math.max(1, head - WINDOW_BLOCKS + 1);
  const blocks = head >= 1 ? (await batch(Array.from({ length: head - from + 1 }, (_, i) => ['cairn_getBlockByNumber', from + i, false])))
    .filter((a) => a.result).map((a) => a.result) : [];
  const stats = signingSummary(current.validators.map((v) => v.publicKey), blocks);
  page.append(section(`Current set at height ${current.height}: ${current.validators.length} validators, quorum ${current.quorum}, tolerates ${current.maxFaulty} faulty`,
    table(['Public key', 'Address', 'Trusted', `Seals (last ${blocks.length})`, 'Proposed', 'Missed proposer rounds'], current.validators.map((v) => {
      const s = stats.get(v.publicKey);
      const isTrusted = anchor.set.validators.some((k) => c.hex0x(k) === v.publicKey);
      return [mono(short(v.publicKey, 12), v.publicKey), link(`#/account/${v.address}`, short(v.address, 10), { class: 'mono', title: v.address }),
        isTrusted ? 'yes' : h('span', { class: 'warn' }, 'no'), String(s.sealed), String(s.proposed), String(s.missedSlots)];
    }), 'Validators'),
    h('p', { class: 'note' }, 'Pending validator votes are state the node does not list over JSON-RPC; the set changes at the height after a vote reaches quorum.')));
}

function trustForm() {
  const message = h('p', { role: 'status', class: 'note' });
  const area = h('textarea', { id: 'trusted-keys', rows: 5, spellcheck: 'false', placeholder: 'genesis.json, or 0x-hex public keys one per line' });
  const form = h('form', { class: 'stack', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const keys = parseKeys(area.value);
      await pin(keys);
      message.textContent = `Pinned ${keys.length} key${keys.length === 1 ? '' : 's'}.`;
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (err) {
      message.textContent = `Not pinned: ${err.message}`;
    }
  } }, h('label', { for: 'trusted-keys' }, 'Pin another trusted set'), area,
  h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Pin this set'),
    h('button', { type: 'button', onclick: async () => { await reset(); window.dispatchEvent(new HashChangeEvent('hashchange')); } }, 'Forget: use the node’s genesis set')),
  message);
  return form;
}

