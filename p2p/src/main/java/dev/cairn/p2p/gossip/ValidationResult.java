package dev.cairn.p2p.gossip;

/** A topic validator's verdict on a received message (gossipsub v1.1 extended validators). */
public enum ValidationResult {
  /** Deliver locally and forward. */
  ACCEPT,
  /** Invalid: do not deliver or forward; counts against the peer that sent it. */
  REJECT,
  /** Not invalid but not wanted (e.g. stale): drop silently, no penalty. */
  IGNORE
}
