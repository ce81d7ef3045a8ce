package dev.safeguards.crypto;

/**
 * What a keyset is for. Each purpose has its own keyset and its own file, so that no key ever serves two purposes.
 *
 * <table>
 *   <caption>Purposes and their Tink key types</caption>
 *   <tr><th>purpose</th><th>key type</th><th>used by</th></tr>
 *   <tr><td>{@link #FIELD_ENCRYPTION}</td><td>AES256_GCM</td><td>{@link FieldCipher}</td></tr>
 *   <tr><td>{@link #BLIND_INDEX}</td><td>HMAC_SHA256_PRF</td><td>{@link BlindIndex}</td></tr>
 *   <tr><td>{@link #STREAMING_ENCRYPTION}</td><td>AES256_GCM_HKDF_1MB</td><td>{@link StreamingCipher},
 *       {@link SealedArchive}</td></tr>
 *   <tr><td>{@link #RECORD_SIGNING_ED25519}</td><td>ED25519</td><td>{@code dev.safeguards.integrity.RecordSigner}</td></tr>
 *   <tr><td>{@link #RECORD_SIGNING_P256}</td><td>ECDSA_P256</td><td>{@code dev.safeguards.integrity.RecordSigner}</td></tr>
 *   <tr><td>{@link #RECORD_MAC}</td><td>HMAC_SHA256</td><td>{@code dev.safeguards.integrity.RecordSigner}</td></tr>
 *   <tr><td>{@link #TOKEN_SIGNING_ED25519}</td><td>ED25519</td><td>{@code dev.safeguards.authn.AccessTokenIssuer}</td></tr>
 *   <tr><td>{@link #TOKEN_SIGNING_P256}</td><td>ECDSA_P256</td><td>{@code dev.safeguards.authn.AccessTokenIssuer}</td></tr>
 * </table>
 *
 * <p>A {@link Keyring} holds the three encryption purposes; signing keysets are opened as
 * {@link ManagedKeyset}s of their own, since not every application signs records, and a verifier needs only the
 * public keys.
 */
public enum KeyPurpose {
  /** Per-field authenticated encryption (AES-256-GCM, 12-byte random nonce, 16-byte tag). */
  FIELD_ENCRYPTION("field-encryption", "AES256_GCM"),
  /** Keyed, deterministic tokens for equality search (HMAC-SHA256 used as a PRF). */
  BLIND_INDEX("blind-index", "HMAC_SHA256_PRF"),
  /** Streaming authenticated encryption of large objects (AES-256-GCM-HKDF, 1 MiB segments). */
  STREAMING_ENCRYPTION("streaming-encryption", "AES256_GCM_HKDF_1MB"),
  /** Signatures of records by their authors with Ed25519 (the default for signed records). */
  RECORD_SIGNING_ED25519("record-signing-ed25519", "ED25519"),
  /** Signatures of records by their authors with ECDSA over P-256 and SHA-256 (64-byte r||s signatures). */
  RECORD_SIGNING_P256("record-signing-p256", "ECDSA_P256"),
  /** MACs over records, for a single party that both writes and checks them (HMAC-SHA256). */
  RECORD_MAC("record-mac", "HMAC_SHA256"),
  /** Access tokens this application issues, signed with Ed25519 (JWS {@code EdDSA}). */
  TOKEN_SIGNING_ED25519("token-signing-ed25519", "ED25519"),
  /** Access tokens this application issues, signed with ECDSA P-256 (JWS {@code ES256}). */
  TOKEN_SIGNING_P256("token-signing-p256", "ECDSA_P256");

  /** Whether keys of this purpose make Ed25519 or ECDSA P-256 signatures. */
  boolean isSignature() {
    return this == RECORD_SIGNING_ED25519 || this == RECORD_SIGNING_P256 || this == TOKEN_SIGNING_ED25519
        || this == TOKEN_SIGNING_P256;
  }

  /** Whether keys of this purpose are Ed25519 (rather than ECDSA P-256). */
  boolean isEd25519() {
    return this == RECORD_SIGNING_ED25519 || this == TOKEN_SIGNING_ED25519;
  }

  private final String fileName;
  private final String keyType;

  KeyPurpose(String fileName, String keyType) {
    this.fileName = fileName;
    this.keyType = keyType;
  }

  /**
   * The name used in keyset files and file names, e.g. {@code field-encryption}.
   *
   * @return the lower-case, hyphenated name; {@link Keyring} names the file {@code <fileName>.keyset.json}
   */
  public String fileName() {
    return fileName;
  }

  /**
   * The Tink key type (parameters name) every key of this purpose has, e.g. {@code AES256_GCM}.
   *
   * @return the key type, as {@link KeyInfo#keyType()} and keyset files give it
   */
  public String keyType() {
    return keyType;
  }

  static KeyPurpose fromFileName(String name) {
    for (KeyPurpose p : values()) {
      if (p.fileName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown key purpose");
  }
}
