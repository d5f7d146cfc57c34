// Notarization: a file dropped here is hashed in this browser (WebCrypto SHA-256; the file never leaves the
// machine) and looked up as the record `wallet notarize` writes under the notary's address: key
// notary/sha256/<digest hex>, value type 0x40 (digest, size, name, description; docs/formats.md). Presence or
// absence is proven against a certified state root, the value must describe this very file, and the block
// that first held the record is found from the record's history, or on nodes without history by bisecting
// proven states; either way it is proven present there and absent the block before.
import { call, has, RpcError } from '../rpc.js';
import { h, section, link, badge, fields, mono, dateTime, errorState } from '../ui.js';
import { provenState } from '../verify.js';
import * as c from '../cairn.mjs';

const NOTARY_KEY = 'cairn.explorer.notary';
/** WebCrypto digests a whole buffer at once: the file is read into memory, so its size is bounded. */
const FILE_BYTES_MAX = 512 * 1024 * 1024;

export async function render(page, [ownerArg]) {
  page.append(h('h1', {}, 'Notarization'));
  const owner = h('input', { id: 'notary', name: 'notary', required: true, spellcheck: 'false', size: 48,
    value: ownerArg || localStorage.getItem(NOTARY_KEY) || '', placeholder: 'cairn1… (the notary’s address)' });
  const file = h('input', { id: 'file', type: 'file', class: 'file-input' });
  const result = h('div', { id: 'notary-result', 'aria-live': 'polite' });
  const zone = h('label', { class: 'drop', for: 'file' }, h('strong', {}, 'Drop a file here'), ' or press Enter / click to choose one.',
    h('br'), h('span', { class: 'note' }, 'It is hashed in this browser and never uploaded.'), file);
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer.files.length) check(e.dataTransfer.files[0]);
  });
  zone.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); file.click(); } });
  zone.setAttribute('tabindex', '0');
  file.addEventListener('change', () => { if (file.files.length) check(file.files[0]); });
  page.append(section('Check a file', h('p', {},
    'A notarization is a record under the notary’s address whose key is ', mono('notary/sha256/'),
    ' and the file’s SHA-256 in hex; the notary writes it with ', mono('./wallet notarize FILE'), '.'),
  h('div', { class: 'stack' }, h('label', { for: 'notary' }, 'Notary address'), owner), zone, result));

  async function check(f) {
    const notary = owner.value.trim();
    try { c.parseAddress(notary); } catch (e) { result.replaceChildren(h('p', { class: 'bad-text', role: 'alert' }, `Notary address: ${e.message}.`)); owner.focus(); return; }
    localStorage.setItem(NOTARY_KEY, notary);
    if (f.size > FILE_BYTES_MAX) { result.replaceChildren(h('p', { class: 'bad-text', role: 'alert' }, `The file is over ${FILE_BYTES_MAX / 1048576} MiB.`)); return; }
    result.replaceChildren(h('p', { role: 'status' }, `Hashing ${f.name} (${f.size} bytes)…`));
    try {
      const digestBytes = await c.sha256(new Uint8Array(await f.arrayBuffer()));
      const digest = c.hex(digestBytes);
      const key = c.notaryKey(digestBytes);
      result.replaceChildren(fields([['File', `${f.name} (${f.size} bytes)`], ['SHA-256', h('code', { class: 'mono wrap', id: 'file-digest' }, digest)]]),
        h('p', { role: 'status' }, 'Looking it up…'));
      const proven = await provenState(notary, key);
      result.lastChild.remove();
      if (!proven.verdict.ok) {
        result.append(h('p', { class: 'verdict', dataset: { notarized: 'unknown' } }, badge(proven.verdict, 'notarization'), ' ', 'the node’s answer could not be verified.'));
        return;
      }
      if (proven.value === null) {
        result.append(h('p', { class: 'verdict', dataset: { notarized: 'false' } }, badge(proven.verdict), ` Not notarized by ${notary}: the record’s absence is proven at block ${proven.height}.`));
        return;
      }
      let record;
      try {
        record = c.decodeNotarization(proven.value);
      } catch (e) {
        result.append(h('p', { class: 'verdict', dataset: { notarized: 'mismatch' } }, h('strong', {}, 'Not a notarization: '), `the record under this key does not decode (${e.message}).`));
        return;
      }
      if (!c.equal(record.digest, digestBytes) || record.size !== BigInt(f.size)) {
        result.append(h('p', { class: 'verdict', dataset: { notarized: 'mismatch' } }, h('strong', {}, 'Mismatch: '), 'the record under this key describes another file (digest or size differ).'));
        return;
      }
      const first = await firstHeight(notary, key, Number(proven.height));
      result.append(h('div', { class: 'verdict', dataset: { notarized: 'true', height: String(first.height) } },
        h('p', {}, badge(first.verdict, 'notarization'), ' ', h('strong', {}, 'Notarized'), ` by ${notary} at block `,
          link(`#/block/${first.height}`, String(first.height), { id: 'notarized-height' }), first.exact ? '' : ' or earlier (older state is not kept)',
          first.timestampMillis ? ` (${dateTime(first.timestampMillis)})` : '', '.'),
        fields([['Name', record.name || '(none)'], ['Size', `${record.size} bytes`], record.description ? ['Description', record.description] : null,
          ['Record', link(`#/record/${notary}/${encodeURIComponent(key)}`, key, { class: 'mono wrap' })]])));
    } catch (e) {
      result.replaceChildren(errorState(e));
    }
  }
}

/** The height that first held the record: the oldest history entry, or a bisection of proven states. */
async function firstHeight(owner, key, presentAt) {
  if (await has('cairn_getRecordHistory')) {
    let cursor = null;
    let oldest = null;
    for (let pages = 0; pages < 50; pages++) {
      const page = await call('cairn_getRecordHistory', owner, key, cursor);
      if (page.entries.length) oldest = page.entries[page.entries.length - 1];
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    if (oldest) {
      // The history is the node's claim; the state at that height is proven before it is shown as verified.
      const at = await provenState(owner, key, oldest.blockHeight);
      const before = oldest.blockHeight > 1 ? await provenState(owner, key, oldest.blockHeight - 1) : { verdict: { ok: true }, value: null };
      const ok = at.verdict.ok && at.value !== null && before.verdict.ok && before.value === null;
      return { height: oldest.blockHeight, exact: true, timestampMillis: oldest.timestampMillis,
        verdict: ok ? at.verdict : { ok: false, reason: at.verdict.ok ? 'history_not_proven' : at.verdict.reason, detail: 'the history disagrees with the proven state' } };
    }
  }
  let lo = 1;
  let hi = presentAt;
  let hiState = null;
  let pruned = false;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    let state;
    try { state = await provenState(owner, key, mid); } catch (e) {
      if (e instanceof RpcError && e.code === -32022) { lo = mid + 1; pruned = true; continue; }
      throw e;
    }
    if (!state.verdict.ok) return { height: hi, exact: false, verdict: state.verdict };
    if (state.value !== null) { hi = mid; hiState = state; } else lo = mid + 1;
  }
  const final = hiState || (await provenState(owner, key, hi));
  return { height: hi, exact: !pruned, timestampMillis: final.timestampMillis ? Number(final.timestampMillis) : null, verdict: final.verdict };
}
