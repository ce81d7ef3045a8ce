package dev.safeguards.access;

import dev.safeguards.identity.UserId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Emergency grants in this process's memory. */
final class InMemoryEmergencyGrantStore implements EmergencyGrantStore {

  private final Map<String, EmergencyGrant> grants = new ConcurrentHashMap<>();

  @Override
  public void put(EmergencyGrant grant) {
    grants.put(grant.id(), grant);
  }

  @Override
  public Optional<EmergencyGrant> find(String id) {
    return Optional.ofNullable(grants.get(id));
  }

  @Override
  public List<EmergencyGrant> forUser(UserId user) {
    return grants.values().stream().filter(g -> g.user().equals(user)).toList();
  }
}
