// A walk through Cairn as an integrator meets it, against a running node (e.g. ./cairn devnet):
// check the vectors, make a key, fund it, put a record, wait for finality over WebSocket, read both back and
// verify their state proofs trusting only the validators of genesis.json. Prints one line per step; exits
// non-zero at the first failure.
//
//   node demo.mjs --rpc http://127.0.0.1:8545 --genesis data/devnet/genesis.json \
//                 --key data/devnet/dev-account.key [--vectors ../../docs/vectors/cairn-vectors.json]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { webcrypto } from 'node:crypto';
import * as c from './cairn.mjs';
import { HttpRpc, WsRpc } from './rpc.mjs';
import { checkVectors } from './check-vectors.mjs';

const FINALITY_TIMEOUT_MILLIS = 90_000;
const { values: args } = parseArgs({
  options: { rpc: { type: 'string', default: 'http://127.0.0.1:8545' }, genesis: { type: 'string' },
    key: { type: 'string' }, vectors: { type: 'string' } },
});
if (!args.genesis || !args.key) {
  console.error('usage: node demo.mjs --rpc URL --genesis genesis.json --key funded-account.key [--vectors FILE]');
  process.exit(2);
}
const step = (text) => console.log(`ok ${text}`);
const fail = (text) => { throw new Error(text); };
const x = (bytes) => `0x${c.hex(bytes)}`;

async function main() {
  if (args.vectors) {
    const t = await checkVectors(args.vectors);
    if (t.failures.length) fail(`vectors: ${t.failures.join('; ')}`);
    step(`vectors: ${t.count} checks`);
  }

  // Trust anchor: the validators and chain id of genesis.json, nothing the node says.
  const genesis = JSON.parse(readFileSync(args.genesis, 'utf8'));
  const trusted = await c.validatorSet(genesis.validators.map((v) => c.unhex(v.publicKey)));
  step(`genesis: chain ${genesis.chainId}, ${trusted.validators.length} validator(s), quorum ${trusted.quorum}`);

  // The funded account (a hex Ed25519 seed on one line) and a brand-new key.
  const funder = c.unhex(readFileSync(args.key, 'ascii').trim());
  const funderPub = await c.publicKeyOf(funder);
  const funderAddress = await c.addressOf(funderPub);
  if (!genesis.accounts.some((a) => a.address === c.addressText(funderAddress))) fail('the key is not a genesis account');
  const seed = webcrypto.getRandomValues(new Uint8Array(32));
  const address = await c.addressOf(await c.publicKeyOf(seed));
  step(`new key, address ${c.addressText(address)}`);

  const http = new HttpRpc(args.rpc);
  const wsUrl = `${args.rpc.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`;
  const ws = await WsRpc.open(wsUrl);
  try {
    const chainId = await http.call('cairn_chainId');
    if (chainId !== genesis.chainId) fail(`node serves chain ${chainId}, genesis says ${genesis.chainId}`);
    const account = await http.call('cairn_getAccount', c.addressText(funderAddress));
    const nonce = BigInt(account.pendingNonce ?? account.nonce);

    // Build and sign locally; the id is computed here and must be what the node answers.
    const amount = 1000n;
    const recordKey = `js-client/${c.hex(address).slice(0, 8)}`;
    const recordValue = new TextEncoder().encode('hello from an independent client');
    const transfer = await c.signTx({ chainId, sender: funderPub, nonce, kind: 'transfer', payload: { to: address, amount } }, funder);
    const put = await c.signTx({ chainId, sender: funderPub, nonce: nonce + 1n, kind: 'record_put', payload: { key: recordKey, value: recordValue } }, funder);
    for (const [name, signed] of [['transfer', transfer], ['record put', put]]) {
      const answered = await http.call('cairn_sendTransaction', x(signed.encoded));
      if (answered !== x(signed.id)) fail(`${name}: node says id ${answered}, computed ${x(signed.id)}`);
      step(`${name} submitted, id ${answered}`);
    }
    for (const [name, signed] of [['transfer', transfer], ['record put', put]]) {
      const receipt = await ws.awaitFinal(x(signed.id), FINALITY_TIMEOUT_MILLIS);
      if (receipt.code !== 0) fail(`${name} failed: ${receipt.codeName}`);
      step(`${name} final over WebSocket at height ${receipt.blockHeight} (${receipt.codeName})`);
      const tx = await http.call('cairn_getTransaction', x(signed.id));
      if (tx.raw !== x(signed.encoded) || tx.status !== 'final') fail(`${name}: read back differs`);
      const decoded = await c.decodeTx(c.unhex(tx.raw));
      if (!(await c.txSignatureValid(decoded))) fail(`${name}: signature of the stored transaction does not verify`);
    }
    step('both transactions read back byte for byte');

    const funded = await http.call('cairn_getAccount', c.addressText(address));
    if (funded.balance !== amount.toString()) fail(`new account balance ${funded.balance}`);
    const record = await http.call('cairn_getRecord', c.addressText(funderAddress), recordKey);
    if (record.value !== x(recordValue)) fail(`record value ${record.value}`);
    step(`read back: balance ${funded.balance}, record ${recordKey}`);

    // Proofs, trusting only the genesis validators.
    const accountProof = await http.call('cairn_getProof', c.addressText(address), null, 'latest');
    const a = await c.verifyProofAnswer(accountProof, { address }, trusted);
    if (!a.ok) fail(`account proof: ${a.reason}`);
    const proven = c.decodeAccount(a.value);
    if (proven.balance !== amount) fail(`proven balance ${proven.balance}`);
    step(`account proof verified at height ${a.header.height}: balance ${proven.balance}, roles [${proven.roles}]`);
    const recordProof = await http.call('cairn_getProof', c.addressText(funderAddress), recordKey, 'latest');
    const r = await c.verifyProofAnswer(recordProof, { address: funderAddress, recordKey }, trusted);
    if (!r.ok || !c.equal(r.value, recordValue)) fail(`record proof: ${r.reason ?? 'other value'}`);
    step(`record proof verified at height ${r.header.height}`);

    // What must not verify: a value the node did not commit, and anything at height 0 (genesis has no seals).
    const lie = { ...accountProof, value: x(c.encodeAccount({ ...proven, balance: proven.balance + 1n })) };
    const refused = await c.verifyProofAnswer(lie, { address }, trusted);
    if (refused.ok) fail('a tampered value verified');
    const atGenesis = await http.call('cairn_getProof', c.addressText(funderAddress), null, 0);
    const g = await c.verifyProofAnswer(atGenesis, { address: funderAddress }, trusted);
    if (g.ok) fail('a proof at height 0 verified');
    step(`refused: tampered value (${refused.reason}), height 0 (${g.reason})`);
  } finally {
    ws.close();
  }
  console.log('cairn-js-client: all checks passed');
}

main().catch((e) => { console.error(`FAIL ${e.message}`); process.exit(1); });
