// JSON-RPC 2.0 to a Cairn node: calls over HTTP (Node 20's fetch), subscriptions over WebSocket (ws).
import WebSocket from 'ws';

export class RpcError extends Error {
  constructor(error) { super(`${error.code} ${error.message}`); this.code = error.code; this.data = error.data; }
}

export class HttpRpc {
  constructor(url) { this.url = url; this.nextId = 1; }
  async call(method, ...params) {
    const res = await fetch(this.url, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params }),
    });
    const body = await res.json();
    if (body.error) throw new RpcError(body.error);
    return body.result;
  }
}

/** One WebSocket connection: calls and cairn_subscribe notifications. */
export class WsRpc {
  static open(url) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new WsRpc(ws)));
      ws.once('error', reject);
    });
  }
  constructor(ws) {
    this.ws = ws;
    this.nextId = 1;
    this.pending = new Map();
    this.subscriptions = new Map();
    this.early = new Map();
    ws.on('message', (data) => this.onMessage(JSON.parse(data.toString('utf8'))));
  }
  onMessage(msg) {
    if (msg.method === 'cairn_subscription') {
      const { subscription, result } = msg.params;
      const listener = this.subscriptions.get(subscription);
      if (listener) listener(result); else this.early.set(subscription, result);
      return;
    }
    const waiter = this.pending.get(msg.id);
    if (!waiter) return;
    this.pending.delete(msg.id);
    if (msg.error) waiter.reject(new RpcError(msg.error)); else waiter.resolve(msg.result);
  }
  call(method, ...params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }
  /** Resolves with the receipt once the transaction is final (cairn_subscribe txFinalized). */
  async awaitFinal(txIdHex, timeoutMillis) {
    const id = await this.call('cairn_subscribe', 'txFinalized', txIdHex);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${txIdHex} not final within ${timeoutMillis} ms`)), timeoutMillis);
      const done = (receipt) => { clearTimeout(timer); this.subscriptions.delete(id); resolve(receipt); };
      if (this.early.has(id)) { done(this.early.get(id)); return; }
      this.subscriptions.set(id, done);
    });
  }
  close() { this.ws.close(); }
}
