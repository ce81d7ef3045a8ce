package dev.safeguards.access;

import dev.safeguards.identity.UserId;
import java.util.List;
import java.util.Optional;

/**
 * Where open emergency grants are kept, so that every node of a deployment sees them (164.312(a)(2)(ii)). The default
 * is {@link #inMemory()}; back it with a shared store for several nodes. Implementations are thread-safe.
 */
public interface EmergencyGrantStore {

  /** Stores a new grant, or replaces the grant with the same id. */
  void put(EmergencyGrant grant);

  /** The grant with {@code id}. */
  Optional<EmergencyGrant> find(String id);

  /** Every grant of {@code user}, active or not, that the store still holds. */
  List<EmergencyGrant> forUser(UserId user);

  /** A store in this process's memory. */
  static EmergencyGrantStore inMemory() {
    return new InMemoryEmergencyGrantStore();
  }
}
