package dev.cairn.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.testing.Fixtures;
import dev.cairn.wallet.FileVerifier.Verdict;
import dev.cairn.wallet.ProofVerifier.Step;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/**
 * {@link FileVerifier} against a chain built by the real state transition: a notarized file verifies with the
 * block that first recorded it; a changed file, another signer, a record that says something else, and every
 * lie a node could tell about the record, its history or the transaction each end in their own verdict.
 */
class FileVerifierTest {
  private final NotaryChain node = new NotaryChain();
  private final KeyPair alice = Fixtures.key("alice");
  private final KeyPair bob = Fixtures.key("bob");
  private final byte[] content = "the minutes of the board meeting, 2024-05-01\n".getBytes(StandardCharsets.UTF_8);
  private final FileDigest file = digest(content);

  private static FileDigest digest(byte[] bytes) {
    try {
      return new FileDigest(Hash.wrap(MessageDigest.getInstance("SHA-256").digest(bytes)), bytes.length);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private Transaction notarize(KeyPair signer, FileDigest digest, String name) {
    Notarization n = new Notarization(digest.sha256(), digest.sizeBytes(), name, "");
    return node.put(signer, n.recordKey(), NotarizationCodec.encode(n));
  }

  private Verdict verify(KeyPair signer, FileDigest digest) {
    return FileVerifier.verify(node, signer.address(), digest, node.chain.validators());
  }

  private static Step failedAt(Verdict verdict) {
    assertThat(verdict).isInstanceOf(Verdict.ProofFailed.class);
    return ((Verdict.ProofFailed) verdict).step();
  }

  @Test
  void aNotarizedFileVerifiesWithTheBlockThatRecordedIt() {
    node.put(bob, "unrelated", Bytes.wrap(new byte[] {1}));
    Transaction tx = notarize(alice, file, "minutes.txt");
    node.put(bob, "later", Bytes.wrap(new byte[] {2}));

    Verdict verdict = verify(alice, file);

    assertThat(verdict).isInstanceOf(Verdict.Verified.class);
    Verdict.Verified verified = (Verdict.Verified) verdict;
    assertThat(verified.txId()).isEqualTo(tx.id());
    assertThat(verified.header().height()).isEqualTo(2);
    assertThat(verified.header().timestampMillis()).isEqualTo(node.chain.head().timestampMillis() - 1_000);
    assertThat(verified.stateHeight()).isEqualTo(3);
    assertThat(verified.notarization().name()).isEqualTo("minutes.txt");
  }

  @Test
  void aNotarizedAgainFileReportsTheFirstTimeThroughEveryHistoryPage() {
    Transaction first = notarize(alice, file, "v1");
    notarize(alice, file, "v2");
    notarize(alice, file, "v3");
    node.historyPageSize = 1;

    Verdict verdict = verify(alice, file);

    assertThat(verdict).isInstanceOf(Verdict.Verified.class);
    assertThat(((Verdict.Verified) verdict).txId()).isEqualTo(first.id());
    assertThat(((Verdict.Verified) verdict).notarization().name()).isEqualTo("v1");
  }

  @Test
  void aChangedFileOrAnotherSignerIsProvenNotNotarized() {
    notarize(alice, file, "minutes.txt");
    byte[] tampered = content.clone();
    tampered[3] ^= 1;

    assertThat(verify(alice, digest(tampered))).isEqualTo(new Verdict.NotNotarized(1));
    assertThat(verify(bob, file)).isEqualTo(new Verdict.NotNotarized(1));
  }

  @Test
  void aRecordThatDescribesAnotherFileIsAMismatch() {
    String key = Notarization.recordKey(file.sha256());
    node.put(alice, key, Bytes.wrap("not a notarization".getBytes(StandardCharsets.UTF_8)));
    assertThat(verify(alice, file)).isInstanceOfSatisfying(Verdict.Mismatch.class,
        m -> assertThat(m.detail()).contains("not a notarization"));

    // The same digest claimed for a file of another size: the record is not of this file.
    node.put(alice, key, NotarizationCodec.encode(new Notarization(file.sha256(), file.sizeBytes() + 1, "x", "")));
    assertThat(verify(alice, file)).isInstanceOfSatisfying(Verdict.Mismatch.class,
        m -> assertThat(m.detail()).contains("bytes; this one has " + file.sizeBytes()));
  }

  @Test
  void aNodeCannotForgeOrHideANotarization() {
    // Not notarized, but the node claims the value: the state proof does not lead to the certified root.
    Notarization forged = new Notarization(file.sha256(), file.sizeBytes(), "forged", "");
    node.put(bob, "something", Bytes.wrap(new byte[] {7}));
    node.tamper("cairn_getProof", answer -> ((ObjectNode) answer).put("value", NotaryChain.hex(NotarizationCodec.encode(forged))));
    assertThat(failedAt(verify(alice, file))).isEqualTo(Step.STATE_PROOF);

    // Notarized, but the node claims absence: refused the same way.
    notarize(alice, file, "minutes.txt");
    node.tamper("cairn_getProof", answer -> ((ObjectNode) answer).putNull("value"));
    assertThat(failedAt(verify(alice, file))).isEqualTo(Step.STATE_PROOF);
  }

  @Test
  void sealsOfStrangersOrTooFewSealsAreRefused() {
    notarize(alice, file, "minutes.txt");
    node.sealers = node.chain.validatorKeys().subList(0, 2);
    assertThat(failedAt(verify(alice, file))).isEqualTo(Step.CERTIFICATE);
    node.sealers = Fixtures.keys("impostor", 4);
    assertThat(failedAt(verify(alice, file))).isEqualTo(Step.CERTIFICATE);
  }

  @Test
  void aHistoryThatHidesOrSwapsTheTransactionIsRefused() {
    notarize(alice, file, "minutes.txt");
    Transaction other = node.put(alice, "doc", Bytes.wrap(new byte[] {3}));

    node.tamper("cairn_getRecordHistory", page -> {
      ((ArrayNode) page.get("entries")).removeAll();
      return page;
    });
    assertThat(failedAt(verify(alice, file))).isEqualTo(Step.HISTORY);

    // The history names another of alice's transactions: proven final, but not a put of this file.
    node.tamper("cairn_getRecordHistory", page -> {
      ((ObjectNode) page.get("entries").get(0)).put("txId", NotaryChain.hex(other.id().toBytes()));
      return page;
    });
    assertThat(failedAt(verify(alice, file))).isEqualTo(Step.WRONG_SUBJECT);

    node.tamper("cairn_getRecordHistory", page -> ((ObjectNode) page).put("entries", "nothing"));
    assertThat(failedAt(verify(alice, file))).isEqualTo(Step.MALFORMED_ANSWER);
  }

  @Test
  void aTransactionProofAgainstAnotherBlockOrOfAnotherTransactionIsRefused() {
    notarize(alice, file, "minutes.txt");
    ObjectNode elsewhere = node.txProof(node.put(bob, "x", Bytes.wrap(new byte[] {9})).id());
    // Another block's header, truly certified: the Merkle path does not lead to its tx root.
    node.tamper("cairn_getTransactionProof", answer -> {
      ((ObjectNode) answer).set("header", elsewhere.get("header"));
      ((ObjectNode) answer).set("certificate", elsewhere.get("certificate"));
      ((ObjectNode) answer).set("blockHash", elsewhere.get("blockHash"));
      return answer;
    });
    assertThat(failedAt(verify(alice, file))).isEqualTo(Step.TX_PROOF);

    node.tamper("cairn_getTransactionProof", answer -> ((ObjectNode) answer).put("transaction",
        NotaryChain.hex(TransactionCodec.encode(node.chain.sign(alice, new Payload.RecordPut("other", Bytes.EMPTY))))));
    assertThat(failedAt(verify(alice, file))).isEqualTo(Step.WRONG_SUBJECT);
  }
}
