package dev.cairn.rpc;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.Objects;
import java.util.Optional;

/**
 * A state proof as the RPC carries it: the state key, the value proven present (empty: proven absent) and the
 * proof in its canonical encoding, opaque to the RPC. The typed {@code dev.cairn.ledger.state.StateProof}
 * is being written on another branch; once it lands the node encodes it here and nothing in the wire format
 * changes (wallets decode {@code proof} with the ledger codec).
 */
public record EncodedStateProof(Hash stateKey, Optional<Bytes> value, Bytes proof) {
  public EncodedStateProof {
    Objects.requireNonNull(stateKey, "stateKey");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(proof, "proof");
  }
}
