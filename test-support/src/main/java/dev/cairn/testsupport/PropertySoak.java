package dev.cairn.testsupport;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyAttributes;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Multiplies every jqwik property's tries by {@code cairn.properties.triesFactor} (a system property, 1 when
 * unset), so the {@code properties-soak} Maven profile can run each property with many times its usual tries
 * without touching the tests. Registered for every property of every module that has this artifact on its
 * test class path (META-INF/services). Properties pinned to a seed keep their seed (they are fixed examples)
 * and their tries, since more tries of a fixed seed only repeat the same prefix longer; so do {@code @Example}s.
 *
 * <p>When the factor is above 1, one {@code key=value} line per property goes to standard output, so a soak
 * run states what it tried: {@code property-soak property=... tries=... checks=... seed=... status=...}.
 */
public final class PropertySoak implements AroundPropertyHook {
  public static final String FACTOR_PROPERTY = "cairn.properties.triesFactor";
  /** jqwik's own default for a property that names no tries. */
  private static final int JQWIK_DEFAULT_TRIES = 1000;

  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public boolean appliesTo(Optional<AnnotatedElement> element) {
    return true;
  }

  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
    int factor = factor();
    if (factor == 1) {
      return property.execute();
    }
    PropertyAttributes attributes = context.attributes();
    boolean pinned = attributes.seed().filter(s -> !s.isBlank()).isPresent()
        || context.targetMethod().isAnnotationPresent(Example.class);
    int tries = attributes.tries().orElse(JQWIK_DEFAULT_TRIES);
    if (!pinned) {
      attributes.setTries(Math.multiplyExact(tries, factor));
    }
    PropertyExecutionResult result = property.execute();
    System.out.printf("property-soak property=%s tries=%d checks=%d seed=%s status=%s%n",
        context.extendedLabel().replace(' ', '_'),
        result.countTries(),
        result.countChecks(),
        result.seed().orElse("-"),
        result.status());
    return result;
  }

  private static int factor() {
    String value = System.getProperty(FACTOR_PROPERTY, "1").trim();
    try {
      int factor = Integer.parseInt(value);
      if (factor < 1) {
        throw new IllegalArgumentException(FACTOR_PROPERTY + " must be >= 1, got " + value);
      }
      return factor;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(FACTOR_PROPERTY + " must be an integer, got " + value, e);
    }
  }
}
