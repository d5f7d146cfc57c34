// The dashboard: head, block time and tx/s charts, recent blocks (each certificate verified), recent
// transactions, validators' recent signing, peers and mempool; updated on every new head.
import { call, batch, onNewHead } from '../rpc.js';
import { h, section, table, link, hashLink, short, ago, empty, badge, errorState, amount } from '../ui.js';
import { barChart } from '../chart.js';
import { verifyBlock } from '../verify.js';
import { txRow, signingSummary, addressOfKey } from './common.js';

const WINDOW_BLOCKS = 40;
/** Recent transactions listed; blocks are fetched with ids only, so a busy chain costs ids, not bodies. */
const RECENT_TXS = 12;

export async function render(page, _args, { onLeave }) {
  page.append(h('h1', {}, 'Dashboard'));
  const stats = h('div', { class: 'stats', 'aria-label': 'Chain status' });
  const charts = h('div', { class: 'grid2' });
  const blockTime = h('div', { class: 'chart-box' });
  const txRate = h('div', { class: 'chart-box' });
  charts.append(section('Block time (ms)', blockTime), section('Committed tx/s', txRate));
  const recentBlocks = h('div');
  const recentTxs = h('div', { id: 'recent-txs' });
  const signers = h('div');
  const mempool = h('div');
  page.append(stats, charts, h('div', { class: 'grid2' }, section('Recent blocks', recentBlocks), section('Recent transactions', recentTxs)),
    h('div', { class: 'grid2' }, section('Validators: recent signing', signers), section('Mempool', mempool)));

  const head = await call('cairn_blockNumber');
  const from = Math.max(0, head - WINDOW_BLOCKS + 1);
  const answers = await batch([
    ...Array.from({ length: head - from + 1 }, (_, i) => ['cairn_getBlockByNumber', from + i, false]),
    ['cairn_nodeInfo'], ['cairn_pendingTransactions', 10], ['cairn_validators', 'latest'],
  ]);
  const extra = answers.splice(answers.length - 3, 3);
  const blocks = answers.filter((a) => a.result).map((a) => a.result);
  let info = extra[0].result;
  let pending = extra[1].result;
  let validators = extra[2].result;
  const verdicts = new Map();
  const txObjects = new Map();

  const draw = async () => {
    drawStats(stats, blocks, info, pending, validators);
    const points = blocks.slice(1).map((b, i) => ({ label: `block ${b.height}`, value: b.timestampMillis - blocks[i].timestampMillis }));
    barChart(blockTime, points, { unit: 'ms', title: 'Block time' });
    barChart(txRate, blocks.slice(1).map((b, i) => ({
      label: `block ${b.height}`, value: b.transactions.length / Math.max(0.001, (b.timestampMillis - blocks[i].timestampMillis) / 1000),
    })), { unit: 'tx/s', title: 'Committed transactions per second' });
    drawBlocks(recentBlocks, blocks, verdicts);
    await drawTxs(recentTxs, blocks, txObjects);
    await drawSigners(signers, validators, blocks);
    drawMempool(mempool, pending);
  };
  const verifyNew = async () => {
    for (const b of blocks) {
      if (!verdicts.has(b.height)) verdicts.set(b.height, (await verifyBlock(b)).verdict);
    }
    drawBlocks(recentBlocks, blocks, verdicts);
  };
  await draw();
  verifyNew();

  const stop = onNewHead(async (header) => {
    try {
      const [block, nodeInfo, pend, vals] = await batch([
        ['cairn_getBlockByNumber', header.height, false], ['cairn_nodeInfo'], ['cairn_pendingTransactions', 10], ['cairn_validators', 'latest'],
      ]);
      if (!block.result || blocks.some((b) => b.height === block.result.height)) return;
      blocks.push(block.result);
      blocks.sort((a, b) => a.height - b.height);
      while (blocks.length > WINDOW_BLOCKS) verdicts.delete(blocks.shift().height);
      info = nodeInfo.result || info;
      pending = pend.result || pending;
      validators = vals.result || validators;
      await draw();
      verifyNew();
    } catch (e) {
      stats.replaceChildren(errorState(e));
    }
  });
  onLeave(stop);
}

function stat(label, value, extra) {
  return h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value' }, value), extra ? h('div', { class: 'stat-extra' }, extra) : null);
}

function drawStats(el, blocks, info, pending, validators) {
  const last = blocks[blocks.length - 1];
  const span = blocks.length > 1 ? (last.timestampMillis - blocks[0].timestampMillis) / 1000 : 0;
  const txs = blocks.slice(1).reduce((n, b) => n + b.transactions.length, 0);
  el.replaceChildren(
    stat('Height', link(`#/block/${last.height}`, String(last.height), { id: 'head-height' }), info ? `chain ${info.chainId}` : null),
    stat('Last block', ago(last.timestampMillis), new Date(last.timestampMillis).toLocaleTimeString()),
    stat('Mean block time', span > 0 ? `${Math.round((span * 1000) / (blocks.length - 1))} ms` : '—', `over ${blocks.length} blocks`),
    stat('Committed tx/s', span > 0 ? (txs / span).toFixed(1) : '—', `${txs} txs in ${span.toFixed(0)} s`),
    stat('Peers', info ? String(info.peerCount) : '—', info ? (info.validator ? 'this node validates' : 'observer') : null),
    stat('Mempool', pending ? String(pending.count) : '—', 'pending transactions'),
    stat('Validators', validators ? String(validators.validators.length) : '—', validators ? `quorum ${validators.quorum}` : null),
  );
}

function drawBlocks(el, blocks, verdicts) {
  const rows = [...blocks].reverse().slice(0, 12).map((b) => [
    link(`#/block/${b.height}`, String(b.height)), hashLink(`#/block/${b.hash}`, b.hash), String(b.transactions.length),
    String(b.certificate.seals.length), ago(b.timestampMillis), badge(verdicts.get(b.height), `block ${b.height}`, true),
  ]);
  el.replaceChildren(rows.length ? table(['Height', 'Hash', 'Txs', 'Seals', 'Age', 'Certificate'], rows, 'Recent blocks') : empty('No blocks yet.'),
    h('p', {}, link('#/blocks', 'All blocks →')));
}

async function drawTxs(el, blocks, cache) {
  const recent = [];
  for (const b of [...blocks].reverse()) {
    for (const id of [...b.transactions].reverse()) if (recent.length < RECENT_TXS) recent.push({ id, height: b.height });
  }
  const missing = recent.filter((r) => !cache.has(r.id));
  if (missing.length) {
    const answers = await batch(missing.map((r) => ['cairn_getTransaction', r.id]));
    answers.forEach((a, i) => { if (a.result) cache.set(missing[i].id, a.result); });
  }
  for (const id of [...cache.keys()]) if (!recent.some((r) => r.id === id)) cache.delete(id);
  const rows = recent.filter((r) => cache.has(r.id)).map((r) => txRow(cache.get(r.id), r.height));
  el.replaceChildren(rows.length ? table(['Id', 'Kind', 'From', 'What', 'Block'], rows, 'Recent transactions')
    : empty('No transactions in the recent blocks.'));
}

async function drawSigners(el, validators, blocks) {
  if (!validators) { el.replaceChildren(empty('Validator set unavailable.')); return; }
  const keys = validators.validators.map((v) => v.publicKey);
  const stats = signingSummary(keys, blocks);
  const counted = blocks.filter((b) => b.height > 0).length;
  const rows = [];
  for (const v of validators.validators) {
    const s = stats.get(v.publicKey);
    rows.push([link(`#/account/${v.address || (await addressOfKey(v.publicKey))}`, short(v.publicKey), { class: 'mono', title: v.publicKey }),
      `${s.sealed} / ${counted}`, String(s.proposed), h('span', { class: s.missedSlots ? 'warn' : '' }, String(s.missedSlots))]);
  }
  el.replaceChildren(table(['Validator', 'Seals in certificates', 'Proposed', 'Missed proposer rounds'], rows, 'Recent signing'),
    h('p', { class: 'note' }, `Over the last ${counted} blocks. A certificate needs only a quorum (${validators.quorum}) of seals, so a validator missing from some is not necessarily down.`));
}

function drawMempool(el, pending) {
  if (!pending) { el.replaceChildren(empty('Mempool unavailable.')); return; }
  const rows = pending.transactions.map((tx) => txRow(tx));
  el.replaceChildren(h('p', {}, `${amount(pending.count)} pending transaction${pending.count === 1 ? '' : 's'}.`),
    rows.length ? table(['Id', 'Kind', 'From', 'What'], rows, 'Pending transactions') : empty('The mempool is empty.'));
}
