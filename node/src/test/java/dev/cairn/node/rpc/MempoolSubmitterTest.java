package dev.cairn.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.mempool.Admission;
import dev.cairn.rpc.TransactionSubmitter.RejectionReason;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The RPC module cannot depend on the node, so it names the rejection reasons itself. The compiler makes
 * MempoolSubmitter map every admission reason; this checks that no two share a JSON-RPC reason and that no
 * JSON-RPC reason is left without an admission reason.
 */
class MempoolSubmitterTest {
  @Test
  void admissionReasonsMapOneToOneOntoJsonRpcReasons() {
    assertThat(Arrays.stream(Admission.Reason.values()).map(MempoolSubmitter::rpcReason))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrder(RejectionReason.values());
  }

  @Test
  void eachAdmissionReasonMapsToTheJsonRpcReasonOfTheSameName() {
    for (Admission.Reason reason : Admission.Reason.values()) {
      assertThat(MempoolSubmitter.rpcReason(reason).name()).as("%s", reason).isEqualTo(reason.name());
    }
  }
}
