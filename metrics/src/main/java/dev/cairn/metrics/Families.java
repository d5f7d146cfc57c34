package dev.cairn.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Registers Cairn's metric families on one registry, each with help text and, where it has one, its unit.
 * Every name starts with {@link #PREFIX}; a counter's name is given without {@code _total}, which the
 * exposition adds. The small helpers keep each family one readable statement in the classes that use them.
 */
final class Families {
  static final String PREFIX = "cairn_";

  private final PrometheusRegistry registry;

  Families(PrometheusRegistry registry) {
    this.registry = registry;
  }

  PrometheusRegistry registry() {
    return registry;
  }

  /** The unit a name ends with, when the caller named none: a name's suffix and its unit must agree. */
  private static Unit unitOf(String name, Unit given) {
    if (given != null) {
      return given;
    }
    if (name.endsWith("_bytes")) {
      return Unit.BYTES;
    }
    return name.endsWith("_seconds") ? Unit.SECONDS : null;
  }

  /** A gauge read from the node when scraped. */
  void gauge(String name, String help, Unit given, DoubleSupplier value) {
    Unit unit = unitOf(name, given);
    GaugeWithCallback.Builder builder = GaugeWithCallback.builder().name(PREFIX + name).help(help)
        .callback(callback -> callback.call(value.getAsDouble()));
    if (unit != null) {
      builder.unit(unit);
    }
    builder.register(registry);
  }

  /** A gauge with labels, read from the node when scraped. */
  void gauge(String name, String help, String[] labels, java.util.function.Consumer<GaugeWithCallback.Callback> values) {
    GaugeWithCallback.builder().name(PREFIX + name).help(help).labelNames(labels).callback(values).register(registry);
  }

  /** A counter kept elsewhere in the node (a LongAdder, a router's count) and read when scraped. */
  void counter(String name, String help, Unit given, LongSupplier value) {
    Unit unit = unitOf(name, given);
    CounterWithCallback.Builder builder = CounterWithCallback.builder().name(PREFIX + name).help(help)
        .callback(callback -> callback.call(value.getAsLong()));
    if (unit != null) {
      builder.unit(unit);
    }
    builder.register(registry);
  }

  /** Counters with labels kept elsewhere in the node and read when scraped. */
  void counter(String name, String help, Unit given, String[] labels,
      java.util.function.Consumer<CounterWithCallback.Callback> values) {
    Unit unit = unitOf(name, given);
    CounterWithCallback.Builder builder = CounterWithCallback.builder().name(PREFIX + name).help(help)
        .labelNames(labels).callback(values);
    if (unit != null) {
      builder.unit(unit);
    }
    builder.register(registry);
  }

  /** A counter this package increments itself. */
  Counter ownCounter(String name, String help, String... labels) {
    return Counter.builder().name(PREFIX + name).help(help).labelNames(labels).register(registry);
  }

  /** A classic histogram in seconds (no native buckets: cheaper to observe, and what Grafana's panels read). */
  Histogram seconds(String name, String help, double[] bounds, String... labels) {
    return Histogram.builder().name(PREFIX + name).help(help).unit(Unit.SECONDS).classicOnly()
        .classicUpperBounds(bounds).labelNames(labels).register(registry);
  }
}
