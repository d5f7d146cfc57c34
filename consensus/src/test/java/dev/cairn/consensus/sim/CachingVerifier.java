package dev.cairn.consensus.sim;

import dev.cairn.consensus.SignatureVerifier;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.CommitSeal;
import java.util.HashMap;
import java.util.Map;

/**
 * Ed25519 with a cache shared by all simulated validators: a broadcast is verified once, not n-1 times,
 * which is what each real node pays per message anyway. Results (valid or not) are cached by exactly what
 * was checked, so a corrupted signature is a different key and is checked for real.
 */
final class CachingVerifier implements SignatureVerifier {
  private record MessageKey(PublicKey author, Hash digest, Signature signature) {}

  private record SealKey(CommitSeal seal, Hash blockHash) {}

  private static final int ENTRIES_MAX = 200_000;
  private final Map<MessageKey, Boolean> messages = new HashMap<>();
  private final Map<SealKey, Boolean> seals = new HashMap<>();

  @Override
  public boolean verify(PublicKey author, Hash digest, Signature signature) {
    if (messages.size() > ENTRIES_MAX) {
      messages.clear();
    }
    return messages.computeIfAbsent(
        new MessageKey(author, digest, signature), k -> SignatureVerifier.ED25519.verify(author, digest, signature));
  }

  @Override
  public boolean verifySeal(CommitSeal seal, Hash blockHash) {
    if (seals.size() > ENTRIES_MAX) {
      seals.clear();
    }
    return seals.computeIfAbsent(new SealKey(seal, blockHash), k -> seal.verify(blockHash));
  }
}
