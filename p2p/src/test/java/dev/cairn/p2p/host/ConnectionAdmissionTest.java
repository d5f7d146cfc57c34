package dev.cairn.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.AdmissionLimits;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionAdmissionTest {
  private static final long SECOND = 1_000_000_000L;
  /** 8 handshakes, 2 per IP, 2 reserved for known peers, 2 dials, 20 accepts/s (5 per IP), 3 connections. */
  private static final AdmissionLimits LIMITS = new AdmissionLimits(8, 2, 2, 2, 20, 5, 100, 10_000);

  private static InetAddress ip(String text) throws Exception {
    return InetAddress.getByName(text);
  }

  @Test
  void oneAddressHoldsAtMostItsPerIpShareOfHandshakes() throws Exception {
    ConnectionAdmission a = new ConnectionAdmission(LIMITS, 3, 0);
    assertThat(a.admitInbound(ip("10.0.0.1"), 0)).isNotNull();
    assertThat(a.admitInbound(ip("10.0.0.1"), 0)).isNotNull();
    assertThat(a.admitInbound(ip("10.0.0.1"), 0)).as("third handshake from one IP").isNull();
    assertThat(a.admitInbound(ip("10.0.0.2"), 0)).as("another IP").isNotNull();
    assertThat(a.drainSummary(10_000)).contains("refused=1", "handshakes_ip=1", "top_addr=10.0.0.1", "top_addr_refused=1");
    assertThat(a.drainSummary(10_000)).as("counts start again").isNull();
  }

  @Test
  void handshakeBudgetAndAcceptRatesAreBounded() throws Exception {
    ConnectionAdmission a = new ConnectionAdmission(LIMITS, 3, 0);
    int admitted = 0;
    for (int i = 0; i < 20; i++) if (a.admitInbound(ip("10.0.1." + i), 0) != null) admitted++;
    assertThat(admitted).as("handshakes across many IPs").isEqualTo(8);
    assertThat(a.handshakesOpen()).isEqualTo(8);

    ConnectionAdmission rate = new ConnectionAdmission(LIMITS, 3, 0);
    List<ConnectionAdmission.Ticket> tickets = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ConnectionAdmission.Ticket t = rate.admitInbound(ip("10.0.2.1"), 0);
      if (t != null) {
        tickets.add(t);
        t.closed(); // gives the slot back at once: only the accept rate limits
      }
    }
    assertThat(tickets).as("accepts from one IP within one second").hasSize(5);
    assertThat(rate.admitInbound(ip("10.0.2.1"), SECOND / 5)).as("one token back after 200 ms").isNotNull();
    assertThat(rate.drainSummary(10_000)).contains("accept_rate_ip=5", "handshakes_abandoned=5");
  }

  @Test
  void knownPeersAndOurDialsKeepSlotsAFloodCannotTake() throws Exception {
    ConnectionAdmission a = new ConnectionAdmission(LIMITS, 3, 0);
    ConnectionAdmission.Ticket peer = a.admitInbound(ip("10.0.0.9"), 0);
    assertThat(peer.authenticated(ip("10.0.0.9"))).isTrue();
    peer.closed();
    for (int i = 0; i < 50; i++) a.admitInbound(ip("10.0.3." + i), 0); // a flood from many addresses
    assertThat(a.admitInbound(ip("10.0.4.1"), 0)).as("an unknown address once the budget is full").isNull();
    assertThat(a.admitInbound(ip("10.0.0.9"), 0)).as("a known peer's address still gets a reserved slot").isNotNull();
    assertThat(a.admitOutbound(ip("10.0.0.7"))).as("our own dial").isNotNull();
    assertThat(a.admitOutbound(ip("10.0.0.8"))).isNotNull();
    assertThat(a.admitOutbound(ip("10.0.0.6"))).as("dials beyond dialsOutboundMax").isNull();
  }

  @Test
  void anAddressWeDialedAPeerAtIsKnownForItsInboundConnectionsLater() throws Exception {
    ConnectionAdmission a = new ConnectionAdmission(LIMITS, 3, 0);
    ConnectionAdmission.Ticket dial = a.admitOutbound(null); // the address is learnt once connected
    assertThat(dial.authenticated(ip("10.0.7.1"))).isTrue();
    for (int i = 0; i < 50; i++) a.admitInbound(ip("10.0.8." + i), 0);
    assertThat(a.admitInbound(ip("10.0.7.1"), 0)).as("the dialed peer's address gets a reserved slot").isNotNull();
  }

  @Test
  void aPeerTheGaterRefusedIsNamedInTheSummary() throws Exception {
    ConnectionAdmission a = new ConnectionAdmission(LIMITS, 3, 0);
    ConnectionAdmission.Ticket t = a.admitInbound(ip("10.0.6.1"), 0);
    t.notAllowed("12D3KooWStranger");
    t.closed();
    assertThat(a.handshakesOpen()).isZero();
    assertThat(a.drainSummary(10_000)).contains("not_allowed=1", "not_allowed_last_peer=12D3KooWStranger", "handshakes_abandoned=0");
  }

  @Test
  void aForgedBindingIsCountedUnderItsReasonAndNamedWithIt() throws Exception {
    ConnectionAdmission a = new ConnectionAdmission(LIMITS, 3, 0);
    a.admitInbound(ip("10.0.6.2"), 0).refusedByGater(ConnectionGater.Refusal.BINDING_OTHER_CHAIN, "12D3KooWForger");
    assertThat(a.drainSummary(10_000)).contains("refused=1", "binding_other_chain=1",
        "not_allowed_last_peer=12D3KooWForger not_allowed_last_reason=binding_other_chain").doesNotContain("not_allowed=");
    assertThat(a.refusedTotal()).containsEntry("binding_other_chain", 1L);
    a.admitInbound(ip("10.0.6.3"), 0).notAllowed("12D3KooWStranger");
    assertThat(a.drainSummary(10_000)).contains("not_allowed_last_peer=12D3KooWStranger").doesNotContain("reason");
  }

  @Test
  void authenticatedConnectionsAreBoundedByConnectionsMax() throws Exception {
    ConnectionAdmission a = new ConnectionAdmission(LIMITS, 3, 0);
    List<ConnectionAdmission.Ticket> up = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ConnectionAdmission.Ticket t = a.admitInbound(ip("10.0.5." + i), 0);
      assertThat(t.authenticated(ip("10.0.5." + i))).isTrue();
      up.add(t);
    }
    ConnectionAdmission.Ticket fourth = a.admitInbound(ip("10.0.5.9"), 0);
    assertThat(fourth.authenticated(ip("10.0.5.9"))).as("a fourth authenticated connection").isFalse();
    fourth.closed();
    assertThat(a.establishedCount()).isEqualTo(3);
    up.get(0).closed();
    up.get(0).closed(); // twice: counted once
    assertThat(a.establishedCount()).isEqualTo(2);
    assertThat(a.handshakesOpen()).isZero();
  }
}
