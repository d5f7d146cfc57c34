package dev.cairn.rpc.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.rpc.TransactionSubmitter.RejectionReason;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {
  @Test
  void codesAreUniqueAndApplicationCodesStayInTheServerRange() {
    Set<Integer> codes = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());
    assertThat(codes).hasSize(ErrorCode.values().length);
    for (ErrorCode code : ErrorCode.values()) {
      boolean standard = code.code() <= -32600;
      assertThat(standard || (code.code() >= -32099 && code.code() <= -32000)).as("%s", code).isTrue();
    }
  }

  @Test
  void everyMempoolReasonHasItsOwnApplicationCode() {
    EnumSet<ErrorCode> mapped = EnumSet.noneOf(ErrorCode.class);
    for (RejectionReason reason : RejectionReason.values()) {
      ErrorCode code = ErrorCode.of(reason);
      assertThat(code.code()).as("%s", reason).isBetween(-32019, -32000);
      mapped.add(code);
    }
    assertThat(mapped).hasSize(RejectionReason.values().length);
  }
}
