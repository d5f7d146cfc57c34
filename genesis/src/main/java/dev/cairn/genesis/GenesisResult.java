package dev.cairn.genesis;

import java.util.Objects;

/** The outcome of reading a genesis file: its content, or the one problem that made it unusable. */
public sealed interface GenesisResult {

  /** The content, or a {@link GenesisException} carrying {@link Invalid#message()}; for start-up paths. */
  GenesisConfig orThrow();

  record Valid(GenesisConfig config) implements GenesisResult {
    public Valid {
      Objects.requireNonNull(config, "config");
    }

    @Override
    public GenesisConfig orThrow() {
      return config;
    }
  }

  /** {@code source} is the file name the message starts with, e.g. {@code genesis.json}. */
  record Invalid(String source, FieldProblem problem) implements GenesisResult {
    public Invalid {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(problem, "problem");
    }

    /** One line, e.g. {@code genesis.json: validators[2].publicKey: not 64 hex characters}. */
    public String message() {
      return source + ": " + problem;
    }

    @Override
    public GenesisConfig orThrow() {
      throw new GenesisException(message());
    }

    @Override
    public String toString() {
      return message();
    }
  }
}
