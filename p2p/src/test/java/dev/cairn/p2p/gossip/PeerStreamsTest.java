package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerStreamsTest {
  /** A stream that records writes and accepts up to {@code capacityBytes} queued bytes. */
  private static final class RecordingStream implements P2pStream {
    final List<byte[]> writes = new ArrayList<>();
    long queued;
    final long capacityBytes;
    boolean reset;

    RecordingStream(long capacityBytes) {
      this.capacityBytes = capacityBytes;
    }

    @Override
    public PeerId remotePeer() {
      return HostKey.fromSeed(new byte[32]).peerId();
    }

    @Override
    public String protocol() {
      return GossipConfig.PROTOCOL_ID;
    }

    @Override
    public boolean outbound() {
      return true;
    }

    @Override
    public WriteResult write(byte[] bytes) {
      if (reset) {
        return WriteResult.CLOSED;
      }
      if (queued + bytes.length > capacityBytes) {
        return WriteResult.QUEUE_FULL;
      }
      queued += bytes.length;
      writes.add(bytes);
      return WriteResult.QUEUED;
    }

    @Override
    public long queuedBytes() {
      return queued;
    }

    @Override
    public void closeWrite() {}

    @Override
    public void reset() {
      reset = true;
    }
  }

  @Test
  void rpcsWaitBoundedUntilTheStreamOpensThenGoOutInOrder() {
    PeerStreams ps = new PeerStreams();
    assertThat(ps.startOpening()).isTrue();
    assertThat(ps.startOpening()).as("one open at a time").isFalse();
    assertThat(ps.send(new byte[] {1}, 2, 100)).isEqualTo(PeerStreams.Sent.PENDING);
    assertThat(ps.send(new byte[] {2}, 2, 100)).isEqualTo(PeerStreams.Sent.PENDING);
    assertThat(ps.send(new byte[] {3}, 2, 100)).isEqualTo(PeerStreams.Sent.FULL);
    RecordingStream s = new RecordingStream(10);
    assertThat(ps.opened(s)).isTrue();
    assertThat(s.writes).containsExactly(new byte[] {1}, new byte[] {2});
    assertThat(ps.send(new byte[5], 2, 100)).isEqualTo(PeerStreams.Sent.SENT);
    assertThat(ps.send(new byte[5], 2, 100)).as("the stream's own queue is full").isEqualTo(PeerStreams.Sent.FULL);
    assertThat(ps.send(new byte[1], 2, 7)).as("our per-peer byte bound").isEqualTo(PeerStreams.Sent.FULL);
  }

  @Test
  void aResetStreamIsReopenedAFewTimesOnly() {
    PeerStreams ps = new PeerStreams();
    for (int i = 0; i < PeerStreams.REOPENS_MAX; i++) {
      RecordingStream s = new RecordingStream(100);
      assertThat(ps.startOpening()).isTrue();
      ps.opened(s);
      assertThat(ps.outboundClosed(s)).isTrue();
    }
    RecordingStream last = new RecordingStream(100);
    ps.startOpening();
    ps.opened(last);
    assertThat(ps.outboundClosed(new RecordingStream(100))).as("not our current stream").isFalse();
    assertThat(ps.outboundClosed(last)).isFalse();
  }
}
