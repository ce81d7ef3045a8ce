package dev.safeguards.authn;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.authn.AuthenticationException.Reason;
import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import dev.safeguards.compliance.Weakness;
import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import dev.safeguards.internal.Identifiers;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.InvalidClaimException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.JwtParserBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TokenVerifier} on jjwt, with the checks jjwt leaves to the application done here. */
final class JjwtTokenVerifier implements TokenVerifier {

  private static final Logger LOG = LoggerFactory.getLogger(JjwtTokenVerifier.class);

  /** Headers that point at keys; never followed, and a token that carries one is refused. */
  private static final List<String> KEY_POINTER_HEADERS = List.of("jku", "x5u", "jwk", "x5c");
  private static final ObjectMapper HEADER_JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final TokenPolicy policy;
  private final VerifiedTokenCache cache;
  private final JwtParser parser;

  JjwtTokenVerifier(TokenPolicy policy) {
    this.policy = policy;
    this.cache = policy.verifiedTokenCache > 0 ? new VerifiedTokenCache(policy.verifiedTokenCache) : null;
    JwtParserBuilder b = Jwts.parser()
        .keyLocator(new KeyLocator())
        .clock(() -> Date.from(policy.clock.instant()))
        .clockSkewSeconds(policy.clockSkew.toSeconds())
        .requireIssuer(policy.issuer);
    b.sig().clear();
    for (JwsAlgorithm a : policy.algorithms) {
      b.sig().add(jjwt(a));
    }
    b.zip().clear();
    this.parser = b.build();
  }

  private static SecureDigestAlgorithm<?, ?> jjwt(JwsAlgorithm a) {
    return switch (a) {
      case EDDSA -> Jwts.SIG.EdDSA;
      case ES256 -> Jwts.SIG.ES256;
      case ES384 -> Jwts.SIG.ES384;
      case ES512 -> Jwts.SIG.ES512;
      case PS256 -> Jwts.SIG.PS256;
      case PS384 -> Jwts.SIG.PS384;
      case PS512 -> Jwts.SIG.PS512;
      case RS256 -> Jwts.SIG.RS256;
      case RS384 -> Jwts.SIG.RS384;
      case RS512 -> Jwts.SIG.RS512;
      case HS256 -> Jwts.SIG.HS256;
      case HS384 -> Jwts.SIG.HS384;
      case HS512 -> Jwts.SIG.HS512;
    };
  }

  @Override
  public Evidence evidence() {
    Evidence.Builder e = Evidence.of("TokenVerifier (jjwt)")
        .serves(Specification.UNIQUE_USER_IDENTIFICATION, Status.MET)
        .serves(Specification.PERSON_OR_ENTITY_AUTHENTICATION, Status.MET)
        .setting("issuer", policy.issuer)
        .setting("audience", policy.audience)
        .setting("algorithms", policy.algorithms.stream().map(a -> a.id()).sorted().toList())
        .setting("maxLifetime", policy.maxLifetime)
        .setting("maxAge", policy.maxAge)
        .setting("clockSkew", policy.clockSkew)
        .setting("requireMfa", policy.requireMfa)
        .setting("revocationList", policy.revocations.isPresent())
        .setting("refusedSubjects", (long) policy.refusedSubjects.size())
        .setting("verifiedTokenCache", (long) policy.verifiedTokenCache);
    if (!policy.requireMfa) {
      e.weakens(Specification.PERSON_OR_ENTITY_AUTHENTICATION, Status.PARTIALLY_MET,
          "tokens are accepted without a second factor (requireMfa is off)");
      e.weakness(Weakness.NO_MFA, "tokens are accepted without a second factor");
    }
    if (policy.maxLifetime.compareTo(Duration.ofHours(1)) > 0) {
      e.weakens(Specification.PERSON_OR_ENTITY_AUTHENTICATION, Status.PARTIALLY_MET,
          "tokens may live " + policy.maxLifetime + ", over one hour");
      e.weakness(Weakness.LONG_TOKEN_LIFETIME, "tokens may live " + policy.maxLifetime + ", over one hour");
    }
    return e.build();
  }

  @Override
  public Principal verify(String token) throws AuthenticationException {
    try {
      if (cache == null || token == null || token.length() > policy.maxTokenBytes) {
        return principal(claims(token));
      }
      VerifiedTokenCache.Key key = VerifiedTokenCache.key(token);
      Optional<VerifiedTokenCache.Entry> hit = cache.get(key);
      if (hit.isPresent()) {
        Optional<Principal> cached = stillValid(key, hit.get());
        if (cached.isPresent()) {
          return cached.get();
        }
      }
      // The key is looked up before the signature is checked: if it changes in between, the entry is bound to a key
      // that is no longer current, and its next hit verifies the token afresh.
      String kid = precheck(token);
      Optional<JsonWebKey> signer = kid == null ? Optional.empty() : policy.keys.find(kid);
      Claims claims = (Claims) parse(token, true);
      Principal principal = principal(claims);
      if (signer.isPresent()) {
        cache.put(key, new VerifiedTokenCache.Entry(principal, claims.getIssuedAt().toInstant(), signer.get()),
            policy.clock.instant());
      }
      return principal;
    } catch (AuthenticationException e) {
      LOG.info("token refused: {} ({})", e.reason(), e.getMessage());
      throw e;
    }
  }

  /**
   * A cached token: what time, a revocation or a change of keys may have changed since it was verified, checked again.
   * Empty when the key that verified it is no longer the key source's key for its kid: the token is then verified
   * afresh.
   */
  private Optional<Principal> stillValid(VerifiedTokenCache.Key key, VerifiedTokenCache.Entry entry)
      throws AuthenticationException {
    JsonWebKey bound = entry.key();
    Optional<JsonWebKey> current = policy.keys.find(bound.keyId());
    if (current.isEmpty() || current.get() != bound && !(current.get().key().equals(bound.key())
        && current.get().algorithm().equals(bound.algorithm()))) {
      cache.remove(key);
      return Optional.empty();
    }
    Instant now = policy.clock.instant();
    Principal p = entry.principal();
    if (p.expiresAt().plus(policy.clockSkew).isBefore(now)
        || entry.issuedAt().plus(policy.maxAge).plus(policy.clockSkew).isBefore(now)) {
      cache.remove(key);
      throw new AuthenticationException(Reason.EXPIRED, "token outside its validity (cached)");
    }
    checkRevoked(p.tokenId(), p.sessionId());
    return Optional.of(p);
  }

  private void checkRevoked(Optional<String> jti, Optional<String> sid) throws AuthenticationException {
    if (policy.revocations.isPresent()) {
      RevocationList list = policy.revocations.get();
      if (jti.map(j -> "jti:" + j).filter(list::isRevoked).isPresent()
          || sid.map(s -> "sid:" + s).filter(list::isRevoked).isPresent()) {
        throw new AuthenticationException(Reason.REVOKED, "token or session revoked");
      }
    }
  }

  /**
   * Checks only the JWS layer of {@code jws} (header policy, key, signature), whatever its payload: the path the
   * Wycheproof JWS vectors exercise.
   */
  void verifySignature(String jws) throws AuthenticationException {
    claimsOrContent(jws, false);
  }

  private Claims claims(String token) throws AuthenticationException {
    return (Claims) claimsOrContent(token, true);
  }

  private Object claimsOrContent(String token, boolean claimsRequired) throws AuthenticationException {
    precheck(token);
    return parse(token, claimsRequired);
  }

  /**
   * The checks before any cryptography: size, three canonical base64url parts, and the header ({@link #checkHeader}).
   *
   * @return the header's {@code kid}, or null if it names none
   */
  private String precheck(String token) throws AuthenticationException {
    if (token == null || token.isBlank()) {
      throw new AuthenticationException(Reason.MISSING, "no token");
    }
    if (token.length() > policy.maxTokenBytes
        || token.getBytes(StandardCharsets.UTF_8).length > policy.maxTokenBytes) {
      throw new AuthenticationException(Reason.MALFORMED, "token larger than " + policy.maxTokenBytes + " bytes");
    }
    if (dots(token) != 2) {
      throw new AuthenticationException(Reason.MALFORMED, "not a compact JWS (three dot-separated parts)");
    }
    String[] parts = token.split("\\.", -1);
    for (int i = 0; i < 3; i++) {
      if (!isCanonicalBase64Url(parts[i]) || (i != 1 && parts[i].isEmpty())) {
        throw new AuthenticationException(Reason.MALFORMED, "part " + (i + 1)
            + " is not canonical unpadded base64url");
      }
    }
    return checkHeader(parts[0]);
  }

  /** The signature and the claims jjwt checks, after {@link #precheck}. */
  private Object parse(String token, boolean claimsRequired) throws AuthenticationException {
    try {
      if (claimsRequired) {
        Jws<Claims> jws = parser.parseSignedClaims(token);
        return jws.getPayload();
      }
      Object parsed = parser.parse(token);
      if (!(parsed instanceof Jws<?> jws)) {
        throw new AuthenticationException(Reason.UNACCEPTABLE_HEADER, "not a signed token");
      }
      return jws.getPayload();
    } catch (Refusal r) {
      throw r.refusal;
    } catch (ExpiredJwtException | PrematureJwtException e) {
      throw new AuthenticationException(Reason.EXPIRED, "token outside its validity (" + simple(e) + ")");
    } catch (io.jsonwebtoken.security.SignatureException e) {
      throw new AuthenticationException(Reason.INVALID_SIGNATURE, "signature does not verify (" + simple(e) + ")");
    } catch (InvalidClaimException e) {
      throw new AuthenticationException(Reason.INVALID_CLAIMS, "claim " + claimName(e) + " missing or not accepted");
    } catch (UnsupportedJwtException e) {
      throw new AuthenticationException(Reason.UNACCEPTABLE_HEADER, "unsigned or unsupported token (" + simple(e)
          + ")");
    } catch (io.jsonwebtoken.security.SecurityException e) {
      throw new AuthenticationException(Reason.UNKNOWN_KEY, "the key does not fit the token (" + simple(e) + ")");
    } catch (JwtException | IllegalArgumentException e) {
      throw new AuthenticationException(Reason.MALFORMED, "malformed token (" + simple(e) + ")");
    }
  }

  private static int dots(String token) {
    int dots = 0;
    for (int i = 0; i < token.length(); i++) {
      if (token.charAt(i) == '.') {
        dots++;
      }
    }
    return dots;
  }

  /**
   * Only the base64url alphabet, no padding, and no stray bits: a lenient decoder would map several strings to the
   * same bytes, and the signature covers the string.
   */
  static boolean isCanonicalBase64Url(String part) {
    int last = 0;
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        last = c - 'A';
      } else if (c >= 'a' && c <= 'z') {
        last = c - 'a' + 26;
      } else if (c >= '0' && c <= '9') {
        last = c - '0' + 52;
      } else if (c == '-') {
        last = 62;
      } else if (c == '_') {
        last = 63;
      } else {
        return false;
      }
    }
    // The last character of a partial group carries bits beyond the data: 4 of them after 2 characters, 2 after 3.
    // They must be zero; a lone character cannot encode a byte.
    return switch (part.length() % 4) {
      case 1 -> false;
      case 2 -> (last & 0x0f) == 0;
      case 3 -> (last & 0x03) == 0;
      default -> true;
    };
  }


  /**
   * Refuses, before any cryptography, a header whose algorithm is not accepted or that carries anything this policy
   * never honours: key pointers ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}), critical parameters, compression,
   * or the wrong {@code typ}.
   */
  private String checkHeader(String encoded) throws AuthenticationException {
    JsonNode header;
    try {
      header = HEADER_JSON.readTree(Base64.getUrlDecoder().decode(encoded));
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new AuthenticationException(Reason.MALFORMED, "the header is not base64url JSON");
    }
    if (header == null || !header.isObject()) {
      throw new AuthenticationException(Reason.MALFORMED, "the header is not a JSON object");
    }
    for (String pointer : KEY_POINTER_HEADERS) {
      if (header.has(pointer)) {
        throw new AuthenticationException(Reason.UNACCEPTABLE_HEADER, "the token carries a " + pointer
            + " header, which is never followed");
      }
    }
    if (header.has("crit") || header.has("zip")) {
      throw new AuthenticationException(Reason.UNACCEPTABLE_HEADER, "the token has a "
          + (header.has("crit") ? "crit" : "zip") + " header, which this policy does not accept");
    }
    JsonNode alg = header.get("alg");
    Optional<JwsAlgorithm> algorithm = alg != null && alg.isTextual() ? JwsAlgorithm.forId(alg.textValue())
        : Optional.empty();
    if (algorithm.isEmpty() || !policy.algorithms.contains(algorithm.get())) {
      throw new AuthenticationException(Reason.UNACCEPTABLE_HEADER, "algorithm "
          + JwkSets.shorten(String.valueOf(alg)) + " is not accepted");
    }
    if (policy.type.isPresent()) {
      String typ = header.path("typ").asText("").toLowerCase(Locale.ROOT);
      String expected = policy.type.get();
      if (!typ.equals(expected) && !typ.equals("application/" + expected)) {
        throw new AuthenticationException(Reason.UNACCEPTABLE_HEADER, "the token type is not " + expected);
      }
    }
    JsonNode kid = header.get("kid");
    return kid != null && kid.isTextual() ? kid.textValue() : null;
  }

  private Principal principal(Claims claims) throws AuthenticationException {
    Instant now = policy.clock.instant();
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new AuthenticationException(Reason.INVALID_SUBJECT, "no subject");
    }
    if (policy.refusedSubjects.contains(subject)) {
      throw new AuthenticationException(Reason.INVALID_SUBJECT, "the subject is a shared account");
    }
    Set<String> audiences = strings(claims.get("aud"));
    boolean forUs = audiences.contains(policy.audience) || (audiences.isEmpty() && policy.clientIdAsAudience
        && policy.audience.equals(claims.get("client_id")));
    if (!forUs) {
      throw new AuthenticationException(Reason.INVALID_CLAIMS, "claim aud missing or not accepted");
    }
    Date exp = claims.getExpiration();
    Date iat = claims.getIssuedAt();
    if (exp == null || iat == null) {
      throw new AuthenticationException(Reason.INVALID_CLAIMS, "claim " + (exp == null ? "exp" : "iat") + " missing");
    }
    Instant issued = iat.toInstant();
    Instant expires = exp.toInstant();
    if (issued.isAfter(now.plus(policy.clockSkew))) {
      throw new AuthenticationException(Reason.EXPIRED, "issued in the future");
    }
    if (issued.plus(policy.maxAge).plus(policy.clockSkew).isBefore(now)) {
      throw new AuthenticationException(Reason.EXPIRED, "older than " + policy.maxAge);
    }
    if (expires.isAfter(issued.plus(policy.maxLifetime))) {
      throw new AuthenticationException(Reason.INVALID_CLAIMS, "lifetime longer than " + policy.maxLifetime);
    }
    Set<String> amr = strings(claims.get("amr"));
    if (policy.requireMfa && amr.stream().noneMatch(TokenPolicy.SECOND_FACTOR_METHODS::contains)
        && !policy.acceptedAcr.contains(String.valueOf(claims.get("acr")))) {
      throw new AuthenticationException(Reason.INSUFFICIENT_AUTHENTICATION, "no second factor in amr or acr");
    }
    // Every attribute the principal carries into sessions, logs and audit events is checked here, so that a token
    // the audit log could not name is refused now (401) rather than failing the request after it acted.
    Optional<String> jti = identifier(claims, "jti");
    if (jti.isEmpty()) {
      jti = identifier(claims, "uti"); // Entra ID names its token id uti
    }
    Optional<String> sid = identifier(claims, "sid");
    if (jti.isEmpty() && sid.isEmpty()) {
      throw new AuthenticationException(Reason.INVALID_CLAIMS, "neither sid nor jti: the session cannot be tracked");
    }
    checkRevoked(jti, sid);
    UserId user = policy.subjects.userId(policy.issuer, subject).orElseThrow(() ->
        new AuthenticationException(Reason.INVALID_SUBJECT, "the subject does not map to a user id"));
    Instant authTime = authTime(claims.get("auth_time"), issued);
    Set<String> scopes = strings(claims.get("scope"));
    scopes.addAll(strings(claims.get("scp")));
    Optional<String> client = identifier(claims, "client_id");
    if (client.isEmpty()) {
      client = identifier(claims, "azp");
    }
    Set<String> roles = strings(path(claims, policy.rolesClaim));
    if (roles.size() > Identifiers.MAX_NAMES) {
      throw new AuthenticationException(Reason.INVALID_CLAIMS, "more than " + Identifiers.MAX_NAMES + " roles");
    }
    for (String role : roles) {
      try {
        Identifiers.name("role", role, 256);
      } catch (IllegalArgumentException e) {
        throw new AuthenticationException(Reason.INVALID_CLAIMS, "claim " + String.join(".", policy.rolesClaim)
            + " holds a role that is not printable text of at most 256 characters");
      }
    }
    return new Principal(user, roles, scopes, amr, authTime, sid, client, jti, expires);
  }

  /** A claim that must be an identifier (1 to 256 visible ASCII characters) when present. */
  private static Optional<String> identifier(Claims claims, String name) throws AuthenticationException {
    Object value = claims.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String s)) {
      throw new AuthenticationException(Reason.INVALID_CLAIMS, "claim " + name + " is not a string");
    }
    try {
      return Optional.of(Identifiers.check(name, s, 256));
    } catch (IllegalArgumentException e) {
      throw new AuthenticationException(Reason.INVALID_CLAIMS,
          "claim " + name + " is not 1 to 256 visible ASCII characters");
    }
  }

  /** {@code auth_time}: a NumericDate, not before 1970 and not after the token was issued; the issue time if absent. */
  private Instant authTime(Object value, Instant issued) throws AuthenticationException {
    if (value == null) {
      return issued;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new AuthenticationException(Reason.INVALID_CLAIMS, "claim auth_time is not an integer NumericDate");
    }
    long seconds = ((Number) value).longValue();
    if (seconds < 0 || seconds > issued.getEpochSecond()) { // a login after the token it issued: refused
      throw new AuthenticationException(Reason.INVALID_CLAIMS, "claim auth_time is out of range");
    }
    return Instant.ofEpochSecond(seconds);
  }

  private static Object path(Map<String, ?> claims, List<String> path) {
    Object value = claims;
    for (String part : path) {
      value = value instanceof Map<?, ?> m ? m.get(part) : null;
    }
    return value;
  }

  /** An array of strings, or one space-separated string, as a set; anything else is empty. */
  private static Set<String> strings(Object value) {
    Set<String> out = new LinkedHashSet<>();
    if (value instanceof String s) {
      for (String part : s.trim().split("\\s+")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    } else if (value instanceof Collection<?> c) {
      for (Object o : c) {
        if (o instanceof String s && !s.isBlank()) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private static Optional<String> text(Object value) {
    return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
  }

  private static String simple(Exception e) {
    return e.getClass().getSimpleName();
  }

  private static String claimName(Exception e) {
    if (e instanceof InvalidClaimException ice && ice.getClaimName() != null) {
      return ice.getClaimName();
    }
    return "(unnamed)";
  }

  /** Carries our refusal out of jjwt's key locator, which cannot throw checked exceptions. */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient AuthenticationException refusal;

    Refusal(AuthenticationException refusal) {
      super(refusal.getMessage(), null, false, false);
      this.refusal = refusal;
    }
  }

  /** Chooses the key for a token, and refuses tokens whose header must not be trusted. */
  private final class KeyLocator extends LocatorAdapter<Key> {
    @Override
    protected Key locate(JwsHeader header) {
      try {
        return find(header);
      } catch (AuthenticationException e) {
        throw new Refusal(e);
      }
    }

    private Key find(JwsHeader header) throws AuthenticationException {
      // checkHeader has vetted the header; jjwt hands over the same one.
      JwsAlgorithm alg = JwsAlgorithm.forId(header.getAlgorithm()).orElseThrow(() ->
          new AuthenticationException(Reason.UNACCEPTABLE_HEADER, "algorithm not accepted"));
      String kid = header.getKeyId();
      if (kid == null || kid.isEmpty()) {
        throw new AuthenticationException(Reason.UNKNOWN_KEY, "the token names no kid");
      }
      JsonWebKey key = policy.keys.find(kid).orElseThrow(() -> new AuthenticationException(Reason.UNKNOWN_KEY,
          "unknown kid " + JwkSets.shorten(kid)));
      if (key.algorithm().isPresent() && key.algorithm().get() != alg) {
        throw new AuthenticationException(Reason.UNKNOWN_KEY, "key " + JwkSets.shorten(kid) + " is bound to "
            + key.algorithm().get().id() + ", not " + alg.id());
      }
      Optional<String> problem = alg.unsuitable(key.key());
      if (problem.isPresent()) {
        throw new AuthenticationException(Reason.UNKNOWN_KEY, "key " + JwkSets.shorten(kid) + ": " + problem.get());
      }
      // A shared secret from a JWK carries no HMAC algorithm name; give it the one of the vetted algorithm.
      return alg.isSymmetric() ? new SecretKeySpec(key.key().getEncoded(), "HmacSHA" + alg.id().substring(2))
          : key.key();
    }
  }
}
