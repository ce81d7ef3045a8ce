package dev.safeguards.compliance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Evidence of how a running configuration meets each 164.312 technical safeguard, for an organisation to file with its
 * security documentation: for each of the nine specifications, what implements it, with which settings, a status
 * ({@code met}, {@code partially-met}, {@code not-met}) and, where not met, the rationale the application documents;
 * the weaknesses it accepted; every endpoint with its protection; every key with its age against the rotation policy.
 *
 * <p>It holds identifiers, settings and dates only: never a secret, a key, a token or PHI. {@link #toJson()} follows
 * the schema in docs/compliance.md ({@value #SCHEMA}), {@link #parse} reads it back, and {@link #toMarkdown()}
 * renders it for people. Immutable.
 */
public final class ComplianceReport {

  /** The schema name and version in every JSON report. */
  public static final String SCHEMA = "safeguards-compliance-report/v1";

  /**
   * One specification's row.
   *
   * @param specification which
   * @param status how far it is met
   * @param implementedBy the components that serve it
   * @param settings each component's effective settings
   * @param notes what weakens it, or what is missing
   * @param rationale what the application documented for it (why a weakness is accepted, why it is not met)
   */
  public record Row(Specification specification, Status status, List<String> implementedBy,
      SortedMap<String, SortedMap<String, Object>> settings, List<String> notes, Optional<String> rationale) {
    /**
     * Checks and copies every part.
     *
     * @param specification which; not null
     * @param status how far it is met; not null
     * @param implementedBy the components that serve it; copied, empty when none does
     * @param settings each component's effective settings, by component name; copied into a sorted, unmodifiable map
     * @param notes what weakens it, or what is missing; copied
     * @param rationale what the application documented for it; empty when it documented nothing; not null
     * @throws NullPointerException if a part, or an element of {@code implementedBy} or {@code notes}, is null
     */
    public Row {
      Objects.requireNonNull(specification, "specification");
      Objects.requireNonNull(status, "status");
      implementedBy = List.copyOf(implementedBy);
      settings = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(settings));
      notes = List.copyOf(notes);
      Objects.requireNonNull(rationale, "rationale");
    }
  }

  /**
   * One endpoint of the API.
   *
   * @param method the HTTP method
   * @param path the path pattern
   * @param access {@code public}, {@code permission <p>}, {@code roles <r...>}, {@code denied} or {@code logout}
   * @param phi whether its responses may carry PHI
   * @param resourceType the resource it names, for resource rules and the audit log, if any
   * @param breakGlass whether an emergency grant may reach it
   * @param flag why it deserves a look (e.g. {@code unprotected}), if it does
   * @param handler the application code that serves it (e.g. {@code PatientResource.export}), if known: one method and
   *     path served by two handlers is two entries
   */
  public record Endpoint(String method, String path, String access, boolean phi, Optional<String> resourceType,
      boolean breakGlass, Optional<String> flag, Optional<String> handler) {

    /**
     * An endpoint without a named handler.
     *
     * @param method the HTTP method
     * @param path the path pattern
     * @param access {@code public}, {@code permission <p>}, {@code roles <r...>}, {@code denied} or {@code logout}
     * @param phi whether its responses may carry PHI
     * @param resourceType the resource it names, if any
     * @param breakGlass whether an emergency grant may reach it
     * @param flag why it deserves a look (e.g. {@code unprotected}), if it does
     */
    public Endpoint(String method, String path, String access, boolean phi, Optional<String> resourceType,
        boolean breakGlass, Optional<String> flag) {
      this(method, path, access, phi, resourceType, breakGlass, flag, Optional.empty());
    }
  }

  /**
   * One key, never its material.
   *
   * @param keyset the keyset (file name or purpose)
   * @param purpose what it is for
   * @param keyId its id
   * @param status {@code enabled}, {@code disabled} or {@code destroyed}
   * @param primary whether it encrypts or signs new data
   * @param createdAt when it was generated
   * @param ageDays its age in whole days when the report was made
   * @param rotationDue whether it is primary and older than the rotation policy
   */
  public record Key(String keyset, String purpose, String keyId, String status, boolean primary, Instant createdAt,
      long ageDays, boolean rotationDue) {}

  /**
   * A weakness the application accepted, and why.
   *
   * @param weakness which
   * @param rationale the application's reason
   */
  public record AcceptedWeakness(Weakness weakness, String rationale) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Instant generatedAt;
  private final List<Row> rows;
  private final List<AcceptedWeakness> accepted;
  private final List<Endpoint> endpoints;
  private final List<Key> keys;
  private final Duration rotationPolicy;

  private ComplianceReport(Instant generatedAt, List<Row> rows, List<AcceptedWeakness> accepted,
      List<Endpoint> endpoints, List<Key> keys, Duration rotationPolicy) {
    this.generatedAt = generatedAt;
    this.rows = List.copyOf(rows);
    this.accepted = List.copyOf(accepted);
    this.endpoints = List.copyOf(endpoints);
    this.keys = List.copyOf(keys);
    this.rotationPolicy = rotationPolicy;
  }

  /**
   * Assembles a report: each specification takes the weakest status among the components that serve it, or
   * {@code not-met} if none does.
   *
   * @param generatedAt when
   * @param evidence what every component says about itself
   * @param rationales what the application documented, per specification
   * @param accepted the weaknesses it accepted, with their rationales (shown on the specification each weakens)
   * @param endpoints the endpoint inventory
   * @param keys the key inventory
   * @param rotationPolicy how old a primary key may grow before it is due for rotation
   * @return the report: one row per specification, in the order of the rule; the accepted weaknesses in the order of
   *     {@link Weakness}
   */
  public static ComplianceReport of(Instant generatedAt, List<Evidence> evidence,
      Map<Specification, String> rationales, Map<Weakness, String> accepted, List<Endpoint> endpoints,
      List<Key> keys, Duration rotationPolicy) {
    List<Row> rows = new ArrayList<>();
    for (Specification spec : Specification.values()) {
      Status status = null;
      List<String> by = new ArrayList<>();
      SortedMap<String, SortedMap<String, Object>> settings = new TreeMap<>();
      List<String> notes = new ArrayList<>();
      for (Evidence e : evidence) {
        Status s = e.assessment().get(spec);
        if (s == null) {
          continue;
        }
        status = status == null ? s : status.and(s);
        by.add(e.component());
        settings.put(e.component(), e.settings());
        notes.addAll(e.notes());
      }
      if (status == null) {
        status = Status.NOT_MET;
        notes.add("nothing in this configuration implements it");
      }
      List<String> why = new ArrayList<>();
      Optional.ofNullable(rationales.get(spec)).ifPresent(why::add);
      accepted.forEach((w, r) -> {
        if (w.specification() == spec) {
          why.add(w.name() + ": " + r);
        }
      });
      rows.add(new Row(spec, status, by, settings, notes,
          why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why))));
    }
    List<AcceptedWeakness> acceptedList = new ArrayList<>();
    Map<Weakness, String> ordered = new EnumMap<>(Weakness.class);
    ordered.putAll(accepted);
    ordered.forEach((w, r) -> acceptedList.add(new AcceptedWeakness(w, r)));
    return new ComplianceReport(generatedAt, rows, acceptedList, endpoints, keys, rotationPolicy);
  }

  /**
   * When it was made.
   *
   * @return the time given to {@link #of} (or read by {@link #parse})
   */
  public Instant generatedAt() {
    return generatedAt;
  }

  /**
   * The nine rows, in the order of the rule.
   *
   * @return one row per specification as {@link #of} made them, or as the parsed report listed them; unmodifiable
   */
  public List<Row> rows() {
    return rows;
  }

  /**
   * The row of {@code specification}.
   *
   * @param specification which; not null
   * @return its row (the first, if a parsed report lists it twice)
   * @throws java.util.NoSuchElementException if the report has no row for it (only a parsed report can lack one)
   */
  public Row row(Specification specification) {
    return rows.stream().filter(r -> r.specification() == specification).findFirst().orElseThrow();
  }

  /**
   * The status of {@code specification}.
   *
   * @param specification which; not null
   * @return how far it is met
   * @throws java.util.NoSuchElementException if the report has no row for it (only a parsed report can lack one)
   */
  public Status status(Specification specification) {
    return row(specification).status();
  }

  /**
   * The weaknesses the application accepted.
   *
   * @return each accepted weakness with its rationale, in the order of {@link Weakness} (a parsed report: in the order
   *     it lists them); empty if none; unmodifiable
   */
  public List<AcceptedWeakness> acceptedWeaknesses() {
    return accepted;
  }

  /**
   * The endpoint inventory.
   *
   * @return every endpoint, in the order given; unmodifiable
   */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /**
   * The key inventory.
   *
   * @return every key, never its material, in the order given; unmodifiable
   */
  public List<Key> keys() {
    return keys;
  }

  /**
   * How old a primary key may grow before rotation is due.
   *
   * @return the age past which a primary key is due for rotation
   */
  public Duration rotationPolicy() {
    return rotationPolicy;
  }

  /**
   * The report as JSON (schema {@value #SCHEMA}, docs/compliance.md).
   *
   * @return pretty-printed JSON ending in a newline, that {@link #parse} reads back
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("generatedAt", generatedAt.toString());
    ArrayNode specs = root.putArray("specifications");
    for (Row r : rows) {
      ObjectNode s = specs.addObject();
      s.put("id", r.specification().id());
      s.put("name", r.specification().title());
      s.put("required", r.specification().required());
      s.put("status", r.status().code());
      r.implementedBy().forEach(s.putArray("implementedBy")::add);
      s.set("settings", JSON.valueToTree(r.settings()));
      r.notes().forEach(s.putArray("notes")::add);
      if (r.rationale().isPresent()) {
        s.put("rationale", r.rationale().get());
      } else {
        s.putNull("rationale");
      }
      s.put("proposedRule", r.specification().proposedRule());
      r.specification().asvs().forEach(s.putArray("asvs")::add);
    }
    ArrayNode acc = root.putArray("acceptedWeaknesses");
    for (AcceptedWeakness a : accepted) {
      acc.addObject().put("weakness", a.weakness().name()).put("setting", a.weakness().setting())
          .put("specification", a.weakness().specification().id()).put("rationale", a.rationale());
    }
    ArrayNode eps = root.putArray("endpoints");
    for (Endpoint e : endpoints) {
      ObjectNode n = eps.addObject().put("method", e.method()).put("path", e.path()).put("access", e.access())
          .put("phi", e.phi()).put("breakGlass", e.breakGlass());
      optional(n, "resourceType", e.resourceType());
      optional(n, "flag", e.flag());
      optional(n, "handler", e.handler());
    }
    root.put("rotationPolicy", rotationPolicy.toString());
    ArrayNode ks = root.putArray("keys");
    for (Key k : keys) {
      ks.addObject().put("keyset", k.keyset()).put("purpose", k.purpose()).put("keyId", k.keyId())
          .put("status", k.status()).put("primary", k.primary()).put("createdAt", k.createdAt().toString())
          .put("ageDays", k.ageDays()).put("rotationDue", k.rotationDue());
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report of strings, numbers and flags is always JSON", e);
    }
  }

  private static void optional(ObjectNode n, String name, Optional<String> value) {
    if (value.isPresent()) {
      n.put(name, value.get());
    } else {
      n.putNull(name);
    }
  }

  /**
   * Reads a report written by {@link #toJson()}.
   *
   * @param json the report's JSON text; not null
   * @return the report it holds
   * @throws IllegalArgumentException if the text is not a report of this schema
   */
  public static ComplianceReport parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
    if (root == null || !SCHEMA.equals(root.path("schema").asText())) {
      throw new IllegalArgumentException("not a compliance report of schema " + SCHEMA);
    }
    try {
      List<Row> rows = new ArrayList<>();
      for (JsonNode s : root.withArray("specifications")) {
        SortedMap<String, SortedMap<String, Object>> settings = new TreeMap<>();
        for (Map.Entry<String, JsonNode> c : s.path("settings").properties()) {
          SortedMap<String, Object> values = new TreeMap<>();
          for (Map.Entry<String, JsonNode> v : c.getValue().properties()) {
            values.put(v.getKey(), value(v.getValue()));
          }
          settings.put(c.getKey(), values);
        }
        rows.add(new Row(Specification.ofId(text(s, "id")), Status.ofCode(text(s, "status")),
            strings(s.path("implementedBy")), settings, strings(s.path("notes")),
            s.path("rationale").isTextual() ? Optional.of(s.get("rationale").asText()) : Optional.empty()));
      }
      List<AcceptedWeakness> accepted = new ArrayList<>();
      for (JsonNode a : root.withArray("acceptedWeaknesses")) {
        accepted.add(new AcceptedWeakness(Weakness.valueOf(text(a, "weakness")), text(a, "rationale")));
      }
      List<Endpoint> endpoints = new ArrayList<>();
      for (JsonNode e : root.withArray("endpoints")) {
        endpoints.add(new Endpoint(text(e, "method"), text(e, "path"), text(e, "access"), e.path("phi").asBoolean(),
            optionalText(e, "resourceType"), e.path("breakGlass").asBoolean(), optionalText(e, "flag"),
            optionalText(e, "handler")));
      }
      List<Key> keys = new ArrayList<>();
      for (JsonNode k : root.withArray("keys")) {
        keys.add(new Key(text(k, "keyset"), text(k, "purpose"), text(k, "keyId"), text(k, "status"),
            k.path("primary").asBoolean(), Instant.parse(text(k, "createdAt")), k.path("ageDays").asLong(),
            k.path("rotationDue").asBoolean()));
      }
      return new ComplianceReport(Instant.parse(text(root, "generatedAt")), rows, accepted, endpoints, keys,
          Duration.parse(text(root, "rotationPolicy")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("a malformed compliance report: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing " + name);
    }
    return v.asText();
  }

  private static Optional<String> optionalText(JsonNode n, String name) {
    return n.path(name).isTextual() ? Optional.of(n.get(name).asText()) : Optional.empty();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static Object value(JsonNode v) {
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isArray()) {
      return strings(v);
    }
    return v.asText();
  }

  /**
   * The report for people: a summary table, then each specification, the endpoints and the keys.
   *
   * @return GitHub-flavoured Markdown, never null
   */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("# HIPAA technical safeguards (45 CFR 164.312): compliance evidence\n\n");
    md.append("Generated ").append(generatedAt).append(" by Safeguards from the running configuration.\n\n");
    md.append("| specification | name | status | implemented by |\n|---|---|---|---|\n");
    for (Row r : rows) {
      md.append("| ").append(r.specification().id()).append(" | ").append(cell(r.specification().title()))
          .append(" | **").append(r.status().code()).append("** | ")
          .append(cell(r.implementedBy().isEmpty() ? "(nothing)" : String.join(", ", r.implementedBy())))
          .append(" |\n");
    }
    for (Row r : rows) {
      md.append("\n## ").append(r.specification().id()).append(" ").append(r.specification().title()).append(": ")
          .append(r.status().code()).append("\n\n");
      md.append("- Current rule: ").append(r.specification().required() ? "required" : "addressable")
          .append(". 2025 proposed rule: ").append(r.specification().proposedRule()).append("\n");
      md.append("- OWASP ASVS 5.0: ").append(String.join(", ", r.specification().asvs())).append("\n");
      r.rationale().ifPresent(why -> md.append("- Rationale: ").append(why).append("\n"));
      r.notes().forEach(n -> md.append("- Note: ").append(n).append("\n"));
      r.settings().forEach((component, values) -> {
        md.append("- ").append(component).append(":");
        values.forEach((k, v) -> md.append(" `").append(k).append("` = ").append(v).append(";"));
        md.setLength(md.length() - (values.isEmpty() ? 0 : 1));
        md.append("\n");
      });
    }
    if (!accepted.isEmpty()) {
      md.append("\n## Accepted weaknesses\n\n| weakness | setting | specification | rationale |\n|---|---|---|---|\n");
      accepted.forEach(a -> md.append("| ").append(a.weakness().name()).append(" | ").append(a.weakness().setting())
          .append(" | ").append(a.weakness().specification().id()).append(" | ").append(cell(a.rationale()))
          .append(" |\n"));
    }
    md.append("\n## Endpoints\n\n| method | path | access | PHI | resource | break-glass | flag | handler |\n"
        + "|---|---|---|---|---|---|---|---|\n");
    endpoints.forEach(e -> md.append("| ").append(e.method()).append(" | ").append(cell(e.path())).append(" | ")
        .append(cell(e.access())).append(" | ").append(e.phi() ? "yes" : "no").append(" | ")
        .append(e.resourceType().orElse("")).append(" | ").append(e.breakGlass() ? "yes" : "no").append(" | ")
        .append(e.flag().map(f -> "**" + f + "**").orElse("")).append(" | ")
        .append(e.handler().map(ComplianceReport::cell).orElse("")).append(" |\n"));
    md.append("\n## Keys (rotation policy: primary keys older than ").append(rotationPolicy.toDays())
        .append(" days are due)\n\n| keyset | purpose | key | status | primary | created | age (days) | rotation |\n"
            + "|---|---|---|---|---|---|---|---|\n");
    keys.forEach(k -> md.append("| ").append(cell(k.keyset())).append(" | ").append(k.purpose()).append(" | ")
        .append(k.keyId()).append(" | ").append(k.status()).append(" | ").append(k.primary() ? "yes" : "no")
        .append(" | ").append(k.createdAt()).append(" | ").append(k.ageDays()).append(" | ")
        .append(k.rotationDue() ? "**due**" : "").append(" |\n"));
    return md.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
