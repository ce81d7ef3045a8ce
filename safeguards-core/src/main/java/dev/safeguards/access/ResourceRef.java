package dev.safeguards.access;

import dev.safeguards.internal.Identifiers;

/**
 * One resource an access is about, by type and id, e.g. {@code Patient/0193b2c4-...} (164.312(a)(1)). Identifiers
 * only: an id must not be PHI.
 *
 * @param type the resource type, e.g. {@code Patient}: 1 to 64 visible ASCII characters
 * @param id its id: 1 to 256 visible ASCII characters
 */
public record ResourceRef(String type, String id) {

  /**
   * Checks both parts.
   *
   * @param type the resource type: 1 to 64 visible ASCII characters
   * @param id its id: 1 to 256 visible ASCII characters
   * @throws IllegalArgumentException if either is empty, too long, or holds a space, a control character or a
   *     character outside ASCII
   * @throws NullPointerException if either is null
   */
  public ResourceRef {
    Identifiers.check("resource type", type, 64);
    Identifiers.check("resource id", id, 256);
  }

  /** {@code type/id}. */
  @Override
  public String toString() {
    return type + "/" + id;
  }
}
