package dev.cairn.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionGaterTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void allowlistChangesAtRuntimeAndNotifies() {
    PeerId a = HostKey.generate(RANDOM).peerId();
    PeerId b = HostKey.generate(RANDOM).peerId();
    ConnectionGater g = ConnectionGater.allowlist(Set.of(a));
    AtomicInteger changes = new AtomicInteger();
    g.onChange(x -> changes.incrementAndGet());
    assertThat(g.allows(a)).isTrue();
    assertThat(g.allows(b)).isFalse();
    g.allow(b);
    assertThat(g.allows(b)).isTrue();
    g.revoke(a);
    assertThat(g.allows(a)).isFalse();
    g.setAllowlist(Set.of());
    assertThat(g.allows(b)).isFalse();
    assertThat(g.allowlist()).isEmpty();
    assertThat(changes).hasValue(3);
  }

  @Test
  void openGaterAdmitsEveryoneUntilAnAllowlistIsSet() {
    ConnectionGater g = ConnectionGater.open();
    PeerId a = HostKey.generate(RANDOM).peerId();
    assertThat(g.isOpen()).isTrue();
    assertThat(g.allows(a)).isTrue();
    g.setAllowlist(Set.of());
    assertThat(g.isOpen()).isFalse();
    assertThat(g.allows(a)).isFalse();
  }
}
