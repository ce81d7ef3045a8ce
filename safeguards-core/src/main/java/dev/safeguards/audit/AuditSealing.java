package dev.safeguards.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.crypto.BlindIndex;
import dev.safeguards.crypto.DecryptionException;
import dev.safeguards.crypto.FieldCipher;
import dev.safeguards.crypto.FieldContext;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.identity.UserId;
import dev.safeguards.integrity.internal.JsonCanonicalizer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seals the identifying members of every audit event the log writes: who acted (the actor, with the client address),
 * which resources were touched, and an emergency justification (164.312(b) with 164.312(a)(2)(iv): the identifiers
 * tied to an access are sensitive themselves). docs/audit-log-format.md section 7.1 specifies the sealed form.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The identifying members are one AES-256-GCM ciphertext ({@link FieldCipher}) under the identity keyset, with
 *       the log's origin and the event's id as associated data: a sealed identity moved to another event, or to
 *       another log, does not open.
 *   <li>Beside it, keyed blind-index tokens ({@link BlindIndex}, HMAC-SHA256 under the index keyset, 128 bits) of the
 *       user, the session, the source address and each resource, so that a review for one user or one patient opens
 *       only that subject's events. Equal identifiers have equal tokens: who reads the log sees that two events share
 *       a user or a resource, never which one.
 *   <li>The tree covers the stored bytes, so the log, its proofs and its checkpoints verify with the checkpoint public
 *       key alone; only {@link AuditReview} (search, breach scope) needs these keys.
 *   <li>Retention: rotate the identity keyset (say monthly) and destroy a key once its events are past retention
 *       ({@link ManagedKeyset#destroy}); its events can then be read by no one, while the log still verifies, and a
 *       review counts them as unreadable instead of failing.
 * </ul>
 *
 * <p>Keep both keysets apart from the application's own field keys, so that reading the log never helps read or match
 * the application's rows. Thread-safe; follows the keysets' rotations at once.
 */
public final class AuditSealing {

  /** The field name in the associated data of every sealed identity. */
  static final String FIELD = "audit-identity";
  /** Bytes kept of each index token: two identifiers share a token with probability 2^-128. */
  static final int TOKEN_BYTES = 16;

  private final ManagedKeyset identityKeys;
  private final ManagedKeyset indexKeys;
  private final FieldCipher cipher;
  private final BlindIndex users;
  private final BlindIndex sessions;
  private final BlindIndex addresses;
  private final Map<String, BlindIndex> resources = new ConcurrentHashMap<>();

  private AuditSealing(ManagedKeyset identityKeys, ManagedKeyset indexKeys) {
    this.identityKeys = identityKeys;
    this.indexKeys = indexKeys;
    this.cipher = FieldCipher.create(identityKeys);
    this.users = index("user");
    this.sessions = index("session");
    this.addresses = index("address");
  }

  /**
   * Seals with {@code identityKeys} and indexes with {@code indexKeys}.
   *
   * @param identityKeys a {@link KeyPurpose#FIELD_ENCRYPTION} keyset of the audit log's own
   * @param indexKeys a {@link KeyPurpose#BLIND_INDEX} keyset of the audit log's own
   * @return the sealing over both keysets, which it uses as they are (not copies)
   * @throws IllegalArgumentException if a keyset has another purpose
   */
  public static AuditSealing create(ManagedKeyset identityKeys, ManagedKeyset indexKeys) {
    Objects.requireNonNull(identityKeys, "identityKeys");
    Objects.requireNonNull(indexKeys, "indexKeys");
    if (identityKeys.purpose() != KeyPurpose.FIELD_ENCRYPTION) {
      throw new IllegalArgumentException("audit identities are sealed with a field-encryption keyset, not "
          + identityKeys.purpose().fileName());
    }
    if (indexKeys.purpose() != KeyPurpose.BLIND_INDEX) {
      throw new IllegalArgumentException("audit identities are indexed with a blind-index keyset, not "
          + indexKeys.purpose().fileName());
    }
    return new AuditSealing(identityKeys, indexKeys);
  }

  /**
   * The keyset that seals identities.
   *
   * @return the identity keyset given to {@link #create}
   */
  public ManagedKeyset identityKeys() {
    return identityKeys;
  }

  /**
   * The keyset of the index tokens.
   *
   * @return the index keyset given to {@link #create}
   */
  public ManagedKeyset indexKeys() {
    return indexKeys;
  }

  @Override
  public String toString() {
    return "AES-256-GCM under " + identityKeys.file().getFileName() + ", HMAC-SHA256 index under "
        + indexKeys.file().getFileName();
  }

  /** Appends {@code ,"sealed":"sg1:..","index":{..}} for {@code e} in the log {@code origin}. */
  void seal(AuditEvent e, String origin, StringBuilder out, List<String> subjects) {
    String sealed = cipher.encrypt(AuditJson.identity(e), context(origin, e.id().toString()));
    out.append(",\"sealed\":");
    AuditJson.string(out, sealed);
    out.append(",\"index\":{");
    AuditActor a = e.actor();
    if (a.user().isPresent()) {
      token(out, "user", users.token(a.user().get().toString()), subjects);
    }
    a.sessionId().ifPresent(s -> token(out, "session", sessions.token(s), subjects));
    a.sourceAddress().ifPresent(s -> token(out, "address", addresses.token(s), subjects));
    if (out.charAt(out.length() - 1) != '{') {
      out.append(',');
    }
    out.append("\"entities\":[");
    for (int i = 0; i < e.entities().size(); i++) {
      AuditEntity entity = e.entities().get(i);
      if (i > 0) {
        out.append(',');
      }
      String token = resource(entity.type()).token(entity.id());
      AuditJson.string(out, token);
      if (subjects != null) {
        subjects.add(AuditSubjects.ENTITY + token);
      }
    }
    out.append("]}");
  }

  private static void token(StringBuilder out, String name, String token, List<String> subjects) {
    if (out.charAt(out.length() - 1) != '{') {
      out.append(',');
    }
    AuditJson.string(out, name);
    out.append(':');
    AuditJson.string(out, token);
    if (subjects != null) {
      subjects.add(name + ":" + token);
    }
  }

  /**
   * The event object of a sealed event with its identifying members opened and the sealed and index members gone,
   * ready for {@link AuditJson#decode}.
   *
   * @throws DecryptionException if it does not open: an unknown, disabled or destroyed key ({@code
   *     UnknownKeyException}), or a sealed identity that was changed or belongs to another event or log
   */
  ObjectNode open(JsonNode event, String origin) throws DecryptionException {
    String identity = cipher.decrypt(AuditJson.required(event, "sealed"),
        context(origin, AuditJson.required(event, "id")));
    JsonNode opened = JsonCanonicalizer.parseStrict(identity.getBytes(StandardCharsets.UTF_8));
    if (!opened.isObject()) {
      throw new IllegalArgumentException("a sealed identity is not an object");
    }
    ObjectNode out = withoutSeal(event);
    opened.properties().forEach(p -> out.set(p.getKey(), p.getValue()));
    return out;
  }

  /** A copy of a sealed event object without its sealed and index members. */
  static ObjectNode withoutSeal(JsonNode event) {
    ObjectNode out = ((ObjectNode) event).deepCopy();
    out.remove("sealed");
    out.remove("index");
    return out;
  }

  /** What the index says about the events {@code filter} may match, computed once per review. */
  Prefilter prefilter(AuditFilter filter) {
    return new Prefilter(
        tokens(filter.users().stream().map(UserId::toString).toList(), users),
        tokens(List.copyOf(filter.sessions()), sessions),
        tokens(List.copyOf(filter.addresses()), addresses),
        filter.resourceId().isPresent()
            ? tokens(List.of(filter.resourceId().get()), resource(filter.resourceType().orElseThrow()))
            : null);
  }

  /** Every enabled key's tokens of {@code values}; null (no criterion) if there are none. */
  private static Set<String> tokens(List<String> values, BlindIndex index) {
    if (values.isEmpty()) {
      return null;
    }
    Set<String> out = new HashSet<>();
    values.forEach(v -> out.addAll(index.searchTokens(v)));
    return out;
  }

  /**
   * The index tokens a filter's identifying criteria may match; a null set is a criterion the filter does not have.
   */
  record Prefilter(Set<String> users, Set<String> sessions, Set<String> addresses, Set<String> resources) {

    /** Whether an event with this {@code index} member may match: false only if it cannot. */
    boolean mayMatch(JsonNode index) {
      if (index == null || !index.isObject()) {
        throw new IllegalArgumentException("a sealed event has no index object");
      }
      return member(users, index.get("user")) && member(sessions, index.get("session"))
          && member(addresses, index.get("address")) && anyOf(resources, index.get("entities"));
    }

    private static boolean member(Set<String> tokens, JsonNode token) {
      return tokens == null || token != null && token.isTextual() && tokens.contains(token.textValue());
    }

    private static boolean anyOf(Set<String> tokens, JsonNode entities) {
      if (tokens == null) {
        return true;
      }
      if (entities == null || !entities.isArray()) {
        throw new IllegalArgumentException("a sealed event's index has no entities array");
      }
      for (JsonNode token : entities) {
        if (member(tokens, token)) {
          return true;
        }
      }
      return false;
    }
  }

  private BlindIndex resource(String type) {
    return resources.computeIfAbsent(type,
        t -> BlindIndex.builder(indexKeys, "audit-resource", t).truncateTo(TOKEN_BYTES).build());
  }

  private BlindIndex index(String field) {
    return BlindIndex.builder(indexKeys, "audit-actor", field).truncateTo(TOKEN_BYTES).build();
  }

  private static FieldContext context(String origin, String eventId) {
    return FieldContext.of(origin, eventId, FIELD);
  }
}
