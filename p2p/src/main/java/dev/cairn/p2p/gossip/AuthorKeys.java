package dev.cairn.p2p.gossip;

import com.google.protobuf.ByteString;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.p2p.gossip.MessageCheck.Invalid;
import dev.cairn.p2p.gossip.MessageCheck.Reason;
import dev.cairn.p2p.identity.IdentityKeys;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.wire.DecodeException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validated public keys of recent message authors, by {@code from} bytes. Decoding a key validates the
 * Ed25519 point fully, which costs more than verifying a signature; a permissioned network has few
 * authors, so each is decoded once. Bounded LRU; single-threaded (the router's).
 */
final class AuthorKeys {
  /** A resolved author, or why {@code from}/{@code key} do not name one. */
  sealed interface Lookup {}

  record Found(PublicKey key) implements Lookup {}

  record Refused(Invalid invalid) implements Lookup {}

  private record Author(PublicKey key, ByteString keyProtobuf) {}

  private final Map<ByteString, Author> byFrom;

  AuthorKeys(int authorsMax) {
    this.byFrom = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ByteString, Author> eldest) {
        return size() > authorsMax;
      }
    };
  }

  Lookup resolve(ByteString from, ByteString key) {
    Author cached = byFrom.get(from);
    if (cached != null && (key.isEmpty() || key.equals(cached.keyProtobuf()))) {
      return new Found(cached.key());
    }
    PeerId author;
    try {
      author = PeerId.fromBytes(from.toByteArray());
    } catch (DecodeException e) {
      return new Refused(new Invalid(Reason.INVALID_PEER_ID, e.reason()));
    }
    PublicKey publicKey;
    if (key.isEmpty()) {
      publicKey = author.publicKey();
      if (publicKey == null) {
        return new Refused(new Invalid(Reason.INVALID_KEY, "hashed peer ID and no key field"));
      }
    } else {
      try {
        publicKey = IdentityKeys.fromProtobuf(key.toByteArray());
      } catch (DecodeException e) {
        return new Refused(new Invalid(Reason.INVALID_KEY, e.reason()));
      }
      if (!PeerId.fromPublicKey(publicKey).equals(author)) {
        return new Refused(new Invalid(Reason.KEY_MISMATCH, "key does not derive to from"));
      }
    }
    byFrom.put(from, new Author(publicKey, ByteString.copyFrom(IdentityKeys.toProtobuf(publicKey))));
    return new Found(publicKey);
  }
}
