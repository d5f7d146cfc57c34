package dev.cairn.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.ValidatorSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code wallet verify-proof}: asks the node for a state proof of an account or a record and checks it
 * locally against a validator set the user trusts (a genesis.json, or public keys one per line). The node is
 * not trusted at all: a lying node can refuse to answer, but cannot make a false value verify.
 */
@Command(name = "verify-proof",
    description = {
      "Fetch a state proof (cairn_getProof) of an account or a record and verify it locally, trusting only",
      "the validator set in --validators: header hash, commit certificate (quorum of seals), state proof.",
      "With --tx: fetch cairn_getTransactionProof and verify that the transaction and its receipt are in a",
      "block certified by the trusted validators (tx and receipts Merkle roots of the header).",
      "Exit code 0 = verified, 1 = the proof does not hold (or bad input), 3 = node unreachable or refused."
    })
final class ProofCommand implements Callable<Integer> {
  /** A genesis.json or key list larger than this is not what the user meant to pass. */
  static final long VALIDATORS_FILE_BYTES_MAX = 1024 * 1024;

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "ADDRESS", description = "Account to prove (default: your own key).")
  String address;

  @Option(names = "--record", paramLabel = "KEY", description = "Prove the record KEY under ADDRESS instead of the account.")
  String recordKey;

  @Option(names = "--tx", paramLabel = "ID", description = "Prove the finality of transaction ID (0x-hex) instead of state.")
  String txId;

  @Option(names = "--block", defaultValue = "latest", paramLabel = "N|latest", description = "Block height to prove against (default ${DEFAULT-VALUE}).")
  String block;

  @Option(names = "--validators", required = true, paramLabel = "FILE",
      description = "The TRUSTED validator set: a genesis.json, or hex Ed25519 public keys one per line (# comments).")
  Path validatorsFile;

  @Override
  public Integer call() {
    WalletCli wallet = QueryCommands.wallet(spec);
    ValidatorSet trusted = readValidators(validatorsFile);
    if (txId != null) {
      return verifyTransaction(wallet, trusted);
    }
    Address target = address != null ? Address.parse(address) : wallet.keystores().select(wallet.from()).address();
    OptionalLong height = "latest".equals(block) ? OptionalLong.empty() : OptionalLong.of(parseHeight(block));
    JsonNode answer = wallet.client().getProof(target, Optional.ofNullable(recordKey), height);
    ProofVerifier.Verdict verdict =
        ProofVerifier.verify(answer, target, Optional.ofNullable(recordKey), height, trusted);
    print(spec.commandLine().getOut(), wallet.json, target, verdict);
    return verdict instanceof ProofVerifier.Verdict.Verified ? 0 : 1;
  }

  private int verifyTransaction(WalletCli wallet, ValidatorSet trusted) {
    if (address != null || recordKey != null || !"latest".equals(block)) {
      throw new IllegalArgumentException("--tx proves one transaction: it takes no ADDRESS, --record or --block");
    }
    Hash id;
    try {
      id = Hash.fromHex(txId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--tx: expected a transaction id (0x and 64 hex digits), not '" + txId + "'");
    }
    JsonNode answer = wallet.client().getTransactionProof("0x" + id.toHex());
    TxProofVerifier.Verdict verdict = TxProofVerifier.verify(answer, id, trusted);
    printTx(spec.commandLine().getOut(), wallet.json, id, verdict);
    return verdict instanceof TxProofVerifier.Verdict.Verified ? 0 : 1;
  }

  private static void printTx(PrintWriter out, boolean json, Hash id, TxProofVerifier.Verdict verdict) {
    switch (verdict) {
      case TxProofVerifier.Verdict.Verified v -> {
        String status = v.receipt().isSuccess() ? "success" : "failed";
        String code = v.receipt().code().name().toLowerCase(java.util.Locale.ROOT);
        if (json) {
          out.println(KeyCommands.JSON.createObjectNode().put("verified", true).put("txId", "0x" + id.toHex())
              .put("height", v.header().height()).put("blockHash", "0x" + v.header().hash().toHex())
              .put("timestampMillis", v.header().timestampMillis()).put("index", v.index())
              .put("status", status).put("codeName", code));
          return;
        }
        out.println("VERIFIED transaction 0x" + id.toHex());
        out.println("  block      " + v.header().height() + " " + v.header().hash().toHex()
            + " (certified by a quorum of the trusted validators)");
        out.println("  time       " + java.time.Instant.ofEpochMilli(v.header().timestampMillis()));
        out.println("  position   " + v.index() + " of " + v.leafCount() + " (as the node says; the proofs show membership)");
        out.println("  kind       " + v.transaction().payload().kind().name().toLowerCase(java.util.Locale.ROOT)
            + " from " + v.transaction().senderAddress() + ", nonce " + v.transaction().nonce());
        out.println("  receipt    " + status + " (" + code + ")");
      }
      case TxProofVerifier.Verdict.Rejected r -> {
        if (json) {
          out.println(KeyCommands.JSON.createObjectNode().put("verified", false)
              .put("step", r.step().name().toLowerCase(java.util.Locale.ROOT)).put("detail", r.detail()));
          return;
        }
        out.println("NOT VERIFIED transaction 0x" + id.toHex());
        out.println("  failed at  " + r.step().name().toLowerCase(java.util.Locale.ROOT));
        out.println("  because    " + r.detail());
        out.println("  do not trust this node's answer");
      }
    }
  }

  private void print(PrintWriter out, boolean json, Address target, ProofVerifier.Verdict verdict) {
    String subject = recordKey == null ? "account " + target : "record '" + recordKey + "' of " + target;
    switch (verdict) {
      case ProofVerifier.Verdict.Verified v -> {
        if (json) {
          ObjectNode node = KeyCommands.JSON.createObjectNode().put("verified", true).put("height", v.height())
              .put("blockHash", "0x" + v.blockHash().toHex()).put("stateRoot", "0x" + v.stateRoot().toHex());
          node.put("value", v.value().map(b -> "0x" + b.toHex()).orElse(null));
          out.println(node);
          return;
        }
        out.println("VERIFIED " + subject);
        out.println("  block      " + v.height() + " " + v.blockHash().toHex() + " (certified by a quorum of the trusted validators)");
        out.println("  state root " + v.stateRoot().toHex());
        out.println("  value      " + describe(v.value()));
      }
      case ProofVerifier.Verdict.Rejected r -> {
        if (json) {
          out.println(KeyCommands.JSON.createObjectNode().put("verified", false)
              .put("step", r.step().name().toLowerCase(java.util.Locale.ROOT)).put("detail", r.detail()));
          return;
        }
        out.println("NOT VERIFIED " + subject);
        out.println("  failed at  " + r.step().name().toLowerCase(java.util.Locale.ROOT));
        out.println("  because    " + r.detail());
        out.println("  do not trust this node's answer");
      }
    }
  }

  private String describe(Optional<Bytes> value) {
    if (value.isEmpty()) {
      return recordKey == null ? "absent (the account was never written: balance 0, nonce 0)" : "absent (no such record)";
    }
    if (recordKey == null) {
      Account account = LedgerCodec.decodeAccount(value.get().toArray());
      List<String> roles = new ArrayList<>();
      for (Role role : Role.values()) {
        if (account.has(role)) {
          roles.add(role.name().toLowerCase(java.util.Locale.ROOT));
        }
      }
      return "balance " + Long.toUnsignedString(account.balance()) + ", nonce " + account.nonce() + ", roles " + roles;
    }
    try {
      return "\"" + StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value.get().toArray())) + "\" (0x" + value.get().toHex() + ")";
    } catch (CharacterCodingException e) {
      return "0x" + value.get().toHex();
    }
  }

  private static long parseHeight(String text) {
    try {
      long height = Long.parseLong(text);
      if (height >= 0) {
        return height;
      }
    } catch (NumberFormatException e) {
      // fall through to the one-line error
    }
    throw new IllegalArgumentException("--block: say a height (0, 1, ...) or 'latest', not '" + text + "'");
  }

  /** A genesis.json (its {@code validators[].publicKey}) or a plain list of hex public keys. */
  static ValidatorSet readValidators(Path file) {
    String text;
    try {
      if (Files.size(file) > VALIDATORS_FILE_BYTES_MAX) {
        throw new IllegalArgumentException("--validators " + file + " is larger than " + VALIDATORS_FILE_BYTES_MAX + " bytes");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --validators " + file + ": " + e.getMessage());
    }
    List<PublicKey> keys = new ArrayList<>();
    try {
      if (text.stripLeading().startsWith("{")) {
        JsonNode validators = new ObjectMapper().readTree(text).path("validators");
        if (!validators.isArray()) {
          throw new IllegalArgumentException("no \"validators\" array");
        }
        for (JsonNode validator : validators) {
          keys.add(PublicKey.fromHex(validator.isTextual() ? validator.asText() : validator.path("publicKey").asText()));
        }
      } else {
        for (String line : text.split("\n")) {
          String key = line.replaceFirst("#.*", "").strip();
          if (!key.isEmpty()) {
            keys.add(PublicKey.fromHex(key));
          }
        }
      }
      return new ValidatorSet(keys);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("--validators " + file + ": not a genesis.json or a list of hex public keys: "
          + e.getMessage());
    }
  }
}
