package dev.safeguards.authn;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.Jwks;
import java.io.IOException;
import java.security.Key;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a JWK set (RFC 7517) into verification keys, strictly: duplicate member names or key ids, private key
 * material, shared secrets (unless allowed) and sets mixing shared secrets with public keys refuse the whole set; keys meant for encryption, with an unknown
 * algorithm, or too weak for their algorithm are left out with a warning.
 */
final class JwkSets {

  private static final Logger LOG = LoggerFactory.getLogger(JwkSets.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth");

  private JwkSets() {}

  /**
   * Parses a JWK set.
   *
   * @throws IllegalArgumentException if the set is malformed, repeats a key id, holds private key material, or holds a
   *     shared secret without {@code allowSharedSecrets}; the message never holds key material
   */
  static Map<String, JsonWebKey> parse(String json, boolean allowSharedSecrets) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("the JWK set is not valid JSON (or repeats a member name)");
    }
    if (root == null || !root.isObject() || !root.path("keys").isArray()) {
      throw new IllegalArgumentException("a JWK set is an object with a \"keys\" array");
    }
    Map<String, JsonWebKey> keys = new LinkedHashMap<>();
    boolean secrets = false;
    boolean publicKeys = false;
    for (JsonNode jwk : root.get("keys")) {
      if (!jwk.isObject() || !jwk.path("kid").isTextual() || jwk.get("kid").textValue().isEmpty()) {
        throw new IllegalArgumentException("every key of the JWK set needs a kid");
      }
      String kid = jwk.get("kid").textValue();
      if (keys.containsKey(kid)) {
        throw new IllegalArgumentException("the JWK set repeats the kid " + shorten(kid));
      }
      boolean symmetric = "oct".equals(jwk.path("kty").asText());
      secrets |= symmetric;
      publicKeys |= !symmetric;
      if (secrets && publicKeys) {
        throw new IllegalArgumentException("the JWK set mixes shared secrets and public keys; keep them apart");
      }
      if (!symmetric && PRIVATE_MEMBERS.stream().anyMatch(jwk::has)) {
        throw new IllegalArgumentException("the JWK set holds private key material (kid " + shorten(kid)
            + "): publish public keys only");
      }
      if (symmetric && !allowSharedSecrets) {
        throw new IllegalArgumentException("the JWK set holds a shared secret (kid " + shorten(kid)
            + "), which this key source does not accept");
      }
      if (symmetric) {
        checkSecretLength(kid, jwk);
      }
      keys.put(kid, readKey(kid, jwk).orElse(null)); // a left-out key still claims its kid
    }
    Map<String, JsonWebKey> usable = new LinkedHashMap<>();
    keys.forEach((kid, key) -> {
      if (key != null) {
        usable.put(kid, key);
      }
    });
    return Map.copyOf(usable);
  }

  /**
   * Refuses, when the set is loaded, a shared secret too short for HS256 (RFC 7518 section 3.2: at least 256 bits),
   * or for the HMAC algorithm its {@code alg} names, so that a weak secret fails at start-up rather than per request.
   */
  private static void checkSecretLength(String kid, JsonNode jwk) {
    byte[] secret;
    try {
      secret = java.util.Base64.getUrlDecoder().decode(jwk.path("k").asText(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the shared secret (kid " + shorten(kid) + ") is not base64url");
    }
    int bits = secret.length * 8;
    java.util.Arrays.fill(secret, (byte) 0);
    String alg = jwk.path("alg").asText("HS256");
    int needed = switch (alg) {
      case "HS384" -> 384;
      case "HS512" -> 512;
      default -> 256;
    };
    if (bits < needed) {
      throw new IllegalArgumentException("the shared secret (kid " + shorten(kid) + ") has " + bits + " bits; "
          + (alg.startsWith("HS") ? alg : "HS256") + " needs at least " + needed);
    }
  }

  /** The key, or empty (with a warning) if it is not for signatures or not usable. */
  private static Optional<JsonWebKey> readKey(String kid, JsonNode jwk) {
    String use = jwk.path("use").asText("sig");
    if (!use.equals("sig")) {
      return skip(kid, "its use is not sig");
    }
    if (jwk.has("key_ops")) {
      boolean verify = false;
      for (JsonNode op : jwk.get("key_ops")) {
        verify |= op.asText().equals("verify");
      }
      if (!verify) {
        return skip(kid, "its key_ops do not include verify");
      }
    }
    Optional<JwsAlgorithm> alg = Optional.empty();
    if (jwk.has("alg")) {
      alg = JwsAlgorithm.forId(jwk.get("alg").asText());
      if (alg.isEmpty()) {
        return skip(kid, "its alg is not a JWS algorithm this library accepts");
      }
    }
    Key key;
    try {
      Jwk<?> parsed = Jwks.parser().build().parse(jwk.toString());
      key = parsed.toKey();
    } catch (RuntimeException e) {
      return skip(kid, "it is not a valid key (" + e.getClass().getSimpleName() + ")");
    }
    if (!(key instanceof PublicKey) && !(key instanceof SecretKey)) {
      return skip(kid, "it is not a public key");
    }
    if (alg.isPresent()) {
      Optional<String> problem = alg.get().unsuitable(key);
      if (problem.isPresent()) {
        return skip(kid, problem.get());
      }
    }
    return Optional.of(new JsonWebKey(kid, alg, key));
  }

  private static Optional<JsonWebKey> skip(String kid, String why) {
    LOG.warn("JWK {} left out: {}", shorten(kid), why);
    return Optional.empty();
  }

  static String shorten(String s) {
    String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
  }
}
