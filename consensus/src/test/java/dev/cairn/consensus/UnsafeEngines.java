package dev.cairn.consensus;

import dev.cairn.ledger.crypto.KeyPair;
import java.util.Optional;

/** Test-side access to the engine's package-private mutation switch, for the simulator's mutation test. */
public final class UnsafeEngines {
  private UnsafeEngines() {}

  /** An engine without the lock: proposers ignore certificates, validators accept fresh blocks in any round. */
  public static ConsensusEngine withoutLock(
      ConsensusConfig config, KeyPair key, SignatureVerifier verifier, Optional<PersistedState> restored) {
    return new ConsensusEngine(config, key, verifier, restored, true);
  }
}
