package dev.cairn.genesis;

import java.util.Objects;

/**
 * What is wrong with one field of a genesis file: the field's path ({@code validators[2].publicKey},
 * {@code consensus.roundTimeoutMillisMax}, or {@code (root)} for the document itself) and a one-line problem.
 */
public record FieldProblem(String field, String problem) {
  public FieldProblem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(problem, "problem");
  }

  /** The same problem seen from an enclosing object: {@code blockPeriodMillis} becomes {@code consensus.blockPeriodMillis}. */
  public FieldProblem under(String parent) {
    return new FieldProblem(parent + "." + field, problem);
  }

  @Override
  public String toString() {
    return field + ": " + problem;
  }
}
