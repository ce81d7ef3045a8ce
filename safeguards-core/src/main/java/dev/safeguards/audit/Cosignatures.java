package dev.safeguards.audit;

import dev.safeguards.crypto.InvalidSignatureException;
import dev.safeguards.crypto.KeyedSignature;
import dev.safeguards.crypto.SigningKeyset;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * C2SP tlog-cosignature v1 with Ed25519 (c2sp.org/tlog-cosignature): a witness's signature line on a checkpoint, {@code
 * — <name> base64(key id || 8-byte big-endian time || signature)}, the key id being the first 4 bytes of
 * SHA-256(name || 0x0A || 0x04 || public key), the signature over {@code cosignature/v1\ntime <time>\n} followed by
 * the checkpoint's body (its text before the signatures, final line feed included).
 */
final class Cosignatures {

  private static final String DASH = "\u2014 ";

  private Cosignatures() {}

  /** The key id of an Ed25519 cosigner key (signature type 0x04). */
  static byte[] keyId(String name, byte[] publicKey) {
    return NoteCheckpoints.keyHash(name, 4, publicKey);
  }

  /** The verifier key of a cosigner: {@code <name>+<key id, 8 hex digits>+<base64(0x04 || public key)>}. */
  static String verifierKey(String name, byte[] publicKey) {
    return NoteCheckpoints.verifierKey(name, 4, publicKey);
  }

  /** The signed message: the header, the time, the checkpoint's body. */
  static byte[] message(String body, long time) {
    return ("cosignature/v1\ntime " + time + "\n" + body).getBytes(StandardCharsets.UTF_8);
  }

  /** The cosignature line (with its line feed) by the primary key of {@code keys}, named {@code name}. */
  static String sign(String name, Ed25519PublicKeys keys, String body, long time) {
    KeyedSignature sig = keys.keyset().sign(message(body, time));
    ByteBuffer line = ByteBuffer.allocate(4 + 8 + sig.value().length);
    line.put(keyId(name, keys.of(sig.keyId()))).putLong(time).put(sig.value());
    return DASH + name + " " + Base64.getEncoder().encodeToString(line.array()) + "\n";
  }

  /**
   * The time of the cosignature by {@code name} with {@code publicKey} among {@code lines} (signature lines, each
   * ended by a line feed) over {@code body}.
   *
   * @throws IllegalArgumentException if there is none, or it does not verify
   */
  static long verify(String lines, String body, String name, byte[] publicKey, SigningKeyset verifier) {
    byte[] id = keyId(name, publicKey);
    for (String line : lines.split("\n")) {
      if (!line.startsWith(DASH + name + " ")) {
        continue;
      }
      byte[] sig;
      try {
        sig = Base64.getDecoder().decode(line.substring(DASH.length() + name.length() + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a cosignature line is not base64");
      }
      if (sig.length != 4 + 8 + 64 || !MessageDigest.isEqual(Arrays.copyOf(sig, 4), id)) {
        continue;
      }
      long time = ByteBuffer.wrap(sig, 4, 8).getLong();
      if (time <= 0) {
        throw new IllegalArgumentException("a cosignature without a time");
      }
      try {
        verifier.verify(message(body, time), new KeyedSignature(onlyKeyId(verifier),
            Arrays.copyOfRange(sig, 12, sig.length)));
      } catch (InvalidSignatureException e) {
        throw new IllegalArgumentException("the cosignature by " + name + " does not verify");
      }
      return time;
    }
    throw new IllegalArgumentException("no cosignature by " + name + " with its key");
  }

  /** A verify-only keyset over one raw Ed25519 public key. */
  static SigningKeyset verifierOf(byte[] publicKey) {
    String kid = HexFormat.of().formatHex(Arrays.copyOf(AuditLogFormat.sha256().digest(publicKey), 4));
    return SigningKeyset.fromPublicJwks("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\""
        + Base64.getUrlEncoder().withoutPadding().encodeToString(publicKey) + "\",\"kid\":\"" + kid + "\"}]}");
  }

  private static dev.safeguards.crypto.KeyId onlyKeyId(SigningKeyset verifier) {
    return new Ed25519PublicKeys(verifier).all().keySet().iterator().next();
  }
}
