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
   * @throws IllegalArgumentException if the set is malformed, empty, mixes algorithms, or holds another kind of key
   */
  static SigningKeyset fromPublicJwks(String jwks) {
    return TinkSigningKeyset.fromJwks(jwks);
  }

  /** The algorithm: {@code Ed25519}, {@code ES256} or {@code HS256}. */
  String algorithm();

  /**
   * Signs {@code data} under the primary key.
   *
   * @throws IllegalStateException if this keyset can only verify
   */
  KeyedSignature sign(byte[] data);

  /**
   * Signs data that names the signing key: {@code inputForKey} receives the id of the primary key and returns the
   * bytes to sign, which are then signed with exactly that key, even if the keyset rotates meanwhile.
   *
   * @throws IllegalStateException if this keyset can only verify
   */
  KeyedSignature signNamingKey(Function<KeyId, byte[]> inputForKey);

  /**
   * Verifies a signature under the key it names.
   *
   * @throws InvalidSignatureException if the key is unknown or disabled, or the signature does not verify
   */
  void verify(byte[] data, KeyedSignature signature) throws InvalidSignatureException;

  /** The keyset file that holds the private keys (sealed), if this keyset can sign from one. */
  default java.util.Optional<java.nio.file.Path> file() {
    return java.util.Optional.empty();
  }

  /**
   * The enabled public keys as a JWK set, for verifiers elsewhere.
   *
   * @throws IllegalStateException for an HMAC keyset, which has no public keys
   */
  String publicJwks();
}
