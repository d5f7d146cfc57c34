// Drives Debian's chromium (headless, through playwright-core) through the explorer a devnet node serves,
// and through a tampering proxy in front of it. Run by node's ExplorerIT with one JSON argument (see
// ExplorerIT.java); prints "ok ..." per check, "FAIL ..." per failure, exits 1 if any failed. Screenshots and
// page-weight figures go to the directories the argument names.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';

const cfg = JSON.parse(process.argv[2]);
const shots = cfg.screenshotsDir;
mkdirSync(shots, { recursive: true });
const LIVE_DEADLINE_MILLIS = 2000;
const PAGE_TIMEOUT_MILLIS = 20000;
const failures = [];

async function check(name, fn) {
  try { await fn(); console.log(`ok ${name}`); } catch (e) { failures.push(name); console.log(`FAIL ${name}: ${e.message.split('\n')[0]}`); }
}
function assert(cond, message) { if (!cond) throw new Error(message); }

/** The methods the node serves: the history and proof ones are checked where present (rpc.discover). */
const served = new Set((await (await fetch(cfg.rpc, { method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'rpc.discover' }) })).json()).result.methods.map((m) => m.name));
const receiptsProvable = served.has('cairn_getTransactionProof') || served.has('cairn_getBlockReceipts');
console.log(`  node serves: history ${served.has('cairn_getAccountHistory')}, receipt proofs ${receiptsProvable}`);

const browser = await chromium.launch({ executablePath: cfg.chromium, headless: true, args: ['--no-sandbox'] });

/** A fresh context (empty localStorage) whose console errors and page errors are collected. */
async function open(width = 1280, height = 900) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MILLIS);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return { context, page, errors };
}

async function visit(page, base, route) {
  await page.goto(base + route);
  await rendered(page, route);
}
// The app marks main with the route it finished rendering; after a hash-only navigation the previous page's
// heading is still there until the hashchange runs, so waiting for "an h1" raced with it under load.
async function rendered(page, route) {
  await page.waitForFunction((want) => document.getElementById('main').dataset.route === want, route || '#/');
}
const noErrors = (errors, where) => assert(errors.length === 0, `console errors on ${where}: ${errors.join(' | ')}`);
const shot = (page, name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const verifiedBadge = (page, scope = 'main') => page.waitForSelector(`${scope} [data-verified="true"], ${scope} [data-verified="false"]`);

// ---- every page, honest node ----
const honest = await open();
const { page } = honest;
const E = cfg.explorer;

await check('dashboard loads, shows the head and verifies recent blocks', async () => {
  await visit(page, E, '#/');
  await page.waitForSelector('#head-height');
  await page.waitForSelector('main [data-verified="true"]');
  assert(Number(await page.textContent('#head-height')) >= cfg.finalHeight, 'head height below the last finalized block');
  await page.waitForSelector('#status[data-state="websocket"]');
  noErrors(honest.errors, 'dashboard');
  await shot(page, 'dashboard');
});

await check('blocks list loads with verified certificates', async () => {
  await visit(page, E, '#/blocks');
  await page.waitForSelector('main tbody [data-verified="true"]');
  noErrors(honest.errors, 'blocks');
  await shot(page, 'blocks');
});

await check('block detail: header, seals signed by the validator, verified', async () => {
  await visit(page, E, `#/block/${cfg.txHeight}`);
  const badge = await verifiedBadge(page, '.verdict');
  assert((await badge.getAttribute('data-verified')) === 'true', `block ${cfg.txHeight} not verified: ${await badge.getAttribute('data-reason')}`);
  assert(await page.$('[data-seal="valid"]'), 'no valid seal shown');
  assert((await page.textContent('main')).includes(cfg.txId.slice(0, 12)), 'the transfer is not listed in its block');
  noErrors(honest.errors, 'block');
  await shot(page, 'block');
});

await check('genesis block shows as unsealed, not as verified', async () => {
  await visit(page, E, '#/block/0');
  const badge = await verifiedBadge(page, '.verdict');
  assert((await badge.getAttribute('data-reason')) === 'genesis_unsealed', 'genesis must not verify');
  noErrors(honest.errors, 'genesis block');
});

await check('transaction: payload decoded, signature, inclusion verified, final', async () => {
  await visit(page, E, `#/tx/${cfg.txId}`);
  await page.waitForSelector('#tx-status');
  assert((await page.textContent('#tx-status')) === 'final', 'not final');
  assert((await page.textContent('#tx-amount')).replace(/\s/g, '') === String(cfg.txAmount), 'amount differs');
  await page.waitForFunction((all) => document.querySelectorAll('main .verdicts [data-verified="true"]').length >= (all ? 3 : 2), receiptsProvable);
  if (!receiptsProvable) assert(await page.$('main .verdicts [data-reason="receipts_unprovable"]'), 'receipt shown as provable on a node that cannot prove it');
  noErrors(honest.errors, 'tx');
  await shot(page, 'tx');
});

await check('account: balance, nonce and roles proven', async () => {
  await visit(page, E, `#/account/${cfg.recipient}`);
  const badge = await verifiedBadge(page, '.verdict');
  assert((await badge.getAttribute('data-verified')) === 'true', `account not verified: ${await badge.getAttribute('data-reason')}`);
  assert((await page.textContent('#account-balance')).replace(/\s/g, '') === String(cfg.recipientBalance), 'balance differs');
  if (served.has('cairn_getAccountHistory')) {
    await page.waitForSelector(`main a[href="#/tx/${cfg.txId}"]`);
  } else {
    assert((await page.textContent('main')).includes('does not serve account history'), 'no word on missing history');
  }
  noErrors(honest.errors, 'account');
  await shot(page, 'account');
});

await check('record: value proven', async () => {
  await visit(page, E, `#/record/${cfg.owner}/${encodeURIComponent(cfg.recordKey)}`);
  const badge = await verifiedBadge(page, '.verdict');
  assert((await badge.getAttribute('data-verified')) === 'true', 'record not verified');
  assert((await page.textContent('#record-value')) === cfg.recordValue, 'record value differs');
  if (served.has('cairn_getRecordHistory')) {
    await page.waitForSelector(`main table a[href="#/block/${cfg.recordHeight}"]`);
  }
  noErrors(honest.errors, 'record');
  await shot(page, 'record');
});

await check('validators: trusted set pinned from genesis, current set listed', async () => {
  await visit(page, E, '#/validators');
  await page.waitForSelector('main table');
  assert((await page.textContent('main')).includes('is the trusted set'), 'current set not recognized as trusted');
  noErrors(honest.errors, 'validators');
  await shot(page, 'validators');
});

await check('validators: a pending vote is shown with its tally verified, an altered one is not', async () => {
  // Another chain (two validators, one vote cast of the two needed), another origin: its own trust on first use.
  const other = await open();
  try {
    await visit(other.page, cfg.votesExplorer, '#/validators');
    const row = await other.page.waitForSelector(`main [aria-label="Pending validator votes"] tr:has(code[title="${cfg.voteCandidate}"])`);
    const badge = await row.waitForSelector('[data-verified]');
    assert((await badge.getAttribute('data-verified')) === 'true', `vote not verified: ${await badge.getAttribute('data-reason')}`);
    const text = await row.textContent();
    assert(text.includes('add'), 'the change is not shown as an addition');
    assert(text.includes('1 of 2 needed (2 validators)'), `tally differs: ${text}`);
    assert(await row.$(`code[title="${cfg.voteVoter}"]`), 'the voter is not listed');
    noErrors(other.errors, 'validators with a pending vote');
    await shot(other.page, 'validators-pending-vote');
    // The same answer altered two ways, checked by the page's own verifier: a claimed count the tally does not
    // hold, and a tally byte changed (another voter key than the one the state root commits to).
    const [honest, inflated, forged] = await other.page.evaluate(async () => {
      const { verifyValidatorVotes } = await import('./js/verify.js');
      const { call } = await import('./js/rpc.js');
      const answer = await call('cairn_getValidatorVotes');
      const more = structuredClone(answer);
      more.votes[0].votesCounted += 1;
      const other = structuredClone(answer);
      const v = other.votes[0].value;
      other.votes[0].value = v.slice(0, -2) + (v.endsWith('00') ? '01' : '00');
      const first = async (a) => (await verifyValidatorVotes(a)).votes[0].verdict.reason;
      return [await first(answer), await first(more), await first(other)];
    });
    assert(honest === null, `the honest answer did not verify: ${honest}`);
    assert(inflated === 'fields_differ_from_bytes', `an inflated count was not caught: ${inflated}`);
    assert(forged === 'value_mismatch', `a changed tally was not caught: ${forged}`);
  } finally {
    await other.context.close();
  }
});

// ---- search ----
async function search(query, expected) {
  await visit(page, E, '#/');
  await page.fill('#search-input', query);
  await page.press('#search-input', 'Enter');
  try {
    await page.waitForFunction((want) => location.hash === want, expected);
  } catch (e) {
    throw new Error(`${e.message.split('\n')[0]}; at ${await page.evaluate(() => location.hash)}: ${(await page.textContent('main')).slice(0, 200)}`);
  }
  await rendered(page, expected);
}
await check('search finds a block by height', () => search(String(cfg.txHeight), `#/block/${cfg.txHeight}`));
await check('search finds a block by hash', () => search(cfg.txBlockHash, `#/block/${cfg.txBlockHash}`));
await check('search finds a transaction', () => search(cfg.txId, `#/tx/${cfg.txId}`));
await check('search finds an account', () => search(cfg.recipient, `#/account/${cfg.recipient}`));
await check('search finds a record by owner/key', () => search(`${cfg.owner}/${cfg.recordKey}`, `#/record/${cfg.owner}/${encodeURIComponent(cfg.recordKey)}`));
await check('search says when nothing matches', async () => {
  await visit(page, E, '#/search/' + encodeURIComponent('no such thing'));
  await page.waitForSelector('#no-match');
  await shot(page, 'search-no-match');
});
await check('an unknown transaction id gets its own error state', async () => {
  await visit(page, E, '#/tx/0x' + '00'.repeat(32));
  assert((await page.textContent('main h1')) === 'Unknown transaction' || (await page.textContent('main')).includes('Unknown'), 'no unknown state');
});

// ---- notarization: a file dropped on the page is hashed locally and found with its height ----
await check('a dropped notarized file is reported with its height', async () => {
  await visit(page, E, '#/notarize');
  await page.fill('#notary', cfg.owner);
  const bytes = readFileSync(cfg.notarizedFile).toString('base64');
  const transfer = await page.evaluateHandle(({ name, b64 }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], name));
    return dt;
  }, { name: basename(cfg.notarizedFile), b64: bytes });
  let uploads = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && (r.postData() || '').length > 4096) uploads++; });
  await page.dispatchEvent('label.drop', 'drop', { dataTransfer: transfer });
  const result = await page.waitForSelector('[data-notarized]');
  assert((await result.getAttribute('data-notarized')) === 'true', 'file not found notarized');
  assert(Number(await result.getAttribute('data-height')) === cfg.notarizedHeight, `height ${await result.getAttribute('data-height')}, expected ${cfg.notarizedHeight}`);
  assert((await page.textContent('#file-digest')) === cfg.notarizedDigest, 'digest differs from sha256sum');
  assert(await page.$('#notary-result [data-verified="true"]'), 'notarization not verified');
  assert((await page.textContent('#notary-result')).includes('signed by ExplorerIT'), 'the record\'s description is not shown');
  assert(uploads === 0, 'the file content was sent to the node');
  noErrors(honest.errors, 'notarize');
  await shot(page, 'notarize');
});
await check('a file never notarized is reported absent (absence proven)', async () => {
  await page.setInputFiles('#file', { name: 'other.txt', mimeType: 'text/plain', buffer: Buffer.from('never notarized ' + Date.now()) });
  await page.waitForSelector('[data-notarized="false"]');
});

// ---- live: a transfer shows on the dashboard and its page within 2 s of finality ----
await check(`a new transfer appears on the dashboard and its page within ${LIVE_DEADLINE_MILLIS} ms of finality`, async () => {
  await visit(page, E, '#/');
  await page.waitForSelector('#status[data-state="websocket"]');
  const txPage = await honest.context.newPage();
  const post = (method, params) => fetch(cfg.rpc, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) }).then((r) => r.json());
  const sent = await post('cairn_sendTransaction', [cfg.liveTx]);
  assert(sent.result === cfg.liveTxId, `send failed: ${JSON.stringify(sent)}`);
  const onDashboard = page.waitForSelector(`#recent-txs a[href="#/tx/${cfg.liveTxId}"]`, { timeout: 60000 }).then(() => Date.now());
  let finalAt = null;
  while (finalAt === null) {
    if ((await post('cairn_getReceipt', [cfg.liveTxId])).result) finalAt = Date.now();
    else await new Promise((r) => setTimeout(r, 20));
  }
  await txPage.goto(`${E}#/tx/${cfg.liveTxId}`);
  await txPage.waitForFunction(() => document.getElementById('tx-status')?.textContent === 'final');
  const pageAt = Date.now();
  const dashboardAt = await onDashboard;
  console.log(`  live: dashboard ${dashboardAt - finalAt} ms, tx page ${pageAt - finalAt} ms after the receipt was readable`);
  assert(dashboardAt - finalAt <= LIVE_DEADLINE_MILLIS, `dashboard showed it ${dashboardAt - finalAt} ms after finality`);
  assert(pageAt - finalAt <= LIVE_DEADLINE_MILLIS, `tx page showed it final ${pageAt - finalAt} ms after finality`);
  await txPage.close();
  noErrors(honest.errors, 'live dashboard');
});

// ---- keyboard, narrow screen, unreachable node ----
await check('keyboard: skip link first, search reachable by Tab, Enter searches, focus lands on the new page', async () => {
  const kb = await open();
  await visit(kb.page, E, '#/');
  await kb.page.keyboard.press('Tab');
  assert((await kb.page.evaluate(() => document.activeElement.className)) === 'skip', 'first Tab is not the skip link');
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await kb.page.keyboard.press('Tab');
    reached = await kb.page.evaluate(() => document.activeElement.id === 'search-input');
  }
  assert(reached, 'search box not reachable by Tab');
  await kb.page.keyboard.type(String(cfg.txHeight));
  await kb.page.keyboard.press('Enter');
  await kb.page.waitForFunction((height) => location.hash === `#/block/${height}`, cfg.txHeight);
  await kb.page.waitForFunction(() => document.activeElement && document.activeElement.tagName === 'H1');
  noErrors(kb.errors, 'keyboard navigation');
  await kb.context.close();
});

await check('narrow screen (375 px): no horizontal page overflow', async () => {
  const narrow = await open(375, 800);
  for (const route of ['#/', `#/tx/${cfg.txId}`, `#/account/${cfg.recipient}`, '#/notarize']) {
    await visit(narrow.page, E, route);
    await narrow.page.waitForTimeout(300);
    const overflow = await narrow.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `${route} overflows by ${overflow} px`);
  }
  await visit(narrow.page, E, '#/');
  await narrow.page.waitForSelector('main [data-verified="true"]');
  await shot(narrow.page, 'dashboard-narrow');
  noErrors(narrow.errors, 'narrow pages');
  await narrow.context.close();
});

await check('node unreachable: a clear error state', async () => {
  const cut = await open();
  await cut.page.route((url) => new URL(url).pathname === '/', (route) => route.abort('connectionrefused'));
  await cut.page.goto(E + '#/blocks');
  await cut.page.waitForSelector('main [role="alert"]');
  assert((await cut.page.textContent('main')).includes('Node unreachable'), 'no unreachable state');
  await shot(cut.page, 'unreachable');
  await cut.context.close();
});

// ---- the formats in this browser against the vectors ----
await check('the explorer codec agrees with docs/vectors in chromium', async () => {
  const vectors = JSON.parse(readFileSync(cfg.vectors, 'utf8'));
  const result = await page.evaluate(async (v) => {
    const c = await import('./js/cairn.mjs');
    const u = c.unhex;
    const bad = [];
    let n = 0;
    const eq = (what, a, b) => { n++; const x = a instanceof Uint8Array ? c.hex(a) : String(a); if (x !== String(b)) bad.push(`${what}: ${x} != ${b}`); };
    for (const t of v.taggedHash) eq(`tag ${t.tag}`, await c.taggedHash(t.tag, u(t.message)), t.hash);
    for (const k of v.keys) {
      eq(`address ${k.name}`, await c.addressOf(u(k.publicKey)), k.address);
      eq(`address text ${k.name}`, c.addressText(u(k.address)), k.addressText);
      eq(`parse ${k.name}`, c.parseAddress(k.addressText), k.address);
      eq(`signature ${k.name}`, await c.verifySignature(u(k.signature), u(k.message), u(k.publicKey)), true);
    }
    for (const a of v.invalidAddresses) { n++; if (c.isAddress(a.text)) bad.push(`invalid address accepted: ${a.name}`); }
    for (const t of v.transactions) {
      const d = await c.decodeTx(u(t.encoded));
      eq(`tx id ${t.name}`, d.id, t.id);
      eq(`tx signing hash ${t.name}`, d.signingHash, t.signingHash);
      eq(`tx signature ${t.name}`, await c.verifySignature(d.signature, d.signingHash, d.sender), true);
    }
    for (const t of v.invalidTransactions) {
      n++;
      let refused = false;
      try { const d = await c.decodeTx(u(t.encoded)); refused = !(await c.verifySignature(d.signature, d.signingHash, d.sender)); } catch { refused = true; }
      if (!refused) bad.push(`invalid transaction accepted: ${t.name}`);
    }
    for (const a of v.accounts) eq(`account ${a.encoded}`, c.decodeAccount(u(a.encoded)).balance, a.balance);
    for (const s of v.stateKeys) {
      if (s.kind === 'account') eq('account key', await c.stateKeys.account(u(s.address)), s.key);
      if (s.kind === 'record') eq('record key', await c.stateKeys.record(u(s.address), s.recordKey), s.key);
    }
    const set = await c.validatorSet(v.validatorSet.validators.map(u));
    eq('validator set hash', set.hash, v.validatorSet.hash);
    for (const m of v.merkleRoots) eq(`merkle ${m.tag} ${m.leaves.length}`, await c.merkleRoot(m.tag, m.leaves.map(u)), m.root);
    const header = await c.decodeHeader(u(v.blockHeader.encoded));
    eq('header hash', header.hash, v.blockHeader.hash);
    for (const x of v.certificates) {
      const r = await c.checkCertificate(c.decodeCertificate(u(x.encoded)), u(x.expectedBlockHash), set);
      eq(`certificate ${x.name}`, r.reason ?? 'valid', x.valid ? 'valid' : x.reason);
    }
    for (const x of v.invalidCertificateEncodings) { n++; try { c.decodeCertificate(u(x.encoded)); bad.push(`invalid certificate accepted: ${x.name}`); } catch { /* refused */ } }
    for (const p of v.stateProofs) {
      const r = await c.verifyProof(u(p.root), u(p.key), p.value === null ? null : u(p.value), c.decodeProof(u(p.proof)));
      eq(`proof ${p.name}`, r ?? 'valid', p.valid ? 'valid' : p.reason);
    }
    for (const p of v.invalidProofEncodings) { n++; try { c.decodeProof(u(p.proof)); bad.push(`invalid proof accepted: ${p.name}`); } catch { /* refused */ } }
    return { n, bad };
  }, vectors);
  console.log(`  vectors: ${result.n} checks in chromium`);
  assert(result.n > 80, 'too few vector checks ran');
  assert(result.bad.length === 0, result.bad.slice(0, 5).join('; '));
});

await check('the explorer decodes notarization values as docs/vectors/notarization-vectors.json says', async () => {
  if (!existsSync(cfg.notarizationVectors)) {
    console.log('  notarization vectors: no file on this branch (the wallet writes it with its codec)');
    return;
  }
  const vectors = JSON.parse(readFileSync(cfg.notarizationVectors, 'utf8'));
  const bad = await page.evaluate(async (v) => {
    const c = await import('./js/cairn.mjs');
    const out = [];
    for (const x of v.valid) {
      const d = c.decodeNotarization(c.unhex(x.value));
      if (c.hex(d.digest) !== x.sha256 || String(d.size) !== String(x.size) || d.name !== x.name || d.description !== x.description) out.push(`valid ${x.name}`);
      if (c.notaryKey(c.unhex(x.sha256)) !== x.key) out.push(`key ${x.name}`);
    }
    for (const x of v.invalidValues) { try { c.decodeNotarization(c.unhex(x.value)); out.push(`invalid accepted: ${x.case}`); } catch { /* refused */ } }
    return out;
  }, vectors);
  assert(bad.length === 0, bad.join('; '));
});

// ---- page weight and time to first render (fresh context, nothing cached) ----
await check('page weight and time to first render measured', async () => {
  const fresh = await open();
  const start = Date.now();
  await fresh.page.goto(E + '#/');
  await fresh.page.waitForSelector('#head-height');
  const filledMillis = Date.now() - start;
  await fresh.page.waitForSelector('main [data-verified="true"]');
  const verifiedMillis = Date.now() - start;
  const m = await fresh.page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
    const assets = performance.getEntriesByType('resource').filter((r) => r.initiatorType !== 'fetch' && r.initiatorType !== 'xmlhttprequest');
    const rpc = performance.getEntriesByType('resource').filter((r) => r.initiatorType === 'fetch');
    return {
      firstContentfulPaintMillis: Math.round(fcp ? fcp.startTime : -1),
      domContentLoadedMillis: Math.round(nav.domContentLoadedEventEnd),
      loadMillis: Math.round(nav.loadEventEnd),
      files: assets.length + 1,
      transferBytes: assets.reduce((s, r) => s + r.transferSize, nav.transferSize),
      decodedBytes: assets.reduce((s, r) => s + r.decodedBodySize, nav.decodedBodySize),
      rpcCalls: rpc.length,
      rpcTransferBytes: rpc.reduce((s, r) => s + r.transferSize, 0),
    };
  });
  Object.assign(m, { dashboardFilledMillis: filledMillis, firstVerifiedMillis: verifiedMillis });
  writeFileSync(cfg.metricsFile, JSON.stringify(m, null, 2));
  console.log(`  weight: ${JSON.stringify(m)}`);
  assert(m.firstContentfulPaintMillis > 0 && m.decodedBytes > 0, 'no timings');
  await fresh.context.close();
});

// ---- a tampering proxy: its answers must show as not verified ----
const tampered = await open();
await check('a tampered account answer (balance) shows as not verified', async () => {
  await visit(tampered.page, cfg.tampered, `#/account/${cfg.recipient}`);
  const badge = await verifiedBadge(tampered.page, '.verdict');
  assert((await badge.getAttribute('data-verified')) === 'false', 'tampered balance shown as verified');
  await shot(tampered.page, 'tampered-account');
});
await check('a tampered seal shows as not verified, and which seal', async () => {
  await visit(tampered.page, cfg.tampered, `#/block/${cfg.txHeight}`);
  const badge = await verifiedBadge(tampered.page, '.verdict');
  assert((await badge.getAttribute('data-verified')) === 'false', 'tampered seal shown as verified');
  assert((await badge.getAttribute('data-reason')) === 'seal_bad_signature', `reason ${await badge.getAttribute('data-reason')}`);
  assert(await tampered.page.$('[data-seal="invalid"]'), 'the bad seal is not pointed out');
  await shot(tampered.page, 'tampered-block');
});

await browser.close();
if (failures.length) {
  console.log(`explorer-test: ${failures.length} check(s) failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('explorer-test: all checks passed');
