package dev.safeguards.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.audit.AuditActor;
import dev.safeguards.audit.AuditEntity;
import dev.safeguards.audit.AuditEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How {@code audit search} prints an event: one line of text, or one JSON object per line with the members of
 * docs/audit-log-format.md section 5. Identifiers only: the emergency justification, the one free-text member of an
 * event, is left out.
 */
enum EventFormat {
  /** One line: time, action, outcome, resources, then {@code name=value} identifiers. */
  TEXT {
    @Override
    String format(AuditEvent e) {
      AuditActor a = e.actor();
      List<String> parts = new ArrayList<>();
      parts.add(time(e.recorded()));
      parts.add(e.action().code());
      parts.add(e.outcome().code() + e.httpStatus().stream().mapToObj(s -> "/" + s).findFirst().orElse(""));
      parts.add(e.entities().isEmpty() ? "-"
          : e.entities().stream().map(r -> r.type() + "/" + r.id()).collect(Collectors.joining(",")));
      add(parts, "user", a.user().map(Object::toString));
      add(parts, "session", a.sessionId());
      add(parts, "address", a.sourceAddress());
      add(parts, "client", a.clientId());
      add(parts, "type", Optional.of(e.type()));
      add(parts, "subtype", e.subtype());
      add(parts, "emergency-grant", e.emergencyGrant());
      add(parts, "rule", e.rule());
      add(parts, "request", e.requestId());
      add(parts, "event", Optional.of(e.id().toString()));
      return String.join(" ", parts);
    }
  },

  /** One JSON object per line (JSON Lines). */
  JSON {
    @Override
    String format(AuditEvent e) {
      ObjectNode o = MAPPER.createObjectNode();
      o.put("id", e.id().toString());
      o.put("recorded", time(e.recorded()));
      o.put("action", e.action().code());
      o.put("type", e.type());
      e.subtype().ifPresent(v -> o.put("subtype", v));
      o.put("outcome", e.outcome().code());
      e.httpStatus().ifPresent(v -> o.put("status", v));
      ObjectNode actor = o.putObject("actor");
      AuditActor a = e.actor();
      a.user().ifPresent(v -> actor.put("user", v.toString()));
      a.roles().forEach(actor.putArray("roles")::add);
      a.clientId().ifPresent(v -> actor.put("client", v));
      a.sessionId().ifPresent(v -> actor.put("session", v));
      a.sourceAddress().ifPresent(v -> actor.put("address", v));
      a.userAgent().ifPresent(v -> actor.put("userAgent", v));
      e.purposeOfUse().forEach(o.putArray("purposeOfUse")::add);
      e.emergencyGrant().ifPresent(v -> o.put("emergencyGrant", v));
      ArrayNode entities = o.putArray("entities");
      for (AuditEntity r : e.entities()) {
        ObjectNode entity = entities.addObject().put("type", r.type()).put("id", r.id());
        if (!r.query().isEmpty()) {
          ObjectNode query = entity.putObject("query");
          r.query().forEach(query::put);
        }
      }
      e.rule().ifPresent(v -> o.put("rule", v));
      e.requestId().ifPresent(v -> o.put("requestId", v));
      try {
        return MAPPER.writeValueAsString(o);
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException("an audit event could not be written as JSON", ex);
      }
    }
  };

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** The event as one line, without a line end. */
  abstract String format(AuditEvent e);

  private static String time(Instant instant) {
    return TIME.format(instant);
  }

  private static void add(List<String> parts, String name, Optional<String> value) {
    value.ifPresent(v -> parts.add(name + "=" + v));
  }
}
