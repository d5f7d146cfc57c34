package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.Validation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A proof that a key holds a value, or holds nothing, under a state root; checked with {@link #verify}
 * without any database.
 *
 * <p>{@code siblings} are the sibling hashes along the key's path, from the root down ({@link
 * TreeHashes#EMPTY} for an empty sibling); their count is the depth where the path ends. {@code end} is
 * what the path ends at: the key's own leaf (membership), another key's leaf that shares the path
 * (non-membership), or an empty slot (non-membership). Leaves are given as key and value digest, so the
 * value travels next to the proof, not inside it.
 *
 * <p>Encoding (canonical, at most {@link #ENCODED_BYTES_MAX} bytes): {@code u8 version=1 | u16 depth |
 * bitmap of ceil(depth/8) bytes, bit i (most significant first) set when sibling i is not empty, padding
 * bits zero | the non-empty siblings, 32 bytes each | u8 end kind: 0 empty slot, 1 leaf | for a leaf: key
 * (32) | value digest (32)}. Empty siblings cost one bit, so proofs stay near 32 x log2(N) bytes.
 */
public record StateProof(List<Hash> siblings, Slot end) {
  /** One sibling per level: a path never runs deeper than the key's bits. */
  public static final int SIBLINGS_MAX = SparseMerkleTree.KEY_BITS;
  public static final int ENCODED_BYTES_MAX = 1 + 2 + SIBLINGS_MAX / 8 + SIBLINGS_MAX * Hash.SIZE + 1 + 2 * Hash.SIZE;
  private static final int VERSION = 1;
  private static final int END_EMPTY = 0;
  private static final int END_LEAF = 1;

  /** What a proven path ends at. */
  public sealed interface Slot permits EmptySlot, LeafSlot {}

  /** The path ends at an empty subtree: no key has this prefix. */
  public record EmptySlot() implements Slot {}

  /** The path ends at the leaf of {@code key} holding a value whose digest is {@code valueDigest}. */
  public record LeafSlot(Hash key, Hash valueDigest) implements Slot {
    public LeafSlot {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(valueDigest, "valueDigest");
    }
  }

  public StateProof {
    siblings = List.copyOf(siblings);
    Objects.requireNonNull(end, "end");
    if (siblings.size() > SIBLINGS_MAX) {
      throw new IllegalArgumentException("a state proof has at most " + SIBLINGS_MAX + " siblings");
    }
  }

  public int depth() {
    return siblings.size();
  }

  /**
   * Checks that under {@code root}, {@code key} holds {@code value} (or nothing, when empty). Every way the
   * claim can fail has its own reason: {@code key_absent}, {@code key_present}, {@code value_mismatch},
   * {@code leaf_off_path}, {@code root_mismatch}.
   */
  public static Validation verify(Hash root, Hash key, Optional<Bytes> value, StateProof proof) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(proof, "proof");
    int depth = proof.depth();
    Hash node;
    switch (proof.end()) {
      case EmptySlot ignored -> {
        if (value.isPresent()) {
          return Validation.invalid("key_absent", "the proof ends at an empty slot on the key's path");
        }
        node = TreeHashes.EMPTY;
      }
      case LeafSlot leaf when leaf.key().equals(key) -> {
        if (value.isEmpty()) {
          return Validation.invalid("key_present", "the proof ends at the key's own leaf");
        }
        if (!leaf.valueDigest().equals(TreeHashes.valueDigest(value.get().unsafeArray()))) {
          return Validation.invalid("value_mismatch", "the key's leaf holds a different value");
        }
        node = TreeHashes.leaf(leaf.key(), leaf.valueDigest());
      }
      case LeafSlot leaf -> {
        if (value.isPresent()) {
          return Validation.invalid("key_absent", "the proof ends at the leaf of another key");
        }
        if (SiblingPath.commonPrefixBits(leaf.key(), key) < depth) {
          return Validation.invalid("leaf_off_path", "the other key's leaf does not lie on the key's path");
        }
        node = TreeHashes.leaf(leaf.key(), leaf.valueDigest());
      }
    }
    node = SiblingPath.foldUp(node, key, proof.siblings());
    if (!node.equals(root)) {
      return Validation.invalid("root_mismatch", "the proof leads to root " + node.shortHex() + ", not " + root.shortHex());
    }
    return Validation.VALID;
  }

  public Bytes encode() {
    int depth = siblings.size();
    CanonicalWriter w = new CanonicalWriter(4 + depth / 8 + depth * Hash.SIZE + 2 * Hash.SIZE);
    w.u8(VERSION).u16(depth);
    SiblingPath.write(w, siblings);
    switch (end) {
      case EmptySlot ignored -> w.u8(END_EMPTY);
      case LeafSlot leaf -> w.u8(END_LEAF).hash(leaf.key()).hash(leaf.valueDigest());
    }
    return w.toBytes();
  }

  /** Decodes untrusted bytes; anything but the one canonical encoding of a proof is a {@link CodecException}. */
  public static StateProof decode(Bytes bytes) {
    if (bytes.size() > ENCODED_BYTES_MAX) {
      throw new CodecException("state proof: " + bytes.size() + " bytes exceeds limit " + ENCODED_BYTES_MAX);
    }
    CanonicalReader r = CanonicalReader.of(bytes);
    r.expect(VERSION, "state proof version");
    int depth = r.u16("state proof depth");
    if (depth > SIBLINGS_MAX) {
      throw new CodecException("state proof depth: " + depth + " exceeds limit " + SIBLINGS_MAX);
    }
    List<Hash> siblings = SiblingPath.read(r, depth, "state proof");
    int kind = r.u8("state proof end kind");
    Slot end =
        switch (kind) {
          case END_EMPTY -> new EmptySlot();
          case END_LEAF -> new LeafSlot(r.hash("state proof leaf key"), r.hash("state proof leaf value digest"));
          default -> throw new CodecException("state proof end kind: unknown kind " + kind);
        };
    r.finish("state proof");
    return new StateProof(siblings, end);
  }
}
