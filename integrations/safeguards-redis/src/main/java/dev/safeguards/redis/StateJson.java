package dev.safeguards.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.access.EmergencyGrant;
import dev.safeguards.access.Permission;
import dev.safeguards.authn.AccessGrant;
import dev.safeguards.identity.UserId;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** The JSON form of the records the Redis stores keep as values: explicit fields, no reflection. */
final class StateJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StateJson() {}

  static String grant(AccessGrant g) {
    ObjectNode o = JSON.createObjectNode();
    o.put("user", g.user().toString());
    strings(o.putArray("roles"), g.roles());
    strings(o.putArray("scopes"), g.scopes());
    strings(o.putArray("amr"), g.authenticationMethods());
    o.put("authenticatedAt", g.authenticatedAt().toEpochMilli());
    o.put("sessionId", g.sessionId());
    g.clientId().ifPresent(c -> o.put("clientId", c));
    return o.toString();
  }

  static AccessGrant grant(String json) {
    JsonNode o = parse(json);
    return new AccessGrant(UserId.parse(o.get("user").asText()), strings(o.get("roles")), strings(o.get("scopes")),
        strings(o.get("amr")), Instant.ofEpochMilli(o.get("authenticatedAt").asLong()), o.get("sessionId").asText(),
        Optional.ofNullable(o.get("clientId")).map(JsonNode::asText));
  }

  static String emergencyGrant(EmergencyGrant g) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", g.id());
    o.put("user", g.user().toString());
    o.put("resourceType", g.resourceType());
    g.resourceId().ifPresent(r -> o.put("resourceId", r));
    strings(o.putArray("permissions"), g.permissions().stream().map(Permission::toString).toList());
    o.put("purposeOfUse", g.purposeOfUse());
    o.put("openedAt", g.openedAt().toEpochMilli());
    o.put("expiresAt", g.expiresAt().toEpochMilli());
    g.revokedAt().ifPresent(r -> o.put("revokedAt", r.toEpochMilli()));
    return o.toString();
  }

  static EmergencyGrant emergencyGrant(String json) {
    JsonNode o = parse(json);
    Set<Permission> permissions = new LinkedHashSet<>();
    for (String p : strings(o.get("permissions"))) {
      permissions.add(Permission.parse(p));
    }
    return new EmergencyGrant(o.get("id").asText(), UserId.parse(o.get("user").asText()),
        o.get("resourceType").asText(), Optional.ofNullable(o.get("resourceId")).map(JsonNode::asText), permissions,
        o.get("purposeOfUse").asText(), Instant.ofEpochMilli(o.get("openedAt").asLong()),
        Instant.ofEpochMilli(o.get("expiresAt").asLong()),
        Optional.ofNullable(o.get("revokedAt")).map(n -> Instant.ofEpochMilli(n.asLong())));
  }

  private static void strings(ArrayNode array, Collection<String> values) {
    values.stream().sorted().forEach(array::add);
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new LinkedHashSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("a value in the Redis state store is not the JSON this library writes");
    }
  }
}
