package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import java.util.Optional;

/**
 * Read access to the state at one root: a map from 32-byte state keys ({@link StateKeys}) to canonical
 * value bytes. Implemented by the authenticated state tree (persisted or in memory) and by overlays that
 * see a block's pending writes.
 */
public interface StateReader {
  Optional<Bytes> get(Hash key);
}
