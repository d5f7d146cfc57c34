// The blocks list (paged by height) and a block's detail: header fields decoded from its canonical bytes,
// the certificate with each seal checked and who signed it, and its transactions.
import { call, batch } from '../rpc.js';
import { h, section, table, link, hashLink, short, ago, dateTime, empty, badge, fields, mono } from '../ui.js';
import { verifyBlock } from '../verify.js';
import { trusted } from '../trust.js';
import * as c from '../cairn.mjs';
import { txRow, addressOfKey } from './common.js';

const PAGE_BLOCKS = 25;
/** Transactions listed on a block's page; the block itself is fetched with ids only and verified from them. */
const BLOCK_TXS_SHOWN = 200;

export async function renderList(page, [before]) {
  page.append(h('h1', {}, 'Blocks'));
  const head = await call('cairn_blockNumber');
  const top = before === undefined ? head : Math.min(head, Number(before));
  const bottom = Math.max(0, top - PAGE_BLOCKS + 1);
  const answers = await batch(Array.from({ length: top - bottom + 1 }, (_, i) => ['cairn_getBlockByNumber', top - i, false]));
  const blocks = answers.filter((a) => a.result).map((a) => a.result);
  const badges = new Map(blocks.map((b) => [b.height, h('span', {}, badge(null))]));
  page.append(section(`Heights ${bottom}–${top} of ${head}`,
    table(['Height', 'Hash', 'Txs', 'Proposer', 'Round', 'Seals', 'Time', 'Certificate'], blocks.map((b) => [
      link(`#/block/${b.height}`, String(b.height)), hashLink(`#/block/${b.hash}`, b.hash), String(b.transactions.length),
      mono(short(b.proposer), b.proposer), String(b.round), String(b.certificate.seals.length), ago(b.timestampMillis), badges.get(b.height),
    ]), 'Blocks'),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      top < head ? link(`#/blocks/${Math.min(head, top + PAGE_BLOCKS)}`, '← Newer') : null,
      bottom > 0 ? link(`#/blocks/${bottom - 1}`, 'Older →') : null)));
  for (const b of blocks) badges.get(b.height).replaceChildren(badge((await verifyBlock(b)).verdict, `block ${b.height}`, true));
}

export async function renderBlock(page, [id]) {
  const byHash = /^0x[0-9a-fA-F]{64}$/.test(id);
  const block = byHash ? await call('cairn_getBlockByHash', id.toLowerCase(), false) : await call('cairn_getBlockByNumber', Number(id), false);
  page.append(h('h1', {}, `Block ${block.height}`));
  const status = h('p', { class: 'verdict' }, badge(null));
  page.append(status);
  const checked = await verifyBlock(block);
  status.replaceChildren(badge(checked.verdict, 'block'), ' ', verdictText(checked.verdict, block));
  const d = checked.decoded;
  page.append(section('Header', fields([
    ['Height', String(block.height), ' ', block.height > 0 ? link(`#/block/${block.height - 1}`, '← parent') : null, ' ', link(`#/block/${block.height + 1}`, 'child →')],
    ['Hash', mono(block.hash)],
    ['Parent hash', block.height > 0 ? link(`#/block/${block.parentHash}`, block.parentHash, { class: 'mono' }) : mono(block.parentHash)],
    ['Time', `${dateTime(block.timestampMillis)} (${ago(block.timestampMillis)})`],
    ['Proposer', mono(block.proposer), ' ', block.height > 0 ? link(`#/account/${await addressOfKey(block.proposer)}`, 'account') : null],
    ['Round', String(block.round)],
    ['Tx root', mono(block.txRoot)], ['Receipts root', mono(block.receiptsRoot)],
    ['State root', mono(block.stateRoot)], ['Validator set hash', mono(block.validatorSetHash)],
    ['Decoded from bytes', d ? (checked.verdict.reason === 'header_fields_differ' ? 'no: ' + checked.verdict.detail : 'yes: every field above equals the canonical header bytes') : 'no'],
  ])));
  const anchor = await trusted();
  const sealRows = [];
  const sealByKey = new Map(checked.seals.map((s) => [c.hex0x(s.validator), s]));
  const keys = new Set([...anchor.set.validators.map((k) => c.hex0x(k)), ...block.certificate.seals.map((s) => s.validator)]);
  for (const key of keys) {
    const s = sealByKey.get(key);
    const inSet = anchor.set.validators.some((v) => c.hex0x(v) === key);
    sealRows.push([link(`#/account/${await addressOfKey(key)}`, short(key), { class: 'mono', title: key }),
      inSet ? 'trusted validator' : h('span', { class: 'warn' }, 'not in the trusted set'),
      !s ? 'no seal' : s.valid ? h('span', { class: 'ok-text', dataset: { seal: 'valid' } }, '✓ signature valid')
        : h('span', { class: 'bad-text', dataset: { seal: 'invalid' } }, '✗ signature invalid')]);
  }
  page.append(section(`Certificate: ${block.certificate.seals.length} seal${block.certificate.seals.length === 1 ? '' : 's'}, quorum ${anchor.set.quorum} of ${anchor.set.validators.length}`,
    table(['Validator', 'Membership', 'Seal'], sealRows, 'Seals')));
  const shown = block.transactions.slice(0, BLOCK_TXS_SHOWN);
  const txs = shown.length ? (await batch(shown.map((txId) => ['cairn_getTransaction', txId]))).map((a, i) => a.result || { id: shown[i], kind: '?', from: '', payload: {} }) : [];
  page.append(section(`Transactions (${block.transactions.length})`, txs.length
    ? table(['Id', 'Kind', 'From', 'What'], txs.map((tx) => txRow(tx)), 'Transactions')
    : empty('No transactions in this block.'),
  block.transactions.length > shown.length ? h('p', { class: 'note' }, `The first ${shown.length} of ${block.transactions.length} are listed; all of them are in the verified tx root.`) : null));
}

function verdictText(v, block) {
  if (v.ok) return `The certificate carries a quorum of valid seals from the trusted validators over this header’s hash, and the transactions match its tx root.`;
  if (block.height === 0) return 'Genesis carries no seals: trust it by its genesis.json.';
  return v.detail || '';
}

