package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The RPC decoder against garbage, mutations and round trips: it answers, it never throws. */
class RpcCodecProperties {
  private static final RpcCodec CODEC = new RpcCodec(GossipConfig.defaultRpcLimits());
  private static final RpcCodec TIGHT = new RpcCodec(new RpcLimits(4096, 4, 4, 8, 16, 32, 64, 64));

  @Property(tries = 3000)
  void garbageYieldsADecodingNeverAnException(@ForAll @Size(max = 300) byte[] garbage) {
    assertThat(CODEC.decode(garbage)).isNotNull();
    assertThat(TIGHT.decode(garbage)).isNotNull();
  }

  @Property(tries = 1000)
  void roundTrips(@ForAll("rpcs") Rpc rpc) {
    byte[] bytes = CODEC.encode(rpc);
    assertThat(bytes).hasSize(RpcEncoder.rpcSize(rpc));
    assertThat(CODEC.decode(bytes)).isEqualTo(new RpcDecoding.Decoded(rpc));
  }

  @Property(tries = 2000)
  void mutatedValidRpcsNeverThrow(@ForAll("rpcs") Rpc rpc, @ForAll @IntRange(min = 0, max = 1000) int position,
      @ForAll byte value, @ForAll @IntRange(min = 0, max = 3) int mode) {
    byte[] bytes = CODEC.encode(rpc);
    if (bytes.length == 0) {
      return;
    }
    int at = position % bytes.length;
    byte[] mutated = switch (mode) {
      case 0 -> { bytes[at] = value; yield bytes; }
      case 1 -> java.util.Arrays.copyOf(bytes, at);
      case 2 -> { bytes[at] ^= (byte) 0x80; yield bytes; }
      default -> concat(bytes, new byte[] {value, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f});
    };
    assertThat(CODEC.decode(mutated)).isNotNull();
    assertThat(TIGHT.decode(mutated)).isNotNull();
  }

  @Property(tries = 300)
  void limitsAreEnforcedWithTheirReason(@ForAll @IntRange(min = 5, max = 40) int subscriptions) {
    List<Rpc.Subscription> subs = new ArrayList<>();
    for (int i = 0; i < subscriptions; i++) {
      subs.add(new Rpc.Subscription(true, "t" + i));
    }
    RpcDecoding d = TIGHT.decode(CODEC.encode(new Rpc(subs, List.of(), Control.EMPTY)));
    assertThat(d).isInstanceOf(RpcDecoding.Malformed.class);
    assertThat(((RpcDecoding.Malformed) d).reason()).isEqualTo(RpcDecoding.Reason.TOO_MANY_SUBSCRIPTIONS);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Provide
  Arbitrary<Rpc> rpcs() {
    Arbitrary<String> topics = Arbitraries.strings().ofMinLength(1).ofMaxLength(20);
    Arbitrary<ByteString> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(ByteString::copyFrom);
    Arbitrary<MessageId> ids = bytes.map(MessageId::new);
    Arbitrary<Rpc.Subscription> subs = Combinators.combine(Arbitraries.of(true, false), topics).as(Rpc.Subscription::new);
    Arbitrary<PubsubMessage> messages = Combinators.combine(bytes, bytes, bytes, topics, bytes, bytes)
        .as(PubsubMessage::new);
    Arbitrary<Control.IHave> ihave = Combinators.combine(topics, ids.list().ofMaxSize(4)).as(Control.IHave::new);
    Arbitrary<Control.IWant> iwant = ids.list().ofMaxSize(4).map(Control.IWant::new);
    Arbitrary<Control.Graft> graft = topics.map(Control.Graft::new);
    Arbitrary<Control.Prune> prune = Combinators.combine(topics, bytes.list().ofMaxSize(2),
        Arbitraries.longs().between(0, Long.MAX_VALUE)).as(Control.Prune::new);
    Arbitrary<Control> control = Combinators.combine(ihave.list().ofMaxSize(3), iwant.list().ofMaxSize(2),
        graft.list().ofMaxSize(3), prune.list().ofMaxSize(2)).as(Control::new);
    return Combinators.combine(subs.list().ofMaxSize(3), messages.list().ofMaxSize(3), control).as(Rpc::new);
  }
}
