package dev.cairn.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateProof;
import dev.cairn.ledger.testing.Fixtures;
import dev.cairn.ledger.testing.TestChain;
import dev.cairn.wallet.ProofVerifier.Step;
import dev.cairn.wallet.ProofVerifier.Verdict;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code wallet verify-proof} against honest and tampered {@code cairn_getProof} answers: every link that a
 * lying node could break (value, proof, header, certificate, validator set, subject, height) is caught by its
 * own step, and the command's exit code says so.
 */
class ProofCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KeyPair alice = Fixtures.key("alice");
  private final TestChain chain = TestChain.standard();
  private final BlockHeader genesis = chain.head();
  @TempDir Path dir;

  ProofCommandTest() {
    chain.advance(List.of(chain.sign(alice, new Payload.RecordPut("doc/1", Bytes.wrap("hello".getBytes(StandardCharsets.UTF_8))))));
  }

  /** What an honest node answers for {@code stateKey} at the chain's head, sealed by {@code sealers}. */
  private ObjectNode answer(Address address, Optional<String> recordKey, List<KeyPair> sealers) {
    BlockHeader header = chain.head();
    Hash stateKey = recordKey.map(k -> StateKeys.record(address, k)).orElseGet(() -> StateKeys.account(address));
    ObjectNode node = JSON.createObjectNode().put("address", address.toText()).put("kind", recordKey.isPresent() ? "record" : "account");
    node.put("stateKey", "0x" + stateKey.toHex());
    Optional<Bytes> value = chain.tree().get(stateKey);
    node.put("value", value.map(v -> "0x" + v.toHex()).orElse(null));
    node.put("proof", "0x" + chain.tree().prove(stateKey).encode().toHex());
    node.set("header", header(header));
    node.set("certificate", certificate(header.hash(), sealers));
    return node;
  }

  private static ObjectNode header(BlockHeader header) {
    return JSON.createObjectNode().put("height", header.height()).put("hash", "0x" + header.hash().toHex())
        .put("stateRoot", "0x" + header.stateRoot().toHex())
        .put("encoded", "0x" + Bytes.wrap(LedgerCodec.encode(header)).toHex());
  }

  private static ObjectNode certificate(Hash blockHash, List<KeyPair> sealers) {
    ArrayNode seals = JSON.createArrayNode();
    for (KeyPair key : sealers) {
      CommitSeal seal = CommitSeal.sign(key, blockHash);
      seals.add(JSON.createObjectNode().put("validator", "0x" + seal.validator().toHex())
          .put("signature", "0x" + seal.signature().bytes().toHex()));
    }
    ObjectNode node = JSON.createObjectNode().put("blockHash", "0x" + blockHash.toHex());
    node.set("seals", seals);
    return node;
  }

  private ObjectNode honestAccount() {
    return answer(alice.address(), Optional.empty(), chain.validatorKeys());
  }

  private Verdict verify(JsonNode answer) {
    return ProofVerifier.verify(answer, alice.address(), Optional.empty(), OptionalLong.empty(), chain.validators());
  }

  private static Step rejectedAt(Verdict verdict) {
    assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
    return ((Verdict.Rejected) verdict).step();
  }

  @Test
  void honestAnswersVerifyForAccountRecordAndAbsence() {
    Verdict account = verify(honestAccount());
    assertThat(account).isInstanceOf(Verdict.Verified.class);
    Verdict.Verified verified = (Verdict.Verified) account;
    assertThat(verified.height()).isEqualTo(1);
    assertThat(LedgerCodec.decodeAccount(verified.value().orElseThrow().toArray()).nonce()).isEqualTo(1);

    Verdict record = ProofVerifier.verify(answer(alice.address(), Optional.of("doc/1"), chain.validatorKeys()),
        alice.address(), Optional.of("doc/1"), OptionalLong.of(1), chain.validators());
    assertThat(((Verdict.Verified) record).value()).contains(Bytes.wrap("hello".getBytes(StandardCharsets.UTF_8)));

    Address nobody = Fixtures.key("nobody").address();
    Verdict absent = ProofVerifier.verify(answer(nobody, Optional.empty(), chain.validatorKeys()), nobody,
        Optional.empty(), OptionalLong.empty(), chain.validators());
    assertThat(((Verdict.Verified) absent).value()).as("absence is proven").isEmpty();
  }

  @Test
  void aQuorumOfSealsIsEnoughAndLessIsNot() {
    assertThat(verify(answer(alice.address(), Optional.empty(), chain.validatorKeys().subList(0, 3))))
        .isInstanceOf(Verdict.Verified.class);
    assertThat(rejectedAt(verify(answer(alice.address(), Optional.empty(), chain.validatorKeys().subList(0, 2)))))
        .isEqualTo(Step.CERTIFICATE);
  }

  @Test
  void aForgedValueFailsTheStateProof() {
    ObjectNode forged = honestAccount();
    Account rich = new Account(Long.MAX_VALUE, 1, java.util.Set.of(dev.cairn.ledger.model.Role.MEMBER));
    forged.put("value", "0x" + Bytes.wrap(LedgerCodec.encode(rich)).toHex());
    assertThat(rejectedAt(verify(forged))).isEqualTo(Step.STATE_PROOF);

    ObjectNode hidden = honestAccount();
    hidden.putNull("value");
    assertThat(rejectedAt(verify(hidden))).as("claiming absence of a present key").isEqualTo(Step.STATE_PROOF);
  }

  @Test
  void anotherBlocksHeaderOrCertificateIsCaught() {
    ObjectNode oldHeader = honestAccount();
    oldHeader.set("header", header(genesis));
    assertThat(rejectedAt(verify(oldHeader))).isEqualTo(Step.CERTIFICATE);

    ObjectNode fieldEdited = honestAccount();
    ((ObjectNode) fieldEdited.get("header")).put("stateRoot", "0x" + Hash.ZERO.toHex());
    assertThat(rejectedAt(verify(fieldEdited))).isEqualTo(Step.HEADER_MISMATCH);
  }

  @Test
  void sealsFromKeysOutsideTheTrustedSetAreRefused() {
    List<KeyPair> impostors = Fixtures.keys("impostor", 4);
    assertThat(rejectedAt(verify(answer(alice.address(), Optional.empty(), impostors)))).isEqualTo(Step.CERTIFICATE);

    ValidatorSet otherChain = new ValidatorSet(impostors.stream().map(KeyPair::publicKey).toList());
    Verdict wrongTrust = ProofVerifier.verify(honestAccount(), alice.address(), Optional.empty(), OptionalLong.empty(), otherChain);
    assertThat(rejectedAt(wrongTrust)).isEqualTo(Step.VALIDATOR_SET);
  }

  @Test
  void aProofOfAnotherKeyOrHeightOrGarbageIsRefused() {
    Address bob = Fixtures.key("bob").address();
    ObjectNode otherAccount = answer(bob, Optional.empty(), chain.validatorKeys());
    assertThat(rejectedAt(verify(otherAccount))).isEqualTo(Step.WRONG_SUBJECT);
    // Without the stateKey field the proof is checked against alice's key, and bob's leaf does not prove it.
    otherAccount.remove("stateKey");
    assertThat(rejectedAt(verify(otherAccount))).isEqualTo(Step.STATE_PROOF);

    assertThat(rejectedAt(ProofVerifier.verify(honestAccount(), alice.address(), Optional.empty(), OptionalLong.of(0),
        chain.validators()))).isEqualTo(Step.WRONG_HEIGHT);

    ObjectNode garbage = honestAccount();
    garbage.put("proof", "0xdeadbeef");
    assertThat(rejectedAt(verify(garbage))).isEqualTo(Step.MALFORMED_ANSWER);
    assertThat(rejectedAt(verify(JSON.createObjectNode()))).isEqualTo(Step.MALFORMED_ANSWER);
  }

  @Test
  void validatorsFileIsAGenesisJsonOrAKeyList() throws Exception {
    Path list = dir.resolve("validators.txt");
    StringBuilder text = new StringBuilder("# trusted\n");
    chain.validatorKeys().forEach(k -> text.append("0x").append(k.publicKey().toHex()).append('\n'));
    Files.writeString(list, text);
    assertThat(ProofCommand.readValidators(list)).isEqualTo(chain.validators());

    Path genesis = dir.resolve("genesis.json");
    ObjectNode root = JSON.createObjectNode().put("chainId", "x");
    ArrayNode validators = root.putArray("validators");
    chain.validatorKeys().forEach(k -> validators.addObject().put("publicKey", k.publicKey().toHex()));
    Files.writeString(genesis, root.toString());
    assertThat(ProofCommand.readValidators(genesis)).isEqualTo(chain.validators());

    Files.writeString(list, "not a key\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProofCommand.readValidators(list))
        .hasMessageContaining("not a genesis.json or a list of hex public keys");
  }

  @Test
  void commandExitsZeroOnlyWhenTheNodesAnswerVerifies() throws Exception {
    Path trusted = dir.resolve("validators.txt");
    Files.writeString(trusted, String.join("\n", chain.validatorKeys().stream().map(k -> k.publicKey().toHex()).toList()));
    ObjectNode forged = honestAccount();
    forged.put("value", "0x" + Bytes.wrap(LedgerCodec.encode(new Account(5, 0, java.util.Set.of()))).toHex());

    String[] honest = runAgainst(honestAccount(), trusted);
    assertThat(honest[0]).isEqualTo("0");
    assertThat(honest[1]).startsWith("VERIFIED account " + alice.address()).contains("nonce 1");

    String[] lie = runAgainst(forged, trusted);
    assertThat(lie[0]).isEqualTo("1");
    assertThat(lie[1]).startsWith("NOT VERIFIED").contains("state_proof");
  }

  /** Runs the real command against a one-answer JSON-RPC server; returns {exit code, stdout, stderr}. */
  private String[] runAgainst(JsonNode result, Path trusted) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).set("result", result).toString()
        .getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      CommandLine cli = WalletCli.commandLine();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      int code = cli.execute("--rpc", "http://127.0.0.1:" + server.getAddress().getPort(), "verify-proof",
          alice.address().toText(), "--validators", trusted.toString());
      return new String[] {Integer.toString(code), out.toString(), err.toString()};
    } finally {
      server.stop(0);
    }
  }
}
