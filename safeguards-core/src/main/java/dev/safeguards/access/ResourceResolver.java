package dev.safeguards.access;

import java.util.Optional;

/**
 * Looks up the attributes of a resource for the access rules, from the application's own storage (164.312(a)(1)).
 *
 * <p>Called at most once per access decision, and only if a rule asks. An exception makes the decision a denial.
 */
@FunctionalInterface
public interface ResourceResolver {

  /**
   * The attributes of {@code resource}, or empty if it does not exist.
   *
   * @param resource the resource the request names
   * @return the attributes, or empty if the resource does not exist; never null
   * @throws Exception if the lookup fails; the access is then denied
   */
  Optional<ResourceAttributes> resolve(ResourceRef resource) throws Exception;
}
