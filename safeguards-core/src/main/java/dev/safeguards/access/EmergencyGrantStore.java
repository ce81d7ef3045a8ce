package dev.safeguards.access;

import dev.safeguards.identity.UserId;
import java.util.List;
import java.util.Optional;

/**
 * Where open emergency grants are kept, so that every node of a deployment sees them (164.312(a)(2)(ii)). The default
 * is {@link #inMemory()}; back it with a shared store for several nodes. Implementations are thread-safe.
 */
public interface EmergencyGrantStore {

  /**
   * Stores a new grant, or replaces the grant with the same id (to record its revocation).
   *
   * @param grant the grant; not null
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot be reached
   */
  void put(EmergencyGrant grant);

  /**
   * The grant with {@code id}.
   *
   * @param id the grant's id
   * @return the grant, active or not; empty if the store holds none with that id
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot be reached
   */
  Optional<EmergencyGrant> find(String id);

  /**
   * Every grant of {@code user}, active or not, that the store still holds.
   *
   * @param user the user
   * @return the grants, in no particular order; empty if none, never null
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot be reached
   */
  List<EmergencyGrant> forUser(UserId user);

  /**
   * A store in this process's memory, for a single node: grants are lost on restart and never removed while it runs.
   *
   * @return a new, empty store
   */
  static EmergencyGrantStore inMemory() {
    return new InMemoryEmergencyGrantStore();
  }
}
