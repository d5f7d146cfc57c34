package dev.cairn.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.identity.Base58;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.IdentityKeys;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Garbage given to any identity or wire decoder yields a value or a DecodeException, never anything else. */
class DecoderProperties {

  @Property
  void varintRoundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long v) {
    byte[] b = Varint.encode(v);
    assertThat(b.length).isEqualTo(Varint.size(v));
    long[] r = Varint.read(b, 0, b.length);
    assertThat(r[0]).isEqualTo(v);
    assertThat(r[1]).isEqualTo(b.length);
  }

  @Property(tries = 2000)
  void garbageNeverEscapesAsAnythingButDecodeException(@ForAll @Size(max = 80) byte[] garbage) {
    decodeQuietly(() -> Varint.read(garbage, 0, garbage.length));
    decodeQuietly(() -> PeerId.fromBytes(garbage));
    decodeQuietly(() -> IdentityKeys.fromProtobuf(garbage));
    decodeQuietly(() -> HostKey.fromProtobuf(garbage));
    decodeQuietly(() -> Multiaddr.fromBytes(garbage));
    decodeQuietly(() -> dev.cairn.p2p.host.IdentifyMessage.decode(garbage));
    decodeQuietly(() -> dev.cairn.p2p.noise.HandshakePayload.verify(garbage, new byte[32]));
    decodeQuietly(() -> {
      ProtobufReader r = new ProtobufReader(garbage);
      while (r.next()) r.skip();
    });
  }

  @Property(tries = 1000)
  void mutatedValidInputsFailOnlyWithDecodeException(@ForAll("mutations") byte[] mutated) {
    decodeQuietly(() -> PeerId.fromBytes(mutated));
    decodeQuietly(() -> Multiaddr.fromBytes(mutated));
  }

  @Property(tries = 500)
  void garbageTextNeverEscapes(@ForAll @Size(max = 60) String text) {
    decodeQuietly(() -> PeerId.fromBase58(text));
    decodeQuietly(() -> Multiaddr.parse(text));
    decodeQuietly(() -> Multiaddr.parse("/" + text));
  }

  @Property
  void base58RoundTrips(@ForAll @Size(max = 64) byte[] b) {
    assertThat(Base58.decode(Base58.encode(b))).isEqualTo(b);
  }

  @Provide
  Arbitrary<byte[]> mutations() {
    byte[] valid = Multiaddr.parse("/ip4/10.0.0.1/tcp/4001/p2p/12D3KooWQCkBm1BYtkHpocxCwMgR8yjitEeHGx8spzcDLGt2gkBm").toBytes();
    return Arbitraries.integers().between(0, valid.length - 1).tuple3().map(t -> {
      byte[] m = valid.clone();
      m[t.get1()] ^= (byte) (t.get3() + 1);
      int cut = Math.max(0, valid.length - t.get2() % 4);
      return java.util.Arrays.copyOf(m, cut);
    });
  }

  private static void decodeQuietly(Runnable r) {
    try {
      r.run();
    } catch (DecodeException expected) {
      assertThat(expected.reason()).isNotBlank();
    }
  }
}
