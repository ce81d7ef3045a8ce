package dev.safeguards.integrity;

import dev.safeguards.http.HttpMessageView;
import dev.safeguards.http.HttpRequestView;
import dev.safeguards.http.HttpResponseView;
import dev.safeguards.integrity.internal.StructuredFields;
import dev.safeguards.integrity.internal.StructuredFields.BareItem;
import dev.safeguards.integrity.internal.StructuredFields.InnerList;
import dev.safeguards.integrity.internal.StructuredFields.Item;
import dev.safeguards.integrity.internal.StructuredFields.Member;
import dev.safeguards.integrity.internal.StructuredFields.Parameters;
import dev.safeguards.integrity.internal.StructuredFields.SfBytes;
import dev.safeguards.integrity.internal.StructuredFields.SfInteger;
import dev.safeguards.integrity.internal.StructuredFields.SfString;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Creates RFC 9421 HTTP Message Signatures (164.312(e)(2)(i) transmission integrity).
 *
 * <p>Every signature carries {@code created} and {@code keyid}; by default it also carries a random 128-bit
 * {@code nonce} (so that a verifier can refuse replays) and no {@code expires}. The signature parameters appear in
 * the order {@code created}, {@code expires}, {@code keyid}, {@code alg}, {@code nonce}, {@code tag}. Instances are
 * immutable and thread-safe.
 */
public final class HttpMessageSigner {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpSigningKey key;
  private final String label;
  private final List<SignatureComponent> components;
  private final Clock clock;
  private final Optional<Duration> expiresAfter;
  private final boolean includeAlgorithm;
  private final Optional<Supplier<String>> nonces;
  private final Optional<String> tag;

  private HttpMessageSigner(Builder b) {
    this.key = b.key;
    this.label = b.label;
    this.components = List.copyOf(b.components);
    this.clock = b.clock;
    this.expiresAfter = b.expiresAfter;
    this.includeAlgorithm = b.includeAlgorithm;
    this.nonces = b.nonces;
    this.tag = b.tag;
  }

  /**
   * Starts configuring a signer that signs with {@code key}.
   *
   * @param key the key, which fixes the algorithm and the {@code keyid}; not null
   * @return a builder with the defaults: label {@code sig1}, no covered component, the system UTC clock, a random
   *     nonce, no {@code expires}, {@code alg} or {@code tag}
   * @throws NullPointerException if {@code key} is null
   */
  public static Builder builder(HttpSigningKey key) {
    return new Builder(key);
  }

  /**
   * Signs a request.
   *
   * @param request the request as it will be sent; not null
   * @return the {@code Signature-Input} and {@code Signature} members to add to it
   * @throws IntegrityException if a covered component is absent or cannot enter a signature base
   * @throws IllegalStateException if the JDK cannot sign with the key
   */
  public SignatureFields sign(HttpRequestView request) throws IntegrityException {
    return sign(request, null);
  }

  /**
   * Signs a response; {@code request} is the request it answers, needed only for {@code ;req} components.
   *
   * @param response the response as it will be sent; not null
   * @param request the request it answers; may be null when no component has {@code ;req}
   * @return the {@code Signature-Input} and {@code Signature} members to add to it
   * @throws IntegrityException if a covered component is absent or cannot enter a signature base
   * @throws IllegalStateException if the JDK cannot sign with the key
   */
  public SignatureFields sign(HttpResponseView response, HttpRequestView request) throws IntegrityException {
    return sign((HttpMessageView) response, request);
  }

  private SignatureFields sign(HttpMessageView message, HttpRequestView request) throws IntegrityException {
    long created = clock.instant().getEpochSecond();
    Map<String, BareItem> params = new LinkedHashMap<>();
    params.put("created", new SfInteger(created));
    expiresAfter.ifPresent(d -> params.put("expires", new SfInteger(created + d.toSeconds())));
    params.put("keyid", new SfString(key.keyId()));
    if (includeAlgorithm) {
      params.put("alg", new SfString(key.algorithm().identifier()));
    }
    nonces.ifPresent(n -> params.put("nonce", new SfString(n.get())));
    tag.ifPresent(t -> params.put("tag", new SfString(t)));
    List<Item> identifiers = new ArrayList<>();
    components.forEach(c -> identifiers.add(c.identifier()));
    InnerList signatureParams = new InnerList(identifiers, new Parameters(params));

    byte[] base = SignatureBase.build(message, request, components, signatureParams);
    byte[] signature;
    try {
      signature = key.algorithm().sign(key.key(), base);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK could not sign with " + key, e);
    }
    Map<String, Member> input = Map.of(label, signatureParams);
    Map<String, Member> value = Map.of(label, Item.of(new SfBytes(signature)));
    return new SignatureFields(label, StructuredFields.serializeDictionary(input),
        StructuredFields.serializeDictionary(value));
  }

  /** A random nonce: 16 bytes, unpadded base64url. */
  static String randomNonce() {
    byte[] n = new byte[16];
    RANDOM.nextBytes(n);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(n);
  }

  /** Configures an {@link HttpMessageSigner}. */
  public static final class Builder {
    private final HttpSigningKey key;
    private String label = "sig1";
    private List<SignatureComponent> components = List.of();
    private Clock clock = Clock.systemUTC();
    private Optional<Duration> expiresAfter = Optional.empty();
    private boolean includeAlgorithm;
    private Optional<Supplier<String>> nonces = Optional.of(HttpMessageSigner::randomNonce);
    private Optional<String> tag = Optional.empty();

    private Builder(HttpSigningKey key) {
      this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * The signature's label (default {@code sig1}).
     *
     * @param label a structured-field key: a lower-case letter or {@code *}, then lower-case letters, digits and
     *     {@code _-.*}; not null
     * @return this builder
     * @throws NullPointerException if {@code label} is null
     * @throws IllegalArgumentException unless it is a structured-field key (lower-case letters, digits, {@code _-.*})
     */
    public Builder label(String label) {
      try {
        StructuredFields.serializeDictionary(Map.of(label, Item.of(new SfInteger(0))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a signature label is a structured-field key", e);
      }
      this.label = label;
      return this;
    }

    /**
     * The components to cover, in order. Covering nothing is allowed by RFC 9421 but discouraged: such a signature can
     * be moved to any message.
     *
     * @param components the components, in the order they enter the signature base; none null; replaces any set
     *     before
     * @return this builder
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a component repeats
     */
    public Builder components(SignatureComponent... components) {
      List<SignatureComponent> list = List.of(components);
      if (list.stream().distinct().count() != list.size()) {
        throw new IllegalArgumentException("a component is listed twice");
      }
      this.components = list;
      return this;
    }

    /**
     * The clock that dates signatures (default: the system UTC clock).
     *
     * @param clock gives {@code created}, in whole seconds; not null
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Adds {@code expires}, this long after {@code created}.
     *
     * @param lifetime how long a signature stays valid; counted in whole seconds (a fraction is dropped); not null
     * @return this builder
     * @throws NullPointerException if {@code lifetime} is null
     * @throws IllegalArgumentException unless at least one second
     */
    public Builder expiresAfter(Duration lifetime) {
      if (lifetime.toSeconds() < 1) {
        throw new IllegalArgumentException("a signature lifetime is at least one second");
      }
      this.expiresAfter = Optional.of(lifetime);
      return this;
    }

    /**
     * Adds the {@code alg} parameter naming the key's algorithm.
     *
     * @return this builder
     */
    public Builder includeAlgorithm() {
      this.includeAlgorithm = true;
      return this;
    }

    /**
     * Takes each signature's nonce from {@code nonces} instead of the default random one.
     *
     * @param nonces called once per signature, from any thread that signs; must return a fresh value of printable
     *     ASCII characters each time, or signing fails; not null
     * @return this builder
     * @throws NullPointerException if {@code nonces} is null
     */
    public Builder nonces(Supplier<String> nonces) {
      this.nonces = Optional.of(Objects.requireNonNull(nonces, "nonces"));
      return this;
    }

    /**
     * Leaves the nonce out; verifiers then cannot detect a replayed signature within its validity.
     *
     * @return this builder
     */
    public Builder withoutNonceAllowingReplay() {
      this.nonces = Optional.empty();
      return this;
    }

    /**
     * Adds an application-specific {@code tag} parameter.
     *
     * @param tag the tag; printable ASCII, not null
     * @return this builder
     * @throws NullPointerException if {@code tag} is null
     * @throws IllegalArgumentException if it holds a character outside printable ASCII
     */
    public Builder tag(String tag) {
      new SfString(Objects.requireNonNull(tag, "tag"));
      this.tag = Optional.of(tag);
      return this;
    }

    /**
     * Builds the signer.
     *
     * @return a new, immutable signer with the settings so far
     */
    public HttpMessageSigner build() {
      return new HttpMessageSigner(this);
    }
  }
}
