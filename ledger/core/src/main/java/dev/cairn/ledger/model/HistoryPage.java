package dev.cairn.ledger.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a history, newest first. {@code next} is the cursor of the following (older) page: the
 * position of this page's last entry, present only when older entries may exist; entries strictly before it
 * come next.
 */
public record HistoryPage<T>(List<T> entries, Optional<TxPosition> next) {
  public HistoryPage {
    entries = List.copyOf(entries);
    Objects.requireNonNull(next, "next");
  }
}
