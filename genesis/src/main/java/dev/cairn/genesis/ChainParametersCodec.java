package dev.cairn.genesis;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.Limits;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonical encoding of {@link ChainParameters}, in the ledger's scheme (type byte, version byte, big-endian
 * fixed-width integers, u32-prefixed strings and lists):
 *
 * <pre>
 * u8 0x30, u8 1                                     type "chain parameters", version 1
 * u32 len, utf8 chainId                             at most 64 bytes
 * u64 blockPeriodMillis, u64 roundTimeoutMillis, u64 roundTimeoutMillisMax
 * u32 blockTxsMax, u32 blockBytesMax, u8 emptyBlocks (0 or 1)
 * u32 n, n x 32-byte observer keys                  sorted ascending, unique
 * </pre>
 */
public final class ChainParametersCodec {
  /** Outside the ledger's own type codes (0x01..0x20), so no ledger object decodes as parameters. */
  public static final int TYPE = 0x30;
  public static final int VERSION = 1;

  private ChainParametersCodec() {}

  public static Bytes encode(ChainParameters parameters) {
    ConsensusParameters c = parameters.consensus();
    CanonicalWriter w = new CanonicalWriter(128 + parameters.observers().size() * PublicKey.SIZE);
    w.u8(TYPE).u8(VERSION);
    w.string(parameters.chainId(), Limits.CHAIN_ID_BYTES_MAX);
    w.u64(c.blockPeriodMillis()).u64(c.roundTimeoutMillis()).u64(c.roundTimeoutMillisMax());
    w.u32(c.blockTxsMax()).u32(c.blockBytesMax()).bool(c.emptyBlocks());
    w.u32(parameters.observers().size());
    for (PublicKey observer : parameters.observers()) {
      w.fixed(observer.bytes());
    }
    return w.toBytes();
  }

  /** Decodes bytes read back from the state; refuses anything but the one canonical form. */
  public static ChainParameters decode(Bytes bytes) {
    CanonicalReader r = CanonicalReader.of(bytes);
    r.expect(TYPE, "chain parameters type tag");
    r.expect(VERSION, "chain parameters version");
    String chainId = r.string("chainId", Limits.CHAIN_ID_BYTES_MAX);
    if (!GenesisConfig.CHAIN_ID.matcher(chainId).matches()) {
      throw new CodecException("chain parameters: chainId is not 1 to 64 characters of a-z, 0-9 and '-'");
    }
    long period = r.u64("blockPeriodMillis");
    long timeout = r.u64("roundTimeoutMillis");
    long timeoutMax = r.u64("roundTimeoutMillisMax");
    long txsMax = r.u32("blockTxsMax");
    long bytesMax = r.u32("blockBytesMax");
    boolean emptyBlocks = r.bool("emptyBlocks");
    int count = r.u32Bounded("observer count", GenesisConfig.OBSERVERS_MAX);
    List<PublicKey> observers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      PublicKey key = new PublicKey(Bytes.wrap(r.fixed(PublicKey.SIZE, "observer")));
      if (!observers.isEmpty() && observers.get(observers.size() - 1).compareTo(key) >= 0) {
        throw new CodecException("chain parameters: observers not sorted or duplicated");
      }
      observers.add(key);
    }
    r.finish("chain parameters");
    var problem = ConsensusParameters.check(period, timeout, timeoutMax, txsMax, bytesMax);
    if (problem.isPresent()) {
      throw new CodecException("chain parameters: " + problem.get());
    }
    return new ChainParameters(chainId,
        new ConsensusParameters(period, timeout, timeoutMax, (int) txsMax, (int) bytesMax, emptyBlocks), observers);
  }
}
