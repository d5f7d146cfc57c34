// A transaction: its payload decoded from its signed bytes (not from the JSON), the signature, the receipt,
// and its inclusion in a certified block. A pending transaction's page turns final by itself.
import { call, onNewHead } from '../rpc.js';
import { h, section, link, badge, fields, mono, amount, short } from '../ui.js';
import { verifyTransaction, verifyInclusion } from '../verify.js';
import * as c from '../cairn.mjs';

export async function render(page, [id], { onLeave }) {
  if (!/^0x[0-9a-fA-F]{64}$/.test(id)) throw new Error(`"${id}" is not a transaction id (0x and 64 hex digits)`);
  id = id.toLowerCase();
  const tx = await call('cairn_getTransaction', id);
  const receipt = tx.status === 'final' ? await call('cairn_getReceipt', id) : null;
  page.append(h('h1', {}, 'Transaction'), h('p', { class: 'mono wrap' }, id));
  const signed = await verifyTransaction(tx, id);
  const verdicts = h('div', { class: 'verdicts' });
  page.append(section('Verification', verdicts));
  const rows = [['Bytes and signature', badge(signed.verdict, 'transaction'), ' ',
    signed.verdict.ok ? 'the bytes hash to this id and carry the sender’s valid signature' : signed.verdict.detail || '']];
  const inclusionRow = h('dd', {}, badge(null));
  const receiptRow = h('dd', {}, badge(null));
  verdicts.append(fields(rows), h('dl', { class: 'fields' }, h('dt', {}, 'Inclusion'), inclusionRow, h('dt', {}, 'Receipt'), receiptRow));

  const d = signed.decoded;
  page.append(section('Transaction', fields([
    ['Status', h('span', { id: 'tx-status', class: tx.status === 'final' ? 'ok-text' : 'warn' }, tx.status === 'final' ? 'final' : 'pending (in the mempool)')],
    tx.status === 'final' ? ['Block', link(`#/block/${tx.blockHeight}`, String(tx.blockHeight), { id: 'tx-block' }), ` (index ${tx.index})`] : null,
    ['Kind', tx.kind],
    ['From', link(`#/account/${tx.from}`, tx.from, { class: 'mono' })],
    ['Sender key', mono(tx.sender)],
    ['Nonce', String(tx.nonce)],
    ['Chain', tx.chainId],
    ...(d ? await payloadRows(d, tx.from) : [['Payload', 'undecodable bytes']]),
    ['Signature', mono(short(tx.signature, 16), tx.signature)],
  ])));
  if (receipt) {
    page.append(section('Receipt', fields([
      ['Result', h('span', { class: receipt.status === 'success' ? 'ok-text' : 'bad-text', id: 'receipt-status' }, receipt.status)],
      ['Code', `${receipt.code} ${receipt.codeName}`], ['Description', receipt.description],
      ['Block hash', link(`#/block/${receipt.blockHash}`, receipt.blockHash, { class: 'mono' })],
    ])));
    const included = await verifyInclusion(id, receipt);
    inclusionRow.replaceChildren(badge(included.inclusion, 'inclusion'), ' ', included.inclusion.ok ? `in the certified block ${included.height}` : included.inclusion.detail || '');
    receiptRow.replaceChildren(badge(included.receipt, 'receipt'), ' ', included.receipt.ok ? 'the receipt is the one the block’s receipts root commits to' : included.receipt.detail || '');
  } else {
    inclusionRow.replaceChildren('pending: not in a block yet');
    receiptRow.replaceChildren('none yet');
    const stop = onNewHead(async () => {
      if ((await call('cairn_getReceipt', id)) !== null) { stop(); window.dispatchEvent(new HashChangeEvent('hashchange')); }
    });
    onLeave(stop);
  }
}

async function payloadRows(d, from) {
  const p = d.payload;
  switch (d.kind) {
    case 'transfer': {
      const to = c.addressText(p.to);
      return [['To', link(`#/account/${to}`, to, { class: 'mono' })], ['Amount', h('span', { id: 'tx-amount' }, amount(p.amount))]];
    }
    case 'record_put': {
      const text = c.printableText(p.value);
      return [['Record key', link(`#/record/${from}/${encodeURIComponent(p.key)}`, p.key, { class: 'mono' })],
        ['Value', text !== null ? h('span', { class: 'wrap' }, text) : mono(c.hex0x(p.value)), ` (${p.value.length} bytes)`]];
    }
    case 'role_grant': case 'role_revoke': {
      const account = c.addressText(p.account);
      return [['Account', link(`#/account/${account}`, account, { class: 'mono' })], ['Role', p.role]];
    }
    case 'validator_vote':
      return [['Validator', mono(c.hex0x(p.validator))], ['Action', p.action]];
    default: return [];
  }
}

