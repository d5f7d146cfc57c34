// A js-libp2p peer for Cairn's interop tests. Prints one JSON object per line on stdout:
//   {"event":"listening","peerId":..,"addrs":[..]}   once started
//   {"event":"identified","peer":..,"agentVersion":..,"protocols":[..]}   when a remote answered identify
//   {"event":"ping","peer":..,"rttMillis":..} / {"event":"pingFailed","peer":..,"error":..}   after pinging it
//   {"event":"echo","peer":..,"bytes":..,"ok":true|false}   after 600 KB through the remote's /cairn/test-echo/1.0.0
// Usage: node peer.mjs [--dial <multiaddr>]. It serves /cairn/test-echo/1.0.0 and exits when stdin closes.

// Node 20 lacks Promise.withResolvers, which js-libp2p calls: define it before importing libp2p.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}

const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { multiaddr } = await import('@multiformats/multiaddr')

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const dialIndex = process.argv.indexOf('--dial')
const dialTarget = dialIndex > 0 ? process.argv[dialIndex + 1] : null

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionManager: { allow: ['/ip4/127.0.0.0/ipcidr/8'] },
  services: { identify: identify(), ping: ping() }
})

await node.handle('/cairn/test-echo/1.0.0', async (stream) => {
  for await (const buf of stream) {
    if (!stream.send(buf)) {
      await new Promise((resolve) => stream.addEventListener('drain', resolve, { once: true }))
    }
  }
  await stream.close()
})

// Sends 600 KB (more than one 256 KiB Yamux window) through the remote's echo handler and checks it.
async function echoThrough (peerId) {
  const stream = await node.dialProtocol(peerId, '/cairn/test-echo/1.0.0')
  const payload = new Uint8Array(600000)
  for (let i = 0; i < payload.length; i++) payload[i] = i % 251
  const reading = (async () => {
    const chunks = []
    for await (const chunk of stream) chunks.push(chunk.subarray())
    return Buffer.concat(chunks)
  })()
  for (let off = 0; off < payload.length; off += 65536) {
    if (!stream.send(payload.subarray(off, off + 65536))) {
      await new Promise((resolve) => stream.addEventListener('drain', resolve, { once: true }))
    }
  }
  await stream.close()
  const got = await reading
  return { bytes: got.length, ok: Buffer.compare(got, Buffer.from(payload)) === 0 }
}

const pinged = new Set()
node.addEventListener('peer:identify', async (evt) => {
  const { peerId, agentVersion, protocols } = evt.detail
  out({ event: 'identified', peer: peerId.toString(), agentVersion, protocols })
  const key = peerId.toString()
  if (pinged.has(key)) return
  pinged.add(key)
  try {
    const rtt = await node.services.ping.ping(peerId)
    out({ event: 'ping', peer: key, rttMillis: rtt })
  } catch (e) {
    out({ event: 'pingFailed', peer: key, error: String(e) })
  }
  if (protocols.includes('/cairn/test-echo/1.0.0')) {
    try {
      out({ event: 'echo', peer: key, ...(await echoThrough(peerId)) })
    } catch (e) {
      out({ event: 'echoFailed', peer: key, error: String(e) })
    }
  }
})
node.addEventListener('peer:disconnect', (evt) => out({ event: 'disconnected', peer: evt.detail.toString() }))

out({ event: 'listening', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map((a) => a.toString()) })

if (dialTarget) {
  try {
    await node.dial(multiaddr(dialTarget))
    out({ event: 'dialed', target: dialTarget })
  } catch (e) {
    out({ event: 'dialFailed', target: dialTarget, error: String(e) })
  }
}

process.stdin.resume()
process.stdin.on('end', async () => { await node.stop(); process.exit(0) })
process.stdin.on('close', async () => { await node.stop(); process.exit(0) })
