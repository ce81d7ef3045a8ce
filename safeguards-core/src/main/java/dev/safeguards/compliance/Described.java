package dev.safeguards.compliance;

/**
 * A component that describes itself for the compliance report, e.g. a shared state store with where it connects and
 * its settings ({@link Evidence#nameOf} uses it). The description names no credential, key or value.
 */
public interface Described {

  /**
   * What it is and how it is set, in one line.
   *
   * @return one line, never null: no credential, key or value
   */
  String describe();
}
