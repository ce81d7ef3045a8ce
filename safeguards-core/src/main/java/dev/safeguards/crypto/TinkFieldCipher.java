package dev.safeguards.crypto;

import com.google.crypto.tink.Aead;
import dev.safeguards.internal.LengthPrefixed;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/** {@link FieldCipher} over a Tink AES256_GCM keyset, whose ciphertexts start with Tink's 5-byte key prefix. */
final class TinkFieldCipher implements FieldCipher {

  static final String DOMAIN = "safeguards/field/v1";

  /** Tink's prefix (1 version byte + 4 key id bytes), the 12-byte nonce and the 16-byte tag. */
  private static final int OVERHEAD = 5 + 12 + 16;

  private static final byte TINK_PREFIX_VERSION = 0x01;

  private final ManagedKeyset keyset;

  TinkFieldCipher(ManagedKeyset keyset) {
    Objects.requireNonNull(keyset, "keyset");
    if (keyset.purpose() != KeyPurpose.FIELD_ENCRYPTION) {
      throw new IllegalArgumentException("a FieldCipher needs a field-encryption keyset, not " + keyset.purpose());
    }
    this.keyset = keyset;
  }

  @Override
  public String encrypt(String plaintext, FieldContext context) {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(context, "context");
    // getBytes would replace an unpaired surrogate with '?', so the value would decrypt to another string.
    if (!LengthPrefixed.wellFormed(plaintext)) {
      throw new IllegalArgumentException("the value of " + context
          + " contains an unpaired surrogate and cannot be encoded as UTF-8 text (use encrypt(byte[], ...))");
    }
    byte[] bytes = plaintext.getBytes(StandardCharsets.UTF_8);
    try {
      return encrypt(bytes, context);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public String encrypt(byte[] plaintext, FieldContext context) {
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(encryptToBytes(plaintext, context));
  }

  @Override
  public byte[] encryptToBytes(byte[] plaintext, FieldContext context) {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(context, "context");
    try {
      return aead(keyset.snapshot()).encrypt(plaintext, context.associatedData(DOMAIN));
    } catch (GeneralSecurityException e) {
      // Encryption under an enabled AES-GCM key cannot fail unless the JCE provider is broken.
      throw new IllegalStateException("AES-GCM encryption failed for " + context, e);
    }
  }

  @Override
  public String decrypt(String ciphertext, FieldContext context) throws DecryptionException {
    byte[] plaintext = decryptBytes(ciphertext, context);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(plaintext))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedCiphertextException(
          "the value of " + context + " is not UTF-8 text (it was encrypted as bytes: use decryptBytes)");
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  @Override
  public byte[] decryptBytes(String ciphertext, FieldContext context) throws DecryptionException {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(context, "context");
    return decryptRaw(decode(ciphertext, context), context);
  }

  @Override
  public byte[] decryptBytes(byte[] ciphertext, FieldContext context) throws DecryptionException {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(context, "context");
    return decryptRaw(checkPrefix(ciphertext, "the value of " + context), context);
  }

  private byte[] decryptRaw(byte[] raw, FieldContext context) throws DecryptionException {
    KeyId keyId = keyIdOfRaw(raw);
    ManagedKeyset.Snapshot snapshot = keyset.snapshot();
    KeyInfo key = snapshot.find(keyId).orElseThrow(() -> new UnknownKeyException(
        "the value of " + context + " is under key " + keyId + ", which is not in the field-encryption keyset"));
    if (key.status() != KeyStatus.ENABLED) {
      throw new UnknownKeyException("the value of " + context + " is under key " + keyId + ", which is "
          + key.status().fileName());
    }
    try {
      return aead(snapshot).decrypt(raw, context.associatedData(DOMAIN));
    } catch (GeneralSecurityException e) {
      throw new CiphertextIntegrityException("the value of " + context + " failed authentication: it was modified, "
          + "truncated, or belongs to another record or field");
    }
  }

  @Override
  public KeyId keyIdOf(String ciphertext) throws MalformedCiphertextException {
    Objects.requireNonNull(ciphertext, "ciphertext");
    return keyIdOfRaw(decode(ciphertext, null));
  }

  @Override
  public KeyId keyIdOf(byte[] ciphertext) throws MalformedCiphertextException {
    Objects.requireNonNull(ciphertext, "ciphertext");
    return keyIdOfRaw(checkPrefix(ciphertext, "the value"));
  }

  @Override
  public KeyId primaryKeyId() {
    return keyset.primaryKeyId();
  }

  private static KeyId keyIdOfRaw(byte[] raw) {
    return new KeyId(ByteBuffer.wrap(raw, 1, 4).getInt());
  }

  private static Aead aead(ManagedKeyset.Snapshot snapshot) {
    return snapshot.cached(Aead.class, s -> {
      try {
        return s.handle().getPrimitive(TinkRuntime.config(), Aead.class);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot build AES-GCM from the field-encryption keyset", e);
      }
    });
  }

  /** Strict decoding: the prefix, canonical unpadded base64url, Tink's version byte and the minimum length. */
  private static byte[] decode(String ciphertext, FieldContext context) throws MalformedCiphertextException {
    String what = context == null ? "the value" : "the value of " + context;
    if (!ciphertext.startsWith(PREFIX)) {
      throw new MalformedCiphertextException(what + " is not a field ciphertext (expected the prefix " + PREFIX + ")");
    }
    String body = ciphertext.substring(PREFIX.length());
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new MalformedCiphertextException(what + " is not valid base64url");
    }
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(body)) {
      throw new MalformedCiphertextException(what + " is not canonical unpadded base64url");
    }
    return checkPrefix(raw, what);
  }

  /** The binary form: at least the overhead long, starting with Tink's version byte. */
  private static byte[] checkPrefix(byte[] raw, String what) throws MalformedCiphertextException {
    if (raw.length < OVERHEAD || raw[0] != TINK_PREFIX_VERSION) {
      throw new MalformedCiphertextException(what + " is too short or has an unknown key prefix");
    }
    return raw;
  }
}
