package dev.safeguards.integrity;

import dev.safeguards.integrity.internal.StructuredFields;
import dev.safeguards.integrity.internal.StructuredFields.BareItem;
import dev.safeguards.integrity.internal.StructuredFields.Item;
import dev.safeguards.integrity.internal.StructuredFields.Parameters;
import dev.safeguards.integrity.internal.StructuredFields.SfBoolean;
import dev.safeguards.integrity.internal.StructuredFields.SfString;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One component an RFC 9421 HTTP Message Signature covers: a derived component ({@code @method}, {@code @path}, ...)
 * or a header field, with its parameters ({@code sf}, {@code key}, {@code bs}, {@code req}, {@code name}).
 *
 * <p>Instances are immutable; equality is the identifier's serialization, so {@code "content-digest";sf} and
 * {@code "content-digest"} are different components, as in the RFC. The factory methods build only components that
 * {@link HttpMessageVerifier} accepts: a derived component takes no {@code sf}, {@code key} or {@code bs}, and
 * {@code bs} is never combined with {@code sf} or {@code key} (RFC 9421 sections 2.1 and 2.2); each refuses any other
 * combination with an {@link IllegalArgumentException} that names the component but not a {@code key} value.
 */
public final class SignatureComponent {

  /** The request method. */
  public static final SignatureComponent METHOD = derived("@method");
  /** The full target URI. */
  public static final SignatureComponent TARGET_URI = derived("@target-uri");
  /** The authority (host and non-default port) of the target URI. */
  public static final SignatureComponent AUTHORITY = derived("@authority");
  /** The scheme of the target URI. */
  public static final SignatureComponent SCHEME = derived("@scheme");
  /** The request target: path and query. */
  public static final SignatureComponent REQUEST_TARGET = derived("@request-target");
  /** The absolute path of the target URI. */
  public static final SignatureComponent PATH = derived("@path");
  /** The query of the target URI, with its leading {@code ?}. */
  public static final SignatureComponent QUERY = derived("@query");
  /** The response status code. */
  public static final SignatureComponent STATUS = derived("@status");

  static final Set<String> DERIVED = Set.of("@method", "@target-uri", "@authority", "@scheme", "@request-target",
      "@path", "@query", "@query-param", "@status");
  static final Set<String> PARAMETERS = Set.of("sf", "key", "bs", "req", "name", "tr");

  private final Item identifier;

  private SignatureComponent(Item identifier) {
    this.identifier = identifier;
  }

  /**
   * One named query parameter ({@code @query-param;name="..."}).
   *
   * @param name the parameter's name, percent-encoded as RFC 9421 section 2.2.8 re-encodes it (e.g. {@code a%20b});
   *     printable ASCII, not null
   * @return the component; signing or verifying fails unless the parameter appears exactly once
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} holds a character outside printable ASCII
   */
  public static SignatureComponent queryParam(String name) {
    Objects.requireNonNull(name, "name");
    Map<String, BareItem> params = new LinkedHashMap<>();
    params.put("name", new SfString(name));
    return new SignatureComponent(new Item(new SfString("@query-param"), new Parameters(params)));
  }

  /**
   * A header field, by name (lower-cased).
   *
   * @param name the field's name, in any case; not null
   * @return the component covering the field's lines, combined with {@code ", "}
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the name is empty, starts with {@code @}, or holds a character outside
   *     printable ASCII
   */
  public static SignatureComponent field(String name) {
    Objects.requireNonNull(name, "name");
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.isEmpty() || lower.startsWith("@")) {
      throw new IllegalArgumentException("a field component is named by a field name");
    }
    return new SignatureComponent(Item.of(new SfString(lower)));
  }

  private static SignatureComponent derived(String name) {
    return new SignatureComponent(Item.of(new SfString(name)));
  }

  /**
   * This field as a structured field, re-serialized ({@code ;sf}). Without {@link #key}, only fields whose
   * structured type Safeguards knows (the digest, signature and priority fields, and a few list fields) can then be
   * signed or verified.
   *
   * @return a new component; this one is unchanged
   * @throws IllegalArgumentException if this is a derived component, or already has {@code ;bs} (RFC 9421 section
   *     2.1: {@code bs} cannot be combined with {@code sf} or {@code key})
   */
  public SignatureComponent sf() {
    requireField("sf");
    requireNot("bs", "sf");
    return with("sf", new SfBoolean(true));
  }

  /**
   * One member of this Dictionary field ({@code ;key="..."}).
   *
   * @param key the dictionary member's key; not null
   * @return a new component; this one is unchanged
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if {@code key} holds a character outside printable ASCII, if this is a derived
   *     component, or if it already has {@code ;bs} (RFC 9421 section 2.1: {@code bs} cannot be combined with
   *     {@code sf} or {@code key})
   */
  public SignatureComponent key(String key) {
    Objects.requireNonNull(key, "key");
    requireField("key");
    requireNot("bs", "key");
    return with("key", new SfString(key));
  }

  /**
   * This field's lines, each as a byte sequence ({@code ;bs}).
   *
   * @return a new component; this one is unchanged
   * @throws IllegalArgumentException if this is a derived component, or already has {@code ;sf} or {@code ;key}
   *     (RFC 9421 section 2.1: {@code bs} cannot be combined with either)
   */
  public SignatureComponent bs() {
    requireField("bs");
    requireNot("sf", "bs");
    requireNot("key", "bs");
    return with("bs", new SfBoolean(true));
  }

  /**
   * This component of the request that a response answers ({@code ;req}).
   *
   * @return a new component, for response signatures only; this one is unchanged
   */
  public SignatureComponent req() {
    return with("req", new SfBoolean(true));
  }

  /**
   * Refuses, as {@link #fromIdentifier} does, a field-only parameter on a derived component (RFC 9421 section 2.2:
   * derived components take no {@code sf}, {@code key} or {@code bs}). The message names the component, never a
   * {@code key} value.
   */
  private void requireField(String param) {
    if (isDerived()) {
      throw new IllegalArgumentException("derived component " + shorten(name()) + " takes no " + param
          + " parameter");
    }
  }

  /** Refuses, as {@link #fromIdentifier} does, {@code added} on a component that already has {@code present}. */
  private void requireNot(String present, String added) {
    if (flag(present)) {
      throw new IllegalArgumentException("component " + shorten(name()) + " cannot combine " + added + " with "
          + present);
    }
  }

  private SignatureComponent with(String param, BareItem value) {
    Map<String, BareItem> params = new LinkedHashMap<>(identifier.parameters().map());
    params.put(param, value);
    return new SignatureComponent(new Item(identifier.value(), new Parameters(params)));
  }

  /**
   * The component's name: {@code @method}, or a lower-case field name.
   *
   * @return the name without its parameters
   */
  public String name() {
    return ((SfString) identifier.value()).value();
  }

  /**
   * Whether this is a derived component (its name starts with {@code @}).
   *
   * @return {@code true} for a derived component, {@code false} for a field
   */
  public boolean isDerived() {
    return name().startsWith("@");
  }

  boolean flag(String param) {
    return identifier.parameters().get(param).isPresent();
  }

  Optional<String> stringParam(String param) {
    return identifier.parameters().get(param).map(v -> ((SfString) v).value());
  }

  Item identifier() {
    return identifier;
  }

  /**
   * Reads a component identifier from a parsed {@code Signature-Input}, checking that it names a known derived
   * component or a field, that every parameter is understood and well-typed, and that no two parameters conflict.
   * The public factory methods refuse the same combinations, so a signer cannot cover what this refuses.
   */
  static SignatureComponent fromIdentifier(Item item) throws IntegrityException {
    if (!(item.value() instanceof SfString name)) {
      throw malformed("a covered component is not a string");
    }
    String n = name.value();
    if (n.isEmpty() || !n.equals(n.toLowerCase(Locale.ROOT))) {
      throw malformed("a covered component name is empty or not lower-case");
    }
    if (n.startsWith("@") && !DERIVED.contains(n)) {
      throw malformed("unknown derived component " + shorten(n));
    }
    for (Map.Entry<String, BareItem> p : item.parameters().map().entrySet()) {
      String key = p.getKey();
      if (!PARAMETERS.contains(key)) {
        throw malformed("component " + shorten(n) + " has an unknown parameter " + shorten(key));
      }
      boolean stringTyped = key.equals("key") || key.equals("name");
      if (stringTyped ? !(p.getValue() instanceof SfString) : !p.getValue().equals(new SfBoolean(true))) {
        throw malformed("component " + shorten(n) + " has a mistyped parameter " + key);
      }
    }
    SignatureComponent c = new SignatureComponent(item);
    boolean field = !c.isDerived();
    if (c.flag("tr")) {
      throw malformed("trailer components (;tr) are not supported");
    }
    if ((c.flag("sf") || c.flag("key") || c.flag("bs")) && !field) {
      throw malformed("derived component " + n + " takes no sf, key or bs parameter");
    }
    if (c.flag("bs") && (c.flag("sf") || c.flag("key"))) {
      throw malformed("component " + shorten(n) + " combines bs with sf or key");
    }
    if (n.equals("@query-param") != c.flag("name")) {
      throw malformed("the name parameter belongs to @query-param, which requires it");
    }
    return c;
  }

  private static IntegrityException malformed(String what) {
    return new IntegrityException(IntegrityException.Reason.MALFORMED, "Signature-Input: " + what);
  }

  static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** The identifier as it appears in a signature base, e.g. {@code "@query-param";name="Pet"}. */
  @Override
  public String toString() {
    return StructuredFields.serializeItem(identifier);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignatureComponent c && toString().equals(c.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
