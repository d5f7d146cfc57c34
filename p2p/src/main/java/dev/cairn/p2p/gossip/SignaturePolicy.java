package dev.cairn.p2p.gossip;

/** The network-wide message signing policy; every peer of a network must use the same one. */
public enum SignaturePolicy {
  /** Messages carry from, seqno, signature (and key); unsigned messages are rejected. */
  STRICT_SIGN,
  /** Messages carry none of from, seqno, signature, key; any message carrying one is rejected. */
  STRICT_NO_SIGN
}
