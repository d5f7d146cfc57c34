package dev.cairn.consensus.sim;

import dev.cairn.consensus.SignatureVerifier;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.CommitSeal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ed25519 with a cache shared by all simulated validators: a broadcast is verified once, not n-1 times,
 * which is what each real node pays per message anyway. Results (valid or not) are cached by exactly what
 * was checked, so a corrupted signature is a different key and is checked for real. The caches are shared by
 * all runs (a verdict depends only on what was checked): the offline scenario's 1,000 pre-finalized
 * certificates are verified once, not once per seed.
 */
final class CachingVerifier implements SignatureVerifier {
  private record MessageKey(PublicKey author, Hash digest, Signature signature) {}

  private record SealKey(CommitSeal seal, Hash blockHash) {}

  private static final int ENTRIES_MAX = 200_000;
  private static final Map<MessageKey, Boolean> messages = new ConcurrentHashMap<>();
  private static final Map<SealKey, Boolean> seals = new ConcurrentHashMap<>();

  /**
   * Records what a simulated validator's own engine just signed (with its own key, through KeyPair.sign): its
   * message signature and, for a COMMIT, its seal verify by construction, so the receivers need not pay for
   * Ed25519 again. Whatever a Byzantine outbox forges or corrupts afterwards is not recorded and is checked
   * for real.
   */
  void learnOwn(SignedMessage signed) {
    messages.put(new MessageKey(signed.author(), SignedMessage.digest(signed.body()), signed.signature()), true);
    if (signed.body() instanceof MessageBody.Commit commit) {
      seals.put(new SealKey(new CommitSeal(signed.author(), commit.sealSignature()), commit.blockHash()), true);
    }
  }

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
