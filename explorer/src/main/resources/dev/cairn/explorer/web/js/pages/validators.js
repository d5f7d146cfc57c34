// Validators: the current set, the set this browser trusts (and how it came to trust it), a form to pin
// another set, and each validator's recent signing.
import { call, batch, has } from '../rpc.js';
import { h, section, table, link, mono, short, fields, badge, empty } from '../ui.js';
import { verifyValidatorVotes } from '../verify.js';
import { trusted, parseKeys, pin, reset } from '../trust.js';
import * as c from '../cairn.mjs';
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
    }), 'Validators')));
  page.append(await pendingVotes());
}

/** Pending validator-set votes, each tally proven against a certified state root (cairn_getValidatorVotes). */
async function pendingVotes() {
  const title = 'Pending validator votes';
  if (!(await has('cairn_getValidatorVotes'))) return section(title, empty('This node does not serve pending votes (no cairn_getValidatorVotes).'));
  const answer = await call('cairn_getValidatorVotes');
  const checked = await verifyValidatorVotes(answer);
  const note = h('p', { class: 'note' }, 'A change passes once more than 2/3 of the validators voted for it, and applies from the next height. ',
    'Each tally is proven against the state root of a certified block; which changes are listed comes from the node’s index of the votes it saw, which a proof cannot show complete.',
    answer.more ? ' The node has more pending changes than it lists here.' : '');
  const heading = `${title} at height ${checked.height ?? answer.height}`;
  if (checked.votes.length === 0) {
    return section(heading, h('p', { class: 'verdict' }, badge(checked.verdict, 'validator set'), ' ',
      checked.verdict.ok ? 'the validator set that counts votes is proven' : checked.verdict.detail || ''), empty('No pending votes.'), note);
  }
  return section(heading, table(['Candidate', 'Change', 'Votes', 'Voters', 'Verified'], checked.votes.map((v) => [
    mono(short(v.candidate, 12), v.candidate),
    v.action,
    h('span', { class: 'vote-count' }, `${v.counted} of ${v.needed} needed (${v.size} validators)`),
    h('span', {}, ...v.voters.map((k, i) => [i ? ', ' : '', mono(short(k, 8), k)])),
    badge(v.verdict, `${v.action} ${v.candidate}`, true),
  ]), 'Pending validator votes'), note);
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

