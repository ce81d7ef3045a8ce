package dev.safeguards.access;

import dev.safeguards.identity.UserId;

/**
 * Tells whether a user has a relationship with a resource that justifies access, such as membership of a patient's
 * care team (164.312(a)(1), minimum necessary). Backed by the application's own data.
 */
@FunctionalInterface
public interface RelationshipDirectory {

  /**
   * Whether {@code user} is related to {@code resource}.
   *
   * @param user the user asking
   * @param resource the resource the request names
   * @return true if the relationship justifies access
   * @throws Exception if the lookup fails; the access is then denied
   */
  boolean related(UserId user, ResourceRef resource) throws Exception;
}
