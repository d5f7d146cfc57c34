// JSON-RPC 2.0 to the node that served this page: HTTP POST / for calls and batches, WebSocket /ws for
// newHeads, falling back to polling when the WebSocket cannot be opened (e.g. behind a proxy without it).

// The explorer is served at <base>explorer/ beside the JSON-RPC endpoint at <base> (base "/" on a node; a
// reverse proxy may mount the node under a path).
const BASE = location.pathname.replace(/explorer\/[^]*$/, '');
const ENDPOINT = new URL(BASE, location.href).href;
const WS_URL = new URL(BASE + 'ws', location.href.replace(/^http/, 'ws')).href;
const CALL_TIMEOUT_MILLIS = 15000;
const POLL_MILLIS = 1000;
const WS_RETRY_MILLIS = 15000;

/** An error object answered by the node (code, message, data), as opposed to no answer at all. */
export class RpcError extends Error {
  constructor(error) { super(error.message); this.code = error.code; this.data = error.data; }
}
/** No usable answer: the node is unreachable, timed out or answered something that is not JSON-RPC. */
export class Unreachable extends Error {}

let nextId = 1;
const listeners = new Set();
let status = { reachable: true, live: 'connecting' };
/** Called with { reachable, live } whenever either changes (live: 'websocket', 'polling', 'connecting'). */
export function onStatus(listener) { listeners.add(listener); listener(status); }
function setStatus(change) {
  const next = { ...status, ...change };
  if (next.reachable === status.reachable && next.live === status.live) return;
  status = next;
  listeners.forEach((l) => l(status));
}

async function post(body) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), CALL_TIMEOUT_MILLIS);
  try {
    const response = await fetch(ENDPOINT, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: controller.signal,
    });
    const text = await response.text();
    let parsed;
    try { parsed = JSON.parse(text); } catch { throw new Unreachable(`the node answered HTTP ${response.status} without JSON`); }
    setStatus({ reachable: true });
    return parsed;
  } catch (e) {
    if (!(e instanceof Unreachable)) {
      setStatus({ reachable: false });
      throw new Unreachable(e.name === 'AbortError' ? `no answer within ${CALL_TIMEOUT_MILLIS / 1000} s` : 'the node is unreachable');
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

function unwrap(answer) {
  if (!answer || typeof answer !== 'object') throw new Unreachable('not a JSON-RPC answer');
  if (answer.error) throw new RpcError(answer.error);
  if (!('result' in answer)) throw new Unreachable('a JSON-RPC answer without result');
  return answer.result;
}

/** One call; resolves to the result, rejects with RpcError or Unreachable. */
export async function call(method, ...params) {
  return unwrap(await post({ jsonrpc: '2.0', id: nextId++, method, params }));
}

/**
 * Several calls in one batch ([method, ...params] each); resolves to one { result } or { error } per call,
 * in order, so one unknown block does not fail the others.
 */
export async function batch(calls) {
  if (calls.length === 0) return [];
  const first = nextId;
  const answers = await post(calls.map(([method, ...params]) => ({ jsonrpc: '2.0', id: nextId++, method, params })));
  if (!Array.isArray(answers)) throw new Unreachable('a batch answered with a single object');
  const byId = new Map(answers.map((a) => [a.id, a]));
  return calls.map((_, i) => {
    const a = byId.get(first + i);
    try { return { result: unwrap(a) }; } catch (e) { return { error: e }; }
  });
}

let methodsPromise = null;
/** The method names the node serves (rpc.discover), fetched once. */
export function methods() {
  if (!methodsPromise) {
    methodsPromise = call('rpc.discover').then((doc) => new Set((doc.methods || []).map((m) => m.name)))
      .catch((e) => { methodsPromise = null; throw e; });
  }
  return methodsPromise;
}
export const has = async (name) => (await methods()).has(name);

// ---- new heads: WebSocket subscription, polling as the fallback ----
const headListeners = new Set();
let headSource = null;

/** Calls `listener(header)` for every new finalized block, in height order; returns an unsubscribe function. */
export function onNewHead(listener) {
  headListeners.add(listener);
  if (!headSource) headSource = startHeads();
  return () => headListeners.delete(listener);
}

function startHeads() {
  let lastHeight = null;
  let pollTimer = null;
  let socket = null;
  let reconnectTimer = null;
  const deliver = (header) => {
    if (lastHeight !== null && header.height <= lastHeight) return;
    lastHeight = header.height;
    headListeners.forEach((l) => { try { l(header); } catch (e) { console.warn('head listener failed', e); } });
  };
  const poll = async () => {
    try {
      const height = await call('cairn_blockNumber');
      if (lastHeight === null) lastHeight = height - 1;
      // At most 20 blocks per poll: a long outage is summarized, not replayed.
      const from = Math.max(lastHeight + 1, height - 19);
      if (height >= from) {
        const answers = await batch(Array.from({ length: height - from + 1 }, (_, i) => ['cairn_getBlockByNumber', from + i, false]));
        answers.filter((a) => a.result).forEach((a) => deliver(a.result));
      }
    } catch { /* the status line says the node is unreachable; try again next tick */ }
  };
  const startPolling = () => {
    if (pollTimer) return;
    setStatus({ live: 'polling' });
    pollTimer = setInterval(poll, POLL_MILLIS);
  };
  const reconnectIn = (millis) => {
    if (!reconnectTimer) reconnectTimer = setTimeout(() => { reconnectTimer = null; connect(); }, millis);
  };
  const connect = () => {
    let opened = false;
    try { socket = new WebSocket(WS_URL); } catch { startPolling(); reconnectIn(WS_RETRY_MILLIS); return; }
    socket.onopen = () => {
      opened = true;
      socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'cairn_subscribe', params: ['newHeads'] }));
    };
    socket.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.id === 1 && message.result) {
        if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
        setStatus({ live: 'websocket', reachable: true });
      } else if (message.method === 'cairn_subscription' && message.params && message.params.result) {
        deliver(message.params.result);
      }
    };
    socket.onclose = () => {
      socket = null;
      startPolling();
      reconnectIn(opened ? POLL_MILLIS : WS_RETRY_MILLIS);
    };
  };
  connect();
  return { stop: () => { if (socket) socket.close(); if (pollTimer) clearInterval(pollTimer); } };
}
