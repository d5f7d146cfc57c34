package dev.cairn.rpc.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.rpc.RpcConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The node-wide and per-address counts of large answers, without a server (CallBoundsTest has the real one). */
class LargeAnswerPermitsTest {
  private static RpcConfig.AnswerLimits limits(int permits, int perClient, long waitMillis) {
    return new RpcConfig.AnswerLimits(1024 * 1024, permits, perClient, waitMillis, 10_000);
  }

  @Test
  void anAddressHoldsAtMostItsShareAndTheNodeAtMostItsPermits() {
    LargeAnswerPermits permits = new LargeAnswerPermits(limits(3, 2, 0));
    assertThat(permits.acquire("a")).isInstanceOf(LargeAnswerPermits.Permit.class);
    LargeAnswerPermits.Grant second = permits.acquire("a");
    assertThat(second).isInstanceOf(LargeAnswerPermits.Permit.class);
    assertThat(permits.acquire("a")).as("a third for the same address")
        .isInstanceOfSatisfying(LargeAnswerPermits.Refused.class,
            r -> assertThat(r.detail()).contains("rpc.large-answers-per-client-max", "rpc.large-answer-bytes"));
    assertThat(permits.acquire("b")).isInstanceOf(LargeAnswerPermits.Permit.class);
    assertThat(permits.acquire("c")).as("none left on the node")
        .isInstanceOfSatisfying(LargeAnswerPermits.Refused.class, r -> assertThat(r.detail()).contains("rpc.large-answers-max"));
    assertThat(permits.available()).isZero();
    assertThat(permits.refused()).isEqualTo(2);

    ((LargeAnswerPermits.Permit) second).close();
    ((LargeAnswerPermits.Permit) second).close();
    assertThat(permits.available()).as("released once, however often closed").isEqualTo(1);
    assertThat(permits.acquire("c")).isInstanceOf(LargeAnswerPermits.Permit.class);
  }

  @Test
  void aWaiterGetsThePermitReleasedWithinItsWait() throws Exception {
    LargeAnswerPermits permits = new LargeAnswerPermits(limits(1, 1, 5_000));
    LargeAnswerPermits.Permit held = (LargeAnswerPermits.Permit) permits.acquire("a");
    CompletableFuture<LargeAnswerPermits.Grant> waiter = CompletableFuture.supplyAsync(() -> permits.acquire("b"));
    Thread.sleep(100);
    assertThat(waiter).as("waits while the only permit is held").isNotDone();
    held.close();
    assertThat(waiter.get(5, TimeUnit.SECONDS)).isInstanceOf(LargeAnswerPermits.Permit.class);
    assertThat(permits.refused()).isZero();
  }

  @Test
  void limitsAndTheirRelationAreChecked() {
    assertThatThrownBy(() -> limits(2, 3, 0)).hasMessageContaining("largeAnswersPerClientMax (3) must be <= largeAnswersMax (2)");
    assertThatThrownBy(() -> limits(0, 0, 0)).hasMessageContaining("largeAnswersMax");
    assertThatThrownBy(() -> limits(1, 1, -1)).hasMessageContaining("largeAnswerWaitMillis");
    assertThatThrownBy(() -> new RpcConfig.AnswerLimits(100, 1, 1, 0, 1)).hasMessageContaining("largeAnswerBytes");
  }
}
