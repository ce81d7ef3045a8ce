package dev.safeguards.authn;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where a {@link TokenVerifier} finds the key a token's {@code kid} names: the SPI behind token verification.
 *
 * <p>Keys come only from here: the {@code jku}, {@code x5u}, {@code jwk} and {@code x5c} headers of a token are never
 * followed. Implementations return only keys the application trusts.
 */
@FunctionalInterface
public interface JwkSource {

  /**
   * The trusted key with this id, if any.
   *
   * @param keyId the token header's {@code kid}, as received
   * @return the key; empty if no trusted key has that id
   * @throws AuthenticationException ({@code KEYS_UNAVAILABLE}) if the keys cannot be obtained now
   */
  Optional<JsonWebKey> find(String keyId) throws AuthenticationException;

  /**
   * A fixed JWK set of public keys (RFC 7517), e.g. exported by a {@code SigningKeyset} or copied from an identity
   * provider.
   *
   * @param jwksJson the JWK set, {@code {"keys":[...]}}, parsed once now
   * @return a source that finds keys in that set only
   * @throws IllegalArgumentException if the set is malformed, repeats a kid, or holds private keys or shared secrets
   *     (keys for encryption, with an unknown {@code alg} or too weak for it are left out, with a warning)
   */
  static JwkSource of(String jwksJson) {
    Map<String, JsonWebKey> keys = JwkSets.parse(jwksJson, false);
    return keyId -> Optional.ofNullable(keys.get(keyId));
  }

  /**
   * A fixed JWK set that may hold shared secrets ({@code "kty":"oct"}) for HS256/384/512, which a
   * {@link TokenPolicy} accepts only after {@link TokenPolicy.Builder#allowHmacAlgorithmsWithSharedSecrets()}.
   * Keep such a set as secret as the secrets in it.
   *
   * @param jwksJson the JWK set, {@code {"keys":[...]}}, parsed once now
   * @return a source that finds keys in that set only
   * @throws IllegalArgumentException if the set is malformed, repeats a kid, holds private asymmetric keys, mixes
   *     shared secrets with public keys, or holds a secret shorter than its HMAC algorithm needs (256 bits for HS256)
   */
  static JwkSource ofIncludingSharedSecrets(String jwksJson) {
    Map<String, JsonWebKey> keys = JwkSets.parse(jwksJson, true);
    return keyId -> Optional.ofNullable(keys.get(keyId));
  }

  /**
   * Starts configuring a source that fetches an identity provider's JWKS URL, which is the one URL it will use.
   *
   * @param jwksUri the identity provider's JWKS URL
   * @return a new builder
   */
  static RemoteJwkSource.Builder remote(URI jwksUri) {
    return RemoteJwkSource.builder(jwksUri);
  }
}
