package dev.cairn.ledger.model;

import java.util.Objects;

/** A block together with the certificate that made it final: what is stored, synced and served. */
public record FinalizedBlock(Block block, CommitCertificate certificate) {
  public FinalizedBlock {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(certificate, "certificate");
    if (!certificate.blockHash().equals(block.hash())) {
      throw new IllegalArgumentException("certificate is not for this block");
    }
  }

  public long height() {
    return block.height();
  }
}
