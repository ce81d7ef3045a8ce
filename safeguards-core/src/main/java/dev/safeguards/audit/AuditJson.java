package dev.safeguards.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.safeguards.identity.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The JSON form of an audit event, as docs/audit-log-format.md specifies it: members in a fixed order, absent optional
 * members left out, and every character outside printable ASCII escaped, so an encoded event is one line of ASCII.
 */
final class AuditJson {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private AuditJson() {}

  /** The time as the log writes it: UTC, exactly three fraction digits, {@code Z}. */
  static String time(Instant instant) {
    StringBuilder out = new StringBuilder(24);
    time(instant, out);
    return out.toString();
  }

  /** Appends {@link #time(Instant)}'s form; written by hand, as the formatter was most of an event's encoding cost. */
  private static void time(Instant instant, StringBuilder out) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
    if (t.getYear() < 0 || t.getYear() > 9999) {
      out.append(TIME.format(instant));
      return;
    }
    digits(out, t.getYear(), 4).append('-');
    digits(out, t.getMonthValue(), 2).append('-');
    digits(out, t.getDayOfMonth(), 2).append('T');
    digits(out, t.getHour(), 2).append(':');
    digits(out, t.getMinute(), 2).append(':');
    digits(out, t.getSecond(), 2).append('.');
    digits(out, t.getNano() / 1_000_000, 3).append('Z');
  }

  private static StringBuilder digits(StringBuilder out, int value, int width) {
    for (int scale = width == 4 ? 1000 : width == 3 ? 100 : 10; scale > 0; scale /= 10) {
      out.append((char) ('0' + value / scale % 10));
    }
    return out;
  }

  /** Encodes {@code event} as one line of ASCII JSON, without the line break. */
  static byte[] encode(AuditEvent event) {
    StringBuilder out = new StringBuilder(512);
    encode(event, out);
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Encodes {@code event} as one line of ASCII JSON with its identifying members sealed by {@code sealing} for the
   * log {@code origin} (docs/audit-log-format.md section 7.1), or in the clear if {@code sealing} is null.
   */
  static byte[] encode(AuditEvent event, AuditSealing sealing, String origin) {
    return encode(event, sealing, origin, null);
  }

  /** As {@link #encode(AuditEvent, AuditSealing, String)}, adding the event's subject keys to {@code subjects}. */
  static byte[] encode(AuditEvent event, AuditSealing sealing, String origin, List<String> subjects) {
    if (sealing == null) {
      if (subjects != null) {
        AuditSubjects.clear(event, subjects);
      }
      return encode(event);
    }
    StringBuilder out = new StringBuilder(768);
    head(event, out);
    sealing.seal(event, origin, out, subjects);
    tail(event, out, false);
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  static void encode(AuditEvent e, StringBuilder out) {
    head(e, out);
    actor(e.actor(), out);
    tail(e, out, true);
  }

  /**
   * The identifying members of {@code e} as one JSON object: {@code {"actor":{..},"entities":[..]}}, then
   * {@code "justification"} if there is one.
   */
  static String identity(AuditEvent e) {
    StringBuilder out = new StringBuilder(256);
    out.append('{');
    string(out, "actor");
    out.append(':');
    actorObject(e.actor(), out);
    entities(e, out);
    e.justification().ifPresent(v -> member(out, "justification", v, false));
    return out.append('}').toString();
  }

  /** From the opening brace to the HTTP status. */
  private static void head(AuditEvent e, StringBuilder out) {
    out.append('{');
    member(out, "id", e.id().toString(), true);
    name(out, "recorded", false);
    out.append('"');
    time(e.recorded(), out);
    out.append('"');
    member(out, "action", e.action().code(), false);
    member(out, "type", e.type(), false);
    e.subtype().ifPresent(v -> member(out, "subtype", v, false));
    member(out, "outcome", e.outcome().code(), false);
    e.httpStatus().ifPresent(s -> out.append(",\"status\":").append(s));
  }

  private static void actor(AuditActor a, StringBuilder out) {
    name(out, "actor", false);
    actorObject(a, out);
  }

  private static void actorObject(AuditActor a, StringBuilder out) {
    out.append('{');
    boolean first = true;
    if (a.user().isPresent()) {
      member(out, "user", a.user().get().toString(), true);
      first = false;
    }
    name(out, "roles", first);
    array(out, a.roles());
    a.clientId().ifPresent(v -> member(out, "client", v, false));
    a.sessionId().ifPresent(v -> member(out, "session", v, false));
    a.sourceAddress().ifPresent(v -> member(out, "address", v, false));
    a.userAgent().ifPresent(v -> member(out, "userAgent", v, false));
    out.append('}');
  }

  /** From the purposes of use to the closing brace; the justification and the entities only if {@code identity}. */
  private static void tail(AuditEvent e, StringBuilder out, boolean identity) {
    name(out, "purposeOfUse", false);
    array(out, e.purposeOfUse());
    e.emergencyGrant().ifPresent(v -> member(out, "emergencyGrant", v, false));
    if (identity) {
      e.justification().ifPresent(v -> member(out, "justification", v, false));
      entities(e, out);
    }
    e.rule().ifPresent(v -> member(out, "rule", v, false));
    e.requestId().ifPresent(v -> member(out, "requestId", v, false));
    e.repeated().ifPresent(r -> {
      out.append(",\"repeated\":{\"count\":").append(r.count()).append(",\"from\":\"");
      time(r.from(), out);
      out.append("\",\"until\":\"");
      time(r.until(), out);
      out.append("\"}");
    });
    out.append('}');
  }

  private static void entities(AuditEvent e, StringBuilder out) {
    name(out, "entities", false);
    out.append('[');
    for (int i = 0; i < e.entities().size(); i++) {
      AuditEntity entity = e.entities().get(i);
      out.append(i == 0 ? "{" : ",{");
      member(out, "type", entity.type(), true);
      member(out, "id", entity.id(), false);
      if (!entity.query().isEmpty()) {
        name(out, "query", false);
        out.append('{');
        boolean firstParam = true;
        for (Map.Entry<String, String> p : entity.query().entrySet()) {
          member(out, p.getKey(), p.getValue(), firstParam);
          firstParam = false;
        }
        out.append('}');
      }
      out.append('}');
    }
    out.append(']');
  }

  private static void member(StringBuilder out, String name, String value, boolean first) {
    name(out, name, first);
    string(out, value);
  }

  private static void name(StringBuilder out, String name, boolean first) {
    if (!first) {
      out.append(',');
    }
    string(out, name);
    out.append(':');
  }

  private static void array(StringBuilder out, Iterable<String> values) {
    out.append('[');
    boolean first = true;
    for (String v : values) {
      if (!first) {
        out.append(',');
      }
      string(out, v);
      first = false;
    }
    out.append(']');
  }

  /** Writes a JSON string; {@code "}, {@code \}, and everything outside 0x20..0x7e are escaped as {@code \}uXXXX. */
  static void string(StringBuilder out, String s) {
    out.append('"');
    int plain = 0;
    while (plain < s.length()) {
      char c = s.charAt(plain);
      if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
        break;
      }
      plain++;
    }
    out.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
            .append(HEX[c & 0xf]);
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  /**
   * Reads an event back from its JSON form.
   *
   * @throws IllegalArgumentException if a member is missing, of the wrong kind, or fails the event's checks
   */
  static AuditEvent decode(JsonNode n) {
    JsonNode actor = object(n, "actor");
    TreeSet<String> roles = new TreeSet<>(strings(actor, "roles"));
    AuditActor a = new AuditActor(optional(actor, "user").map(UserId::parse), roles, optional(actor, "client"),
        optional(actor, "session"), optional(actor, "address"), optional(actor, "userAgent"));
    List<AuditEntity> entities = new ArrayList<>();
    for (JsonNode entity : array(n, "entities")) {
      TreeMap<String, String> query = new TreeMap<>();
      JsonNode q = entity.get("query");
      if (q != null) {
        if (!q.isObject()) {
          throw new IllegalArgumentException("entity query is not an object");
        }
        for (Map.Entry<String, JsonNode> p : q.properties()) {
          query.put(p.getKey(), text(p.getValue(), "query value"));
        }
      }
      entities.add(new AuditEntity(required(entity, "type"), required(entity, "id"), query));
    }
    JsonNode status = n.get("status");
    if (status != null && !status.isInt()) {
      throw new IllegalArgumentException("status is not an integer");
    }
    return new AuditEvent(
        UUID.fromString(required(n, "id")),
        Instant.parse(required(n, "recorded")),
        AuditAction.fromCode(required(n, "action")),
        required(n, "type"),
        optional(n, "subtype"),
        AuditOutcome.fromCode(required(n, "outcome")),
        status == null ? OptionalInt.empty() : OptionalInt.of(status.intValue()),
        a,
        strings(n, "purposeOfUse"),
        optional(n, "emergencyGrant"),
        optional(n, "justification"),
        entities,
        optional(n, "rule"),
        optional(n, "requestId"),
        repetition(n.get("repeated")));
  }

  private static Optional<AuditEvent.Repetition> repetition(JsonNode r) {
    if (r == null) {
      return Optional.empty();
    }
    if (!r.isObject() || r.get("count") == null || !r.get("count").canConvertToLong()
        || !r.get("count").isIntegralNumber()) {
      throw new IllegalArgumentException("repeated is not an object with an integer count");
    }
    return Optional.of(new AuditEvent.Repetition(r.get("count").longValue(), Instant.parse(required(r, "from")),
        Instant.parse(required(r, "until"))));
  }

  static String required(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing member " + name);
    }
    return text(v, name);
  }

  static Optional<String> optional(JsonNode n, String name) {
    JsonNode v = n.get(name);
    return v == null ? Optional.empty() : Optional.of(text(v, name));
  }

  private static String text(JsonNode v, String name) {
    if (!v.isTextual()) {
      throw new IllegalArgumentException(name + " is not a string");
    }
    return v.textValue();
  }

  private static JsonNode object(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null || !v.isObject()) {
      throw new IllegalArgumentException(name + " is not an object");
    }
    return v;
  }

  private static JsonNode array(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null || !v.isArray()) {
      throw new IllegalArgumentException(name + " is not an array");
    }
    return v;
  }

  private static List<String> strings(JsonNode n, String name) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : array(n, name)) {
      out.add(text(v, name));
    }
    return out;
  }
}
