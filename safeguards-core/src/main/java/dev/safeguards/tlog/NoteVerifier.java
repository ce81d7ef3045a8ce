package dev.safeguards.tlog;

import com.google.crypto.tink.subtle.Ed25519Verify;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The public key of one note signer, with its name and key hash, as a C2SP verifier key ("vkey")
 * {@code <name>+<key hash, 8 hex digits>+<base64(signature type || public key)>} (c2sp.org/signed-note), used to
 * {@link Note#open open} notes and checkpoints (164.312(b), (c)(1)).
 *
 * <p>Two signature types are supported: {@code 0x01}, Ed25519 over the note text (a log's checkpoint key, Go's
 * sumdb/note keys), and {@code 0x04}, timestamped Ed25519 cosignatures of checkpoints (c2sp.org/tlog-cosignature;
 * see {@link Cosignature}). The key hash is the first four bytes of
 * {@code SHA-256(name || 0x0A || type || public key)}, so a key hash names the type too: a verifier of one type never
 * accepts a signature of the other. Instances are immutable and thread-safe; all of their content is public.
 */
public final class NoteVerifier {

  /** Signature type 0x01: Ed25519 over the note text. */
  static final byte ED25519 = 0x01;

  /** Signature type 0x04: a timestamped Ed25519 checkpoint cosignature (cosignature/v1). */
  static final byte COSIGNATURE_V1 = 0x04;

  private static final int PUBLIC_KEY_LENGTH = 32;
  private static final int SIGNATURE_LENGTH = 64;

  private final String name;
  private final byte type;
  private final byte[] publicKey;
  private final int keyHash;
  private final Ed25519Verify ed25519;

  private NoteVerifier(String name, byte type, byte[] publicKey) {
    this.name = Note.checkName(name);
    if (type != ED25519 && type != COSIGNATURE_V1) {
      throw new IllegalArgumentException("a note verifier key has signature type 0x01 (Ed25519) or 0x04"
          + " (Ed25519 cosignature/v1)");
    }
    if (Objects.requireNonNull(publicKey, "publicKey").length != PUBLIC_KEY_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 public key has " + PUBLIC_KEY_LENGTH + " bytes");
    }
    this.type = type;
    this.publicKey = publicKey.clone();
    this.keyHash = keyHash(name, type, publicKey);
    this.ed25519 = new Ed25519Verify(this.publicKey);
  }

  /**
   * The verifier of type 0x01 of an Ed25519 public key (32 bytes, RFC 8032 encoding) under a key name.
   *
   * @param name the key name the signer's lines carry; not null
   * @param publicKey the 32-byte Ed25519 public key; not null; copied
   * @return the verifier, of type 0x01
   * @throws IllegalArgumentException if the name is not a valid key name (non-empty, without spaces, control
   *     characters or '+') or the key does not have 32 bytes
   */
  public static NoteVerifier ed25519(String name, byte[] publicKey) {
    return new NoteVerifier(name, ED25519, publicKey);
  }

  /** A cosignature verifier (type 0x04); {@link Cosignature#verifier} is the public way to make one. */
  static NoteVerifier cosignatureV1(String name, byte[] publicKey) {
    return new NoteVerifier(name, COSIGNATURE_V1, publicKey);
  }

  /**
   * Reads a verifier key {@code <name>+<8 lower-case hex digits>+<base64(type || public key)>} of type 0x01 or 0x04.
   *
   * @param vkey the verifier key string, as {@link #vkey()} writes it; not null
   * @return the verifier, of type 0x01 or 0x04 as the string says (see {@link #isCosigner()})
   * @throws IllegalArgumentException if the name is invalid, the key hash is not 8 lower-case hex digits or does not
   *     match the name and key, the key is not canonical padded base64, or the type is another or the key is not 32
   *     bytes
   */
  public static NoteVerifier parse(String vkey) {
    Objects.requireNonNull(vkey, "vkey");
    int plus = vkey.indexOf('+');
    if (plus <= 0 || vkey.length() < plus + 10 || vkey.charAt(plus + 9) != '+') {
      throw new IllegalArgumentException("a verifier key is <name>+<8 hex digits>+<base64 key>");
    }
    String name = vkey.substring(0, plus);
    if (!Note.isValidName(name)) {
      throw new IllegalArgumentException("a verifier key's name is non-empty, without spaces, control characters"
          + " or '+'");
    }
    String hash = vkey.substring(plus + 1, plus + 9);
    for (int i = 0; i < hash.length(); i++) {
      char c = hash.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        throw new IllegalArgumentException("a verifier key's key hash is 8 lower-case hex digits");
      }
    }
    byte[] key = Note.decodeBase64(vkey.substring(plus + 10), "a verifier key's key");
    if (key.length == 0) {
      throw new IllegalArgumentException("a verifier key's key starts with its signature type");
    }
    if (key[0] != ED25519 && key[0] != COSIGNATURE_V1) {
      throw new IllegalArgumentException("a verifier key has signature type 0x01 (Ed25519) or 0x04 (Ed25519"
          + " cosignature/v1)");
    }
    if (key.length != 1 + PUBLIC_KEY_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 verifier key has a " + PUBLIC_KEY_LENGTH + "-byte key");
    }
    NoteVerifier v = new NoteVerifier(name, key[0], Arrays.copyOfRange(key, 1, key.length));
    if (v.keyHash != Integer.parseUnsignedInt(hash, 16)) {
      throw new IllegalArgumentException("a verifier key's key hash does not match its name and key");
    }
    return v;
  }

  /**
   * Whether this is a cosignature key (type 0x04), rather than a note signer's key (type 0x01).
   *
   * @return true for type 0x04, false for type 0x01
   */
  public boolean isCosigner() {
    return type == COSIGNATURE_V1;
  }

  /**
   * The key name.
   *
   * @return the key name, valid as {@link Note} requires
   */
  public String name() {
    return name;
  }

  /**
   * The key hash (key ID): an unsigned 32-bit number held in an {@code int}.
   *
   * @return the key hash's 32 bits, as signature lines by this key carry them
   */
  public int keyHash() {
    return keyHash;
  }

  /**
   * The verifier key string {@code <name>+<8 hex digits>+<base64(type || public key)>}, which {@link #parse} reads.
   *
   * @return the verifier key string; public, safe to publish and to log
   */
  public String vkey() {
    byte[] key = new byte[1 + PUBLIC_KEY_LENGTH];
    key[0] = type;
    System.arraycopy(publicKey, 0, key, 1, PUBLIC_KEY_LENGTH);
    return name + "+" + Note.hex(keyHash) + "+" + Base64.getEncoder().encodeToString(key);
  }

  byte type() {
    return type;
  }

  /**
   * Whether {@code signature} (the bytes after the key hash) is this key's signature of a note text: for type 0x01
   * the Ed25519 signature of the text; for type 0x04 a timestamp of at most 2^63 - 1 and the Ed25519 signature of
   * the cosigned message of that time and text.
   */
  boolean verify(byte[] text, byte[] signature) {
    byte[] message;
    byte[] ed25519Signature;
    if (type == ED25519) {
      message = text;
      ed25519Signature = signature;
    } else {
      if (signature.length != Cosignature.TIMESTAMP_LENGTH + SIGNATURE_LENGTH) {
        return false;
      }
      long timestamp = Cosignature.timestamp(signature);
      if (timestamp < 0) { // above 2^63 - 1, which the spec forbids
        return false;
      }
      message = Cosignature.message(timestamp, text);
      ed25519Signature = Arrays.copyOfRange(signature, Cosignature.TIMESTAMP_LENGTH, signature.length);
    }
    return verifyEd25519(message, ed25519Signature);
  }

  /** Whether {@code signature} is this key's plain Ed25519 signature of {@code message}. */
  boolean verifyEd25519(byte[] message, byte[] signature) {
    if (signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    try {
      ed25519.verify(signature, message);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The first four bytes of SHA-256(name || 0x0A || type || public key), big-endian. */
  static int keyHash(String name, byte type, byte[] publicKey) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    sha256.update(name.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) '\n');
    sha256.update(type);
    byte[] h = sha256.digest(publicKey);
    return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
  }

  /** Two verifiers are equal if their verifier keys are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof NoteVerifier v && name.equals(v.name) && type == v.type
        && MessageDigest.isEqual(publicKey, v.publicKey);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + type) + Arrays.hashCode(publicKey);
  }

  /** The verifier key string, as {@link #vkey()}: it holds only public values. */
  @Override
  public String toString() {
    return vkey();
  }
}
