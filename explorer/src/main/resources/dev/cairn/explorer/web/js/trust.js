// The validator set the explorer trusts: the one every certificate and proof is checked against. By default
// the node's genesis set, pinned in localStorage on first use per chain; or a set the user pastes (genesis.json
// or public keys one per line), which then stays until reset.
import { call } from './rpc.js';
import { unhex, hex, validatorSet } from './cairn.mjs';

const STORE_PREFIX = 'cairn.explorer.trusted.';
let cached = null;

/** The chain id of the node (fetched once). */
let chainIdPromise = null;
export function chainId() {
  if (!chainIdPromise) chainIdPromise = call('cairn_chainId').catch((e) => { chainIdPromise = null; throw e; });
  return chainIdPromise;
}

function load(chain) {
  try {
    const stored = JSON.parse(localStorage.getItem(STORE_PREFIX + chain) || 'null');
    return stored && Array.isArray(stored.keys) ? stored : null;
  } catch { return null; }
}

let loading = null;
/**
 * Resolves to { set, source, savedAt, chainId }: source is 'node-genesis' (fetched from this node at height 0
 * on first use, then pinned) or 'pasted'.
 */
export function trusted() {
  // One load at a time: the many checks of a page that start together share the first fetch.
  if (!loading) loading = resolveTrusted().finally(() => { loading = null; });
  return loading;
}

async function resolveTrusted() {
  const chain = await chainId();
  if (cached && cached.chainId === chain) return cached;
  let stored = load(chain);
  if (!stored) {
    const genesis = await call('cairn_validators', 0);
    stored = { source: 'node-genesis', keys: genesis.validators.map((v) => v.publicKey.replace(/^0x/, '')), savedAt: Date.now() };
    localStorage.setItem(STORE_PREFIX + chain, JSON.stringify(stored));
  }
  cached = { set: await validatorSet(stored.keys.map((k) => unhex(k))), source: stored.source, savedAt: stored.savedAt, chainId: chain };
  return cached;
}

/** Parses a genesis.json, a JSON array of keys, or hex keys one per line (# comments allowed). */
export function parseKeys(text) {
  const trimmed = text.trim();
  let keys;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = JSON.parse(trimmed);
    const list = Array.isArray(json) ? json : json.validators;
    if (!Array.isArray(list)) throw new Error('expected genesis.json with "validators", or an array of keys');
    keys = list.map((v) => (typeof v === 'string' ? v : v.publicKey));
  } else {
    keys = trimmed.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter((l) => l.length > 0);
  }
  return keys.map((k) => {
    if (typeof k !== 'string') throw new Error('a key must be hex text');
    const bytes = unhex(k);
    if (bytes.length !== 32) throw new Error(`a key has 32 bytes, got ${bytes.length}: ${k.slice(0, 20)}`);
    return bytes;
  });
}

/** Pins `keys` (bytes) as the trusted set for this chain. */
export async function pin(keys) {
  const chain = await chainId();
  await validatorSet(keys); // refuses an empty, oversized or duplicated set before it is stored
  localStorage.setItem(STORE_PREFIX + chain, JSON.stringify({ source: 'pasted', keys: keys.map(hex), savedAt: Date.now() }));
  cached = null;
}

/** Forgets the pinned set: the next check fetches the node's genesis set again. */
export async function reset() {
  localStorage.removeItem(STORE_PREFIX + (await chainId()));
  cached = null;
}
