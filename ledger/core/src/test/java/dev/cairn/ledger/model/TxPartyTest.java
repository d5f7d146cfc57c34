package dev.cairn.ledger.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which accounts a transaction touches: what an account's history lists it under. */
class TxPartyTest {
  private final KeyPair alice = KeyPair.fromSeedText("alice");
  private final KeyPair bob = KeyPair.fromSeedText("bob");

  private Transaction tx(Payload payload) {
    return Transaction.sign("c", alice, 0, payload);
  }

  @Test
  void eachPayloadNamesItsAccountsSenderFirst() {
    assertThat(TxParty.of(tx(new Payload.Transfer(bob.address(), 1))))
        .containsExactly(Map.entry(alice.address(), Set.of(TxParty.SENDER)), Map.entry(bob.address(), Set.of(TxParty.RECIPIENT)));
    assertThat(TxParty.of(tx(new Payload.Transfer(alice.address(), 1))))
        .containsExactly(Map.entry(alice.address(), EnumSet.of(TxParty.SENDER, TxParty.RECIPIENT)));
    assertThat(TxParty.of(tx(new Payload.RecordPut("k", Bytes.fromHex("00"))))).containsOnlyKeys(alice.address());
    assertThat(TxParty.of(tx(new Payload.RoleRevoke(bob.address(), Role.MEMBER))).get(bob.address()))
        .containsExactly(TxParty.ROLE_TARGET);
    assertThat(TxParty.of(tx(new Payload.ValidatorVote(bob.publicKey(), Payload.VoteAction.ADD))).get(bob.address()))
        .as("a validator by the address of its key").containsExactly(TxParty.VALIDATOR_TARGET);
  }

  @Test
  void bitsRoundTripAndUnknownBitsAreRefused() {
    for (int bits = 1; bits < 16; bits++) {
      assertThat(TxParty.bits(TxParty.fromBits(bits))).isEqualTo(bits);
    }
    for (int bits : List.of(0, 16, 0x81, 0xFF)) {
      assertThatThrownBy(() -> TxParty.fromBits(bits)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
