package dev.cairn.ledger.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Domain-separation tags: every hash and every signature names what it is over, so a digest of one kind of
 * object can never be replayed as another (a tx signature as a commit seal, a leaf as an inner node).
 */
public enum DomainTag {
  TX_SIGNING("cairn/tx-signing/v1"),
  TX_ID("cairn/tx-id/v1"),
  BLOCK_HEADER("cairn/block-header/v1"),
  COMMIT_SEAL("cairn/commit-seal/v1"),
  ADDRESS("cairn/address/v1"),
  TX_ROOT("cairn/tx-root/v1"),
  RECEIPTS_ROOT("cairn/receipts-root/v1"),
  VALIDATOR_SET("cairn/validator-set/v1"),
  STATE_LEAF("cairn/state-leaf/v1"),
  STATE_NODE("cairn/state-node/v1"),
  STATE_KEY("cairn/state-key/v1"),
  CONSENSUS_MESSAGE("cairn/consensus-message/v1"),
  GENESIS("cairn/genesis/v1");

  private final byte[] prefix;

  DomainTag(String name) {
    byte[] text = name.getBytes(StandardCharsets.US_ASCII);
    // Length-prefixed so that no tag is a prefix of another tag plus data.
    prefix = new byte[text.length + 1];
    prefix[0] = (byte) text.length;
    System.arraycopy(text, 0, prefix, 1, text.length);
  }

  byte[] prefix() {
    return prefix;
  }
}
