package dev.cairn.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.consensus.Evidence;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.MessageKind;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.ledger.store.StoreConfig;
import dev.cairn.rpc.admin.AdminMethodSpecs;
import dev.cairn.rpc.admin.NodeAdmin;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Equivocation evidence is written to the node's RocksDB store and read back after the store is reopened. */
class EvidenceLogTest {
  @TempDir Path dir;
  private final KeyPair validator = KeyPair.fromSeedText("equivocating validator");

  @Test
  void evidenceSurvivesARestartOfTheStore() {
    Evidence prepares = evidence(7, 1, 1);
    try (ChainStore store = ChainStore.open(dir.resolve("chain"), StoreConfig.DEFAULTS)) {
      new EvidenceLog(store).record(prepares, 1_700_000_000_000L);
    }
    try (ChainStore reopened = ChainStore.open(dir.resolve("chain"), StoreConfig.DEFAULTS)) {
      List<NodeAdmin.Evidence> kept = new EvidenceLog(reopened).newest(10);
      assertThat(kept).hasSize(1);
      NodeAdmin.Evidence e = kept.getFirst();
      assertThat(e.validator()).isEqualTo("0x" + validator.publicKey().toHex());
      assertThat(e.height()).isEqualTo(7);
      assertThat(e.round()).isEqualTo(1);
      assertThat(e.kind()).isEqualTo("prepare");
      assertThat(e.detectedAtMillis()).isEqualTo(1_700_000_000_000L);
      assertThat(e.first().digest()).isEqualTo("0x" + SignedMessage.digest(prepares.first().body()).toHex());
      assertThat(e.first().signature()).isEqualTo("0x" + prepares.first().signature().bytes().toHex());
      assertThat(e.first().message()).isPresent();
      assertThat(e.second().digest()).isNotEqualTo(e.first().digest());
    }
  }

  @Test
  void theRingKeepsTheNewestEntries() {
    try (ChainStore store = ChainStore.open(dir.resolve("ring"), StoreConfig.DEFAULTS)) {
      EvidenceLog log = new EvidenceLog(store);
      for (int i = 0; i < EvidenceLog.ENTRIES_MAX + 5; i++) {
        log.record(evidence(i + 1, 0, i), i);
      }
      List<NodeAdmin.Evidence> newest = log.newest(3);
      assertThat(newest).extracting(NodeAdmin.Evidence::height)
          .containsExactly((long) EvidenceLog.ENTRIES_MAX + 3, (long) EvidenceLog.ENTRIES_MAX + 4, (long) EvidenceLog.ENTRIES_MAX + 5);
      assertThat(log.newest(10_000)).hasSize(EvidenceLog.ENTRIES_MAX);
    }
  }

  /** An entry's kind is its MessageKind in lowercase: each must be one the published admin_evidence schema names. */
  @Test
  void everyMessageKindIsAKindTheAdminSchemaNames() {
    for (MessageKind kind : MessageKind.values()) {
      assertThat(AdminMethodSpecs.EVIDENCE_KINDS).contains(kind.name().toLowerCase(Locale.ROOT));
    }
    assertThat(AdminMethodSpecs.EVIDENCE_KINDS).hasSize(MessageKind.values().length);
  }

  private Evidence evidence(long height, int round, int salt) {
    SignedMessage first = SignedMessage.sign(validator, new MessageBody.Prepare(height, round, hash(salt, 1)));
    SignedMessage second = SignedMessage.sign(validator, new MessageBody.Prepare(height, round, hash(salt, 2)));
    return new Evidence(first, second);
  }

  private static Hash hash(int salt, int which) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) which;
    bytes[1] = (byte) salt;
    bytes[2] = (byte) (salt >> 8);
    return Hash.wrap(bytes);
  }
}
