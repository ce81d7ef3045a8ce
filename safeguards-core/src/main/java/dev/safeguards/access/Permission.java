package dev.safeguards.access;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The right to take one action on one kind of resource, written {@code resource:action}, e.g. {@code patient:read}
 * (164.312(a)(1)). There are no wildcards: a role holds exactly the permissions it lists.
 *
 * @param resource the kind of resource, lower case, e.g. {@code patient}
 * @param action the action, lower case, e.g. {@code read}
 */
public record Permission(String resource, String action) {

  private static final Pattern PART = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

  /**
   * Checks both parts.
   *
   * @param resource the kind of resource, e.g. {@code patient}
   * @param action the action, e.g. {@code read}
   * @throws NullPointerException if either is null
   * @throws IllegalArgumentException unless each is a lower-case letter followed by up to 63 lower-case letters,
   *     digits, {@code _}, {@code .} or {@code -}
   */
  public Permission {
    if (!PART.matcher(Objects.requireNonNull(resource, "resource")).matches()
        || !PART.matcher(Objects.requireNonNull(action, "action")).matches()) {
      throw new IllegalArgumentException("a permission is resource:action in lower case, e.g. patient:read");
    }
  }

  /**
   * Reads {@code resource:action}.
   *
   * @param text the permission, e.g. {@code patient:read}: exactly one colon, each side as the constructor requires
   * @return the permission
   * @throws IllegalArgumentException if the text is not of that form
   * @throws NullPointerException if {@code text} is null
   */
  public static Permission parse(String text) {
    int colon = Objects.requireNonNull(text, "text").indexOf(':');
    if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException("a permission is resource:action in lower case, e.g. patient:read");
    }
    return new Permission(text.substring(0, colon), text.substring(colon + 1));
  }

  /** {@code resource:action}. */
  @Override
  public String toString() {
    return resource + ":" + action;
  }
}
