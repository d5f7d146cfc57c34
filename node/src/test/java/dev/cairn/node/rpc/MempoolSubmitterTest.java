package dev.cairn.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.node.mempool.Admission;
import dev.cairn.rpc.TransactionSubmitter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The RPC module cannot depend on the node, so it names the mempool's rejection reasons itself and
 * MempoolSubmitter maps them by name. This keeps the two lists from drifting apart: a reason added to the
 * mempool without its JSON-RPC counterpart would otherwise fail only when first hit, at run time.
 */
class MempoolSubmitterTest {
  @Test
  void everyMempoolRejectionHasAJsonRpcReason() {
    assertThat(Arrays.stream(TransactionSubmitter.RejectionReason.values()).map(Enum::name))
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(Admission.Reason.values()).map(Enum::name).toList());
  }
}
