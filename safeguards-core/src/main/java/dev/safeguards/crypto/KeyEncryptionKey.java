package dev.safeguards.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;
import dev.safeguards.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The key-encryption key (KEK) that seals every keyset file (164.312(a)(2)(iv)).
 *
 * <p>Two kinds exist. A <b>local master key</b> is 32 random bytes, kept in a file readable only by the service
 * account or in an environment variable, in the text form {@code sg-master-key-v1:} followed by the unpadded base64url
 * encoding of the bytes (see docs/encryption.md). A <b>KMS key</b> is any Tink {@link Aead} backed by a key management
 * service (AWS KMS, Google Cloud KMS, HashiCorp Vault, through Tink's own extensions); the key never leaves the KMS.
 *
 * <p>A KEK only wraps keysets: field data is never encrypted under it directly, so a KMS is called when a keyset is
 * loaded or changed, not per value. {@link #toString()} describes the key's source and never its material.
 */
public final class KeyEncryptionKey {

  /** The text prefix of a local master key. */
  public static final String MASTER_KEY_PREFIX = "sg-master-key-v1:";

  private static final int MASTER_KEY_BYTES = 32;

  private final Aead aead;
  private final String description;

  private KeyEncryptionKey(Aead aead, String description) {
    this.aead = aead;
    this.description = description;
  }

  /**
   * Generates a new local master key into {@code file}, readable and writable by its owner only.
   *
   * @param file where to write the key's text form; must not exist; its directory is created if missing; not null
   * @return the new key
   * @throws NullPointerException if {@code file} is null
   * @throws MasterKeyException if the file already exists (a master key is never overwritten) or cannot be written
   */
  public static KeyEncryptionKey generateMasterKeyFile(Path file) throws MasterKeyException {
    Objects.requireNonNull(file, "file");
    byte[] key = new byte[MASTER_KEY_BYTES];
    new SecureRandom().nextBytes(key);
    byte[] text = encodeMasterKey(key);
    try {
      AtomicFiles.write(file, text, false);
      return fromMasterKeyBytes(key, "local master key file " + file);
    } catch (FileAlreadyExistsException e) {
      throw new MasterKeyException("a master key file already exists and is never overwritten: " + file);
    } catch (IOException e) {
      throw new MasterKeyException("cannot write master key file " + file + ": " + e.getClass().getSimpleName(), e);
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(text, (byte) 0);
    }
  }

  /**
   * Generates a new local master key and returns its text form, for an environment variable or a secret manager.
   * The caller owns the returned secret: never log or print it.
   *
   * @return {@value #MASTER_KEY_PREFIX}, the unpadded base64url of 32 random bytes, then a line feed (which loading
   *     ignores); overwrite the array once it is stored
   */
  public static char[] generateMasterKeyText() {
    byte[] key = new byte[MASTER_KEY_BYTES];
    new SecureRandom().nextBytes(key);
    byte[] text = encodeMasterKey(key);
    char[] chars = new String(text, StandardCharsets.US_ASCII).toCharArray();
    Arrays.fill(key, (byte) 0);
    Arrays.fill(text, (byte) 0);
    return chars;
  }

  /**
   * Loads a local master key from a file holding its text form (surrounding white space is ignored).
   *
   * @param file the key file; not null
   * @return the key
   * @throws NullPointerException if {@code file} is null
   * @throws MasterKeyException if the file is missing, unreadable, or does not hold a master key
   */
  public static KeyEncryptionKey fromMasterKeyFile(Path file) throws MasterKeyException {
    Objects.requireNonNull(file, "file");
    byte[] text;
    try {
      text = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new MasterKeyException("master key file not found: " + file);
    } catch (IOException e) {
      throw new MasterKeyException("cannot read master key file " + file + ": " + e.getClass().getSimpleName(), e);
    }
    try {
      return fromMasterKeyText(new String(text, StandardCharsets.US_ASCII), "local master key file " + file);
    } finally {
      Arrays.fill(text, (byte) 0);
    }
  }

  /**
   * Loads a local master key from an environment variable holding its text form.
   *
   * @param variableName the variable's name; not null
   * @return the key
   * @throws NullPointerException if {@code variableName} is null
   * @throws MasterKeyException if the variable is unset, empty, or does not hold a master key
   */
  public static KeyEncryptionKey fromEnvironment(String variableName) throws MasterKeyException {
    return fromEnvironment(variableName, System::getenv);
  }

  static KeyEncryptionKey fromEnvironment(String variableName, UnaryOperator<String> environment)
      throws MasterKeyException {
    Objects.requireNonNull(variableName, "variableName");
    String value = environment.apply(variableName);
    if (value == null || value.isBlank()) {
      throw new MasterKeyException("environment variable " + variableName + " is not set: no master key");
    }
    return fromMasterKeyText(value, "local master key from environment variable " + variableName);
  }

  /**
   * Uses a key held by a key management service, through a Tink {@link Aead} obtained from one of Tink's KMS
   * extensions (for example {@code tink-awskms} or {@code tink-gcpkms}; see docs/encryption.md).
   *
   * @param kmsAead the remote AEAD; every keyset load and change calls it
   * @param keyUri the key's URI, for descriptions and the inventory (not secret), e.g. {@code aws-kms://arn:...}
   * @return the key; nothing is sent to the KMS until a keyset is loaded or changed
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code keyUri} is blank
   */
  public static KeyEncryptionKey fromKmsAead(Aead kmsAead, String keyUri) {
    Objects.requireNonNull(kmsAead, "kmsAead");
    Objects.requireNonNull(keyUri, "keyUri");
    if (keyUri.isBlank()) {
      throw new IllegalArgumentException("keyUri must name the KMS key");
    }
    return new KeyEncryptionKey(kmsAead, "KMS key " + keyUri);
  }

  private static KeyEncryptionKey fromMasterKeyText(String text, String description) throws MasterKeyException {
    String trimmed = text.strip();
    if (!trimmed.startsWith(MASTER_KEY_PREFIX)) {
      throw new MasterKeyException(description + " is not a master key (expected the prefix " + MASTER_KEY_PREFIX + ")");
    }
    String body = trimmed.substring(MASTER_KEY_PREFIX.length());
    byte[] key;
    try {
      key = Base64.getUrlDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new MasterKeyException(description + " is not valid base64url");
    }
    try {
      if (key.length != MASTER_KEY_BYTES) {
        throw new MasterKeyException(description + " must hold exactly 32 bytes");
      }
      // One key, one text: padding or set spare bits would let another text stand for the same key.
      if (body.length() != CANONICAL_LENGTH || !canonical(key, body)) {
        throw new MasterKeyException(description + " is not canonical unpadded base64url");
      }
      return fromMasterKeyBytes(key, description);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static KeyEncryptionKey fromMasterKeyBytes(byte[] key, String description) throws MasterKeyException {
    try {
      AesGcmParameters parameters = AesGcmParameters.builder()
          .setKeySizeBytes(MASTER_KEY_BYTES)
          .setIvSizeBytes(12)
          .setTagSizeBytes(16)
          .setVariant(AesGcmParameters.Variant.NO_PREFIX)
          .build();
      AesGcmKey aesKey = AesGcmKey.builder()
          .setParameters(parameters)
          .setKeyBytes(SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get()))
          .build();
      KeysetHandle handle = TinkRuntime.newBuilder()
          .addEntry(KeysetHandle.importKey(aesKey).withRandomId().makePrimary())
          .build();
      return new KeyEncryptionKey(handle.getPrimitive(TinkRuntime.config(), Aead.class), description);
    } catch (GeneralSecurityException e) {
      throw new MasterKeyException("cannot build AES-256-GCM from " + description, e);
    }
  }

  /** The length of the unpadded base64url encoding of a master key. */
  private static final int CANONICAL_LENGTH = (MASTER_KEY_BYTES * 8 + 5) / 6;

  /** Whether {@code body} is the canonical encoding of {@code key}, compared without leaving a copy behind. */
  private static boolean canonical(byte[] key, String body) {
    byte[] encoded = Base64.getUrlEncoder().withoutPadding().encode(key);
    try {
      boolean same = encoded.length == body.length();
      for (int i = 0; i < encoded.length && i < body.length(); i++) {
        same &= encoded[i] == body.charAt(i);
      }
      return same;
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
  }

  private static byte[] encodeMasterKey(byte[] key) {
    byte[] prefix = MASTER_KEY_PREFIX.getBytes(StandardCharsets.US_ASCII);
    byte[] encoded = Base64.getUrlEncoder().withoutPadding().encode(key);
    byte[] out = Arrays.copyOf(prefix, prefix.length + encoded.length + 1);
    System.arraycopy(encoded, 0, out, prefix.length, encoded.length);
    out[out.length - 1] = '\n';
    Arrays.fill(encoded, (byte) 0);
    return out;
  }

  Aead aead() {
    return aead;
  }

  /** Where the key comes from, e.g. {@code local master key file /etc/app/master.key}. Never key material. */
  @Override
  public String toString() {
    return description;
  }
}
