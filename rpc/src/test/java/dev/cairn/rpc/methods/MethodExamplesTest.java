package dev.cairn.rpc.methods;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.state.StateProof;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The examples published in the OpenRPC document are true, not just well-shaped: read back from their JSON
 * the way a client would, the transaction decodes to its id, the header hashes to its hash, the certificate
 * holds a quorum of the example validators and the proof verifies against the header's state root.
 */
class MethodExamplesTest {
  private static Bytes hex(JsonNode node) {
    return Bytes.fromHex(node.asText().substring(2));
  }

  @Test
  void theExampleTransactionDecodesToItsId() {
    JsonNode tx = JsonShapes.includedTransaction(MethodExamples.INCLUDED);
    Bytes raw = hex(tx.get("raw"));
    assertThat(TransactionCodec.id(raw).toHex()).isEqualTo(tx.get("id").asText().substring(2));
    assertThat(TransactionCodec.decode(raw).hasValidSignature()).isTrue();
    assertThat(Address.parse(tx.get("payload").get("to").asText())).isEqualTo(MethodExamples.BOB);
  }

  @Test
  void theExampleProofVerifiesAgainstTheExampleValidators() {
    JsonNode proof = MethodExamples.accountProof();
    BlockHeader header = LedgerCodec.decodeHeader(hex(proof.get("header").get("encoded")).toArray());
    assertThat(header.hash().toHex()).isEqualTo(proof.get("certificate").get("blockHash").asText().substring(2));
    assertThat(header.validatorSetHash()).isEqualTo(MethodExamples.VALIDATORS.hash());
    List<CommitSeal> seals = new ArrayList<>();
    for (JsonNode seal : proof.get("certificate").get("seals")) {
      seals.add(new CommitSeal(new PublicKey(hex(seal.get("validator"))), new Signature(hex(seal.get("signature")))));
    }
    Validation certificate = new CommitCertificate(header.hash(), seals).verify(header.hash(), MethodExamples.VALIDATORS);
    assertThat(certificate).isInstanceOf(Validation.Valid.class);
    Validation state = StateProof.verify(header.stateRoot(), Hash.fromHex(proof.get("stateKey").asText().substring(2)),
        Optional.of(hex(proof.get("value"))), StateProof.decode(hex(proof.get("proof"))));
    assertThat(state).isInstanceOf(Validation.Valid.class);
  }
}
