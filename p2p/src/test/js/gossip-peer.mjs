// A js-libp2p GossipSub peer for Cairn's gossip interop test. One JSON object per line on stdout:
//   {"event":"listening","peerId":..,"addrs":[..]}        once started
//   {"event":"subscribed","peer":..,"topic":..}             when a remote joined the topic
//   {"event":"message","from":..,"topic":..,"data":..}      for each message received (data as UTF-8)
//   {"event":"published","topic":..,"recipients":n}         after a "publish" command
// stdin commands, one per line: "publish <topic> <text>". It exits when stdin closes.
// Usage: node gossip-peer.mjs --topic <topic> [--dial <multiaddr>]
// Message ids: js's StrictSign default (PublicKey protobuf || seqno); Cairn must use the same function.

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
const { gossipsub } = await import('@libp2p/gossipsub')
const { multiaddr } = await import('@multiformats/multiaddr')
const readline = await import('node:readline')

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const arg = (name) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : null
}
const topic = arg('--topic') ?? 'interop'
const dialTarget = arg('--dial')

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionManager: { allow: ['/ip4/127.0.0.0/ipcidr/8'] },
  services: {
    identify: identify(),
    ping: ping(),
    pubsub: gossipsub({
      allowPublishToZeroTopicPeers: true,
      emitSelf: false,
      heartbeatInterval: 200,
      scoreParams: { IPColocationFactorWeight: 0 }
    })
  }
})

const pubsub = node.services.pubsub
pubsub.addEventListener('subscription-change', (evt) => {
  for (const s of evt.detail.subscriptions) {
    if (s.subscribe) out({ event: 'subscribed', peer: evt.detail.peerId.toString(), topic: s.topic })
  }
})
pubsub.addEventListener('message', (evt) => {
  const m = evt.detail
  out({ event: 'message', from: m.from?.toString() ?? null, topic: m.topic, data: new TextDecoder().decode(m.data) })
})
pubsub.subscribe(topic)

out({ event: 'listening', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map((a) => a.toString()) })

if (dialTarget) {
  try {
    await node.dial(multiaddr(dialTarget))
    out({ event: 'dialed', target: dialTarget })
  } catch (e) {
    out({ event: 'dialFailed', target: dialTarget, error: String(e) })
  }
}

const rl = readline.createInterface({ input: process.stdin })
rl.on('line', async (line) => {
  const [cmd, t, ...rest] = line.split(' ')
  if (cmd === 'publish') {
    try {
      const r = await pubsub.publish(t, new TextEncoder().encode(rest.join(' ')))
      out({ event: 'published', topic: t, recipients: r.recipients.length })
    } catch (e) {
      out({ event: 'publishFailed', topic: t, error: String(e) })
    }
  }
})
rl.on('close', async () => { await node.stop(); process.exit(0) })
