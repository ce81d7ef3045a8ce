package dev.safeguards.spring.boot;

import dev.safeguards.Safeguards;

/**
 * Adds to the {@code Safeguards} the starter assembles what {@code safeguards.*} properties do not say: most often the
 * evidence the compliance report shows beside the gate ({@code encryptionAtRest}, {@code signedRecords}, {@code
 * inventoryKeys}, {@code rationale}, {@code acceptWeakness}), or request limits. Every bean of this type is applied,
 * in its {@code @Order}, after the starter has set the parts and before it builds, so a customizer may also replace a
 * part; none is applied when the application declares a whole {@code Safeguards} bean of its own.
 */
@FunctionalInterface
public interface SafeguardsBuilderCustomizer {

  /**
   * Adds to {@code builder}; {@code build()} then checks the whole as it always does.
   *
   * @param builder the starter's builder, its parts already set
   */
  void customize(Safeguards.Builder builder);
}
