package dev.cairn.adversary;

import dev.cairn.consensus.message.MessageIdentity;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.network.ConsensusEnvelope;
import dev.cairn.network.NetworkTopics;
import dev.cairn.p2p.gossip.PublishResult;
import dev.cairn.p2p.gossip.ReceivedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An allow-listed peer (an observer, or any validator) that records the real consensus messages the honest
 * validators gossip (proposals, prepares, commits, round changes: validly signed) and sends them back at
 * {@code messagesPerSecond}, each in a fresh {@code ConsensusEnvelope} so that gossip's content ids never
 * recognise a copy. As the chain moves on, the recorded messages become old heights and rounds; those of the
 * height in progress are duplicates. Honest nodes must drop them cheaply (by the inner message's identity,
 * or by height) without forwarding them, and must go on finalizing without losing a vote.
 *
 * <p>Report: {@code captured} (distinct messages recorded, the last {@code capturedMax} kept for replay), {@code replayed} (sends), {@code replayed_bytes},
 * {@code refused_locally} (sends our own router refused: its queues toward the targets were full),
 * {@code largest_replayed_bytes}.
 */
public record ReplayFlood(NetworkAccess access, int messagesPerSecond, int capturedMax) implements Attack {
  private static final long TICK_MILLIS = 10;
  /** How long to listen before replaying, so that there is something to replay. */
  private static final long CAPTURE_FIRST_MILLIS = 3_000;

  public ReplayFlood {
    if (messagesPerSecond < 1 || capturedMax < 1) {
      throw new IllegalArgumentException("messagesPerSecond >= 1 and capturedMax >= 1 required");
    }
  }

  @Override
  public String name() {
    return "replay-flood";
  }

  @Override
  public AttackReport run(Duration duration) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    List<byte[]> captured = new ArrayList<>();
    List<Hash> identities = new ArrayList<>();
    AtomicLong capturedTotal = new AtomicLong();
    String topic = new NetworkTopics(access.genesis().chainId()).consensus();
    AtomicLong replayed = new AtomicLong();
    AtomicLong replayedBytes = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long largest = 0;
    try (PeerFaces faces = PeerFaces.connect(access.key(), access.genesis().chainId(),
        access.genesis().consensus().blockBytesMax(), access.targets(), List.of(topic),
        (face, received) -> capture(received, captured, identities, capturedTotal))) {
      Thread.sleep(Math.min(CAPTURE_FIRST_MILLIS, Math.max(0, duration.toMillis() / 4)));
      long sequence = Math.multiplyExact(System.currentTimeMillis(), 1_000L);
      int next = 0;
      double perTick = messagesPerSecond * TICK_MILLIS / 1_000.0;
      double owed = 0;
      while (System.nanoTime() < deadline) {
        long tickStart = System.nanoTime();
        owed += perTick;
        while (owed >= 1) {
          owed -= 1;
          byte[] message;
          synchronized (captured) {
            if (captured.isEmpty()) {
              break;
            }
            message = captured.get(next++ % captured.size());
          }
          byte[] sealed = ConsensusEnvelope.seal(sequence++, Bytes.wrap(message));
          largest = Math.max(largest, sealed.length);
          for (int i = 0; i < faces.size(); i++) {
            CompletableFuture<PublishResult> result = faces.publish(i, topic, sealed);
            result.thenAccept(r -> {
              if (r instanceof PublishResult.Refused) {
                refused.incrementAndGet();
              }
            });
            replayed.incrementAndGet();
            replayedBytes.addAndGet(sealed.length);
          }
        }
        long sleepNanos = tickStart + TICK_MILLIS * 1_000_000 - System.nanoTime();
        if (sleepNanos > 0) {
          try {
            Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopped early: report what was done
            break;
          }
        }
      }
    }
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("captured", capturedTotal.get());
    m.put("replayed", replayed.get());
    m.put("replayed_bytes", replayedBytes.get());
    m.put("refused_locally", refused.get());
    m.put("largest_replayed_bytes", largest);
    return new AttackReport(name(), (System.nanoTime() - start) / 1_000_000, m);
  }

  /**
   * Keeps the last {@code capturedMax} distinct inner messages (by the identity honest nodes dedupe on), so
   * the replay mixes the height in progress (duplicates) with older heights and rounds (stale).
   */
  private void capture(ReceivedMessage received, List<byte[]> captured, List<Hash> identities, AtomicLong capturedTotal) {
    if (ConsensusEnvelope.open(received.message().data().toByteArray()) instanceof ConsensusEnvelope.Opening.Opened opened) {
      byte[] inner = opened.message().toArray();
      Hash identity = MessageIdentity.of(inner);
      synchronized (captured) {
        if (identities.contains(identity)) {
          return;
        }
        if (captured.size() == capturedMax) {
          captured.remove(0);
          identities.remove(0);
        }
        captured.add(inner);
        identities.add(identity);
        capturedTotal.incrementAndGet();
      }
    }
  }
}
