package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The batch codec against its definition: round trip, one encoding per list, and strict refusal. */
class TransactionBatchCodecProperties {
  @Provide
  Arbitrary<List<Bytes>> batches() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300).map(Bytes::wrap).list().ofMinSize(1).ofMaxSize(40);
  }

  private static List<Bytes> decoded(byte[] bytes) {
    return ((TransactionBatchCodec.Decoding.Decoded) TransactionBatchCodec.decode(bytes)).transactions();
  }

  private static boolean malformed(byte[] bytes) {
    return TransactionBatchCodec.decode(bytes) instanceof TransactionBatchCodec.Decoding.Malformed;
  }

  @Property
  void roundTrips(@ForAll("batches") List<Bytes> txs) {
    byte[] encoded = TransactionBatchCodec.encode(txs);
    assertThat(decoded(encoded)).isEqualTo(txs);
    long txBytes = txs.stream().mapToLong(Bytes::size).sum();
    assertThat((long) encoded.length).isEqualTo(TransactionBatchCodec.encodedBytes(txs.size(), txBytes));
  }

  @Property
  void everyTruncationIsRefused(@ForAll("batches") List<Bytes> txs, @ForAll @IntRange(min = 1, max = 20_000) int cut) {
    byte[] encoded = TransactionBatchCodec.encode(txs);
    int keep = Math.max(0, encoded.length - 1 - cut % encoded.length);
    assertThat(malformed(Arrays.copyOf(encoded, keep))).as("kept %d of %d", keep, encoded.length).isTrue();
  }

  @Property
  void trailingBytesAreRefused(@ForAll("batches") List<Bytes> txs, @ForAll @Size(min = 1, max = 16) byte[] extra) {
    byte[] encoded = TransactionBatchCodec.encode(txs);
    byte[] longer = Arrays.copyOf(encoded, encoded.length + extra.length);
    System.arraycopy(extra, 0, longer, encoded.length, extra.length);
    assertThat(malformed(longer)).isTrue();
  }

  /** Version and count: any change breaks the framing (a different count leaves bytes over or runs short). */
  @Property
  void aMutatedHeaderIsRefused(@ForAll("batches") List<Bytes> txs, @ForAll @IntRange(min = 0, max = 4) int at,
      @ForAll @IntRange(min = 1, max = 255) int flip) {
    byte[] encoded = TransactionBatchCodec.encode(txs);
    encoded[at] ^= (byte) flip;
    assertThat(malformed(encoded)).isTrue();
  }

  /**
   * Any byte flip anywhere (a length, or a transaction's bytes) is either refused or decodes to a batch whose
   * encoding is exactly the mutated bytes: the codec has one encoding per batch, so no two byte strings name
   * the same batch (and a content id names one batch).
   */
  @Property
  void aMutationIsRefusedOrCanonical(@ForAll("batches") List<Bytes> txs, @ForAll @IntRange(min = 0, max = 20_000) int at,
      @ForAll @IntRange(min = 1, max = 255) int flip) {
    byte[] encoded = TransactionBatchCodec.encode(txs);
    int index = at % encoded.length;
    encoded[index] ^= (byte) flip;
    if (TransactionBatchCodec.decode(encoded) instanceof TransactionBatchCodec.Decoding.Decoded d) {
      assertThat(TransactionBatchCodec.encode(d.transactions())).isEqualTo(encoded);
      assertThat(d.transactions()).isNotEqualTo(txs);
    }
  }

  @Property
  void arbitraryBytesAreRefusedOrCanonical(@ForAll @Size(max = 2_000) byte[] bytes) {
    if (TransactionBatchCodec.decode(bytes) instanceof TransactionBatchCodec.Decoding.Decoded d) {
      assertThat(TransactionBatchCodec.encode(d.transactions())).isEqualTo(bytes);
    }
  }

  @Property(tries = 20)
  void anEmptyBatchAHugeCountAndAnEmptyTransactionAreRefused(@ForAll @IntRange(min = 2, max = 10_000) int count) {
    assertThat(malformed(new byte[] {1, 0, 0, 0, 0})).as("empty").isTrue();
    // A count the remaining bytes cannot hold is refused before anything is allocated for it.
    assertThat(malformed(new byte[] {1, 0, 0, (byte) (count >>> 8), (byte) count, 0, 0, 0, 1, 7})).isTrue();
    assertThat(malformed(new byte[] {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF})).as("count too large").isTrue();
    assertThat(malformed(new byte[] {1, 0, 0, 0, 1, 0, 0, 0, 0})).as("empty transaction").isTrue();
    assertThat(malformed(new byte[0])).isTrue();
    assertThat(TransactionBatchCodec.decode(new byte[NetworkLimits.BATCH_BYTES_MAX + 1]))
        .isEqualTo(new TransactionBatchCodec.Decoding.Malformed(TransactionBatchCodec.Reason.TOO_LARGE,
            (NetworkLimits.BATCH_BYTES_MAX + 1) + " bytes exceed " + NetworkLimits.BATCH_BYTES_MAX));
  }
}
