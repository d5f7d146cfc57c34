package dev.cairn.rpc;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.state.StateProof;
import java.util.Objects;
import java.util.Optional;

/**
 * A state key, its value (empty: proven absent) and the proof of that against one block's state root. The
 * RPC sends the proof in its canonical encoding ({@link StateProof#encode()}); a wallet decodes it and calls
 * {@link StateProof#verify} with the header's state root.
 */
public record ProvenValue(Hash stateKey, Optional<Bytes> value, StateProof proof) {
  public ProvenValue {
    Objects.requireNonNull(stateKey, "stateKey");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(proof, "proof");
  }
}
