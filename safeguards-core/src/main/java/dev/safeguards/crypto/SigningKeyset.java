package dev.safeguards.crypto;

import java.util.function.Function;

/**
 * Signs data under the primary key of a record-signing {@link ManagedKeyset} and verifies signatures under the key
 * they name, with Tink (164.312(c)(2)).
 *
 * <p>Ed25519 and ECDSA P-256 signatures are the plain algorithm output (64 bytes; ECDSA as r||s), so any
 * implementation can verify them with the public keys of {@link #publicJwks()}; HMAC-SHA256 tags are 32 bytes and
 * can be checked only with the keyset itself. A disabled key no longer verifies. Instances are thread-safe and follow
 * the keyset's rotations.
 */
public interface SigningKeyset {

  /**
   * A signer and verifier over a keyset of purpose {@link KeyPurpose#RECORD_SIGNING_ED25519},
   * {@link KeyPurpose#RECORD_SIGNING_P256}, {@link KeyPurpose#RECORD_MAC}, {@link KeyPurpose#TOKEN_SIGNING_ED25519} or
   * {@link KeyPurpose#TOKEN_SIGNING_P256}.
   *
   * @param keyset the keyset whose primary key signs and whose enabled keys verify; its later changes apply at once;
   *     not null
   * @return the signer and verifier
   * @throws NullPointerException if {@code keyset} is null
   * @throws IllegalArgumentException for a keyset of any other purpose
   */
  static SigningKeyset create(ManagedKeyset keyset) {
    return TinkSigningKeyset.over(keyset);
  }

  /**
   * A verifier over the public keys of a JWK set (RFC 7517) such as {@link #publicJwks()} exports: Ed25519
   * ({@code "kty":"OKP","crv":"Ed25519"}) or P-256 ({@code "kty":"EC","crv":"P-256"}) keys whose {@code kid} is an
   * 8-hex-digit key id, all of one algorithm. It cannot sign.
   *
   * @param jwks the JWK set as JSON text; an {@code alg} member, if present, must be {@code EdDSA} or {@code ES256}
   *     to match the key; not null
   * @return a verifier over those keys: {@link #sign} and {@link #signNamingKey} throw, {@link #file()} is empty
   * @throws NullPointerException if {@code jwks} is null
   * @throws IllegalArgumentException if the set is malformed, empty, mixes algorithms, or holds another kind of key
   */
  static SigningKeyset fromPublicJwks(String jwks) {
    return TinkSigningKeyset.fromJwks(jwks);
  }

  /**
   * The algorithm: {@code Ed25519}, {@code ES256} or {@code HS256}.
   *
   * @return the name of the one algorithm every key of this keyset uses
   */
  String algorithm();

  /**
   * Signs {@code data} under the primary key.
   *
   * @param data the bytes to sign; not null
   * @return the signature (or MAC) and the id of the key that made it
   * @throws NullPointerException if {@code data} is null
   * @throws IllegalStateException if this keyset can only verify
   */
  KeyedSignature sign(byte[] data);

  /**
   * Signs data that names the signing key: {@code inputForKey} receives the id of the primary key and returns the
   * bytes to sign, which are then signed with exactly that key, even if the keyset rotates meanwhile.
   *
   * @param inputForKey called once, with the primary key's id; returns the bytes to sign, not null
   * @return the signature (or MAC) and the id of the key that made it, the one {@code inputForKey} received
   * @throws NullPointerException if {@code inputForKey} is null or returns null
   * @throws IllegalStateException if this keyset can only verify
   */
  KeyedSignature signNamingKey(Function<KeyId, byte[]> inputForKey);

  /**
   * Verifies a signature under the key it names. Returns normally only if the signature verifies.
   *
   * @param data the bytes that were signed; not null
   * @param signature the signature and the id of the key it names; only an enabled key of this keyset is used
   * @throws NullPointerException if an argument is null
   * @throws InvalidSignatureException if the key is unknown or disabled, or the signature does not verify
   */
  void verify(byte[] data, KeyedSignature signature) throws InvalidSignatureException;

  /**
   * The keyset file that holds the private keys (sealed), if this keyset can sign from one.
   *
   * @return the keyset file; empty for a keyset built from public keys
   */
  default java.util.Optional<java.nio.file.Path> file() {
    return java.util.Optional.empty();
  }

  /**
   * The enabled public keys as a JWK set, for verifiers elsewhere.
   *
   * @return JSON text {@code {"keys":[...]}}, one JWK per enabled key with {@code kty}, {@code crv}, {@code x} (and
   *     {@code y} for P-256), {@code kid} (the 8-hex-digit key id), {@code alg} ({@code EdDSA} or {@code ES256}) and
   *     {@code "use":"sig"}; never private key material
   * @throws IllegalStateException for an HMAC keyset, which has no public keys
   */
  String publicJwks();
}
