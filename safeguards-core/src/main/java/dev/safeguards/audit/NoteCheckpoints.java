package dev.safeguards.audit;

import dev.safeguards.audit.AuditLogTamperedException.Tampering;
import dev.safeguards.crypto.InvalidSignatureException;
import dev.safeguards.crypto.KeyId;
import dev.safeguards.crypto.KeyedSignature;
import dev.safeguards.crypto.SigningKeyset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * The audit log's checkpoints as C2SP tlog-checkpoint signed notes: the body {@code <origin>\n<size>\n<base64
 * root>\n}, an empty line, and one signature line {@code — <origin> <base64(key hash || Ed25519 signature)>\n} by
 * the checkpoint keyset's primary key, whose note key name is the origin and whose key hash is the first 4 bytes of
 * SHA-256(origin || 0x0A || 0x01 || public key) (C2SP signed-note). Opening a note accepts a signature line by any
 * enabled key of the keyset (so rotated keys keep verifying old checkpoints), ignores lines by other keys, and fails
 * when a line names one of ours but does not verify.
 */
final class NoteCheckpoints implements CheckpointNotes {

  /** A checkpoint note is a few hundred bytes; anything near this is not one. */
  static final int MAX_NOTE = 16 * 1024;
  private static final int MAX_SIGNATURES = 100;
  private static final String DASH = "\u2014 ";

  private final SigningKeyset keys;
  private final Ed25519PublicKeys publicKeys;

  private NoteCheckpoints(SigningKeyset keys) {
    if (!keys.algorithm().equals("Ed25519")) {
      throw new IllegalArgumentException("audit checkpoints are Ed25519 signed notes");
    }
    this.keys = keys;
    this.publicKeys = new Ed25519PublicKeys(keys);
  }

  /** Signs with the keyset's primary key and opens notes signed by any of its keys. */
  static NoteCheckpoints over(SigningKeyset signer) {
    return new NoteCheckpoints(signer);
  }

  /** Opens notes signed by any of the keys (a keyset of public keys only cannot sign). */
  static NoteCheckpoints verifying(SigningKeyset keys) {
    return new NoteCheckpoints(keys);
  }

  /**
   * {@code origin}, if it can be a checkpoint's origin and note key name: 1 to 255 printable ASCII characters, no
   * space and no {@code +}.
   *
   * @throws IllegalArgumentException otherwise
   */
  static String checkOrigin(String origin) {
    if (origin == null || origin.isEmpty() || origin.length() > 255
        || !origin.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '+')) {
      throw new IllegalArgumentException("an origin is 1 to 255 printable ASCII characters without spaces or '+'");
    }
    return origin;
  }

  @Override
  public AuditCheckpoint sign(String origin, long size, byte[] root) {
    String body = origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    KeyedSignature sig = keys.sign(body.getBytes(StandardCharsets.UTF_8));
    byte[] hash = keyHash(origin, publicKey(sig.keyId()));
    byte[] line = Arrays.copyOf(hash, hash.length + sig.value().length);
    System.arraycopy(sig.value(), 0, line, hash.length, sig.value().length);
    String note = body + "\n" + DASH + origin + " " + Base64.getEncoder().encodeToString(line) + "\n";
    return new AuditCheckpoint(origin, size, root, note);
  }

  /**
   * What a checkpoint note states, read without checking any signature (the reader of a proof checks it).
   *
   * @throws TreeWalk.NoteRejected if it is not a checkpoint note
   */
  static TreeWalk.Stated read(String note) throws TreeWalk.NoteRejected {
    return parse(note).stated();
  }

  @Override
  public TreeWalk.Stated open(String note) throws TreeWalk.NoteRejected {
    Parsed parsed = parse(note);
    String origin = parsed.stated().origin();
    boolean verified = false;
    for (String line : parsed.signatures()) {
      int space = line.indexOf(' ', DASH.length());
      String name = line.substring(DASH.length(), space);
      byte[] sig = Base64.getDecoder().decode(line.substring(space + 1));
      if (!name.equals(origin)) {
        continue; // another party's signature (a witness): not ours to check here
      }
      byte[] hash = Arrays.copyOf(sig, 4);
      for (Map.Entry<KeyId, byte[]> key : publicKeys().entrySet()) {
        if (MessageDigest.isEqual(hash, keyHash(origin, key.getValue()))) {
          try {
            keys.verify(parsed.body(), new KeyedSignature(key.getKey(), Arrays.copyOfRange(sig, 4, sig.length)));
            verified = true;
          } catch (InvalidSignatureException e) {
            throw new TreeWalk.NoteRejected(Tampering.BAD_CHECKPOINT_SIGNATURE,
                "the checkpoint's signature by key " + key.getKey() + " does not verify");
          }
        }
      }
    }
    if (!verified) {
      throw new TreeWalk.NoteRejected(Tampering.BAD_CHECKPOINT_SIGNATURE,
          "no checkpoint key signed the checkpoint");
    }
    return parsed.stated();
  }

  /** A checkpoint note taken apart: what it states, the signed body, the signature lines (each well formed). */
  private record Parsed(TreeWalk.Stated stated, byte[] body, String[] signatures) {}

  private static Parsed parse(String note) throws TreeWalk.NoteRejected {
    if (note.length() > MAX_NOTE || !note.endsWith("\n")) {
      throw malformed("the note is too long or does not end with a line feed");
    }
    for (int i = 0; i < note.length(); i++) {
      char c = note.charAt(i);
      if ((c < 0x20 && c != '\n') || c == 0x7f || Character.isSurrogate(c)) {
        throw malformed("the note holds a control character");
      }
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw malformed("the note has no signature block");
    }
    String body = note.substring(0, split + 1);
    String[] lines = body.split("\n", -1);
    if (lines.length < 4 || lines[0].isEmpty()) {
      throw malformed("the checkpoint has no origin, size and root");
    }
    for (int i = 3; i < lines.length - 1; i++) {
      if (lines[i].isEmpty()) {
        throw malformed("the checkpoint holds an empty line");
      }
    }
    String origin = lines[0];
    long size = parseSize(lines[1]);
    byte[] root = parseRoot(lines[2]);
    String[] signatures = note.substring(split + 2, note.length() - 1).split("\n", -1);
    if (signatures.length > MAX_SIGNATURES) {
      throw malformed("the note holds too many signatures");
    }
    for (String line : signatures) {
      if (!line.startsWith(DASH)) {
        throw malformed("a signature line does not begin with an em dash and a space");
      }
      int space = line.indexOf(' ', DASH.length());
      if (space <= DASH.length() || line.indexOf(' ', space + 1) >= 0) {
        throw malformed("a signature line is not a key name and a signature");
      }
      byte[] sig;
      String encoded = line.substring(space + 1);
      try {
        sig = Base64.getDecoder().decode(encoded);
      } catch (IllegalArgumentException e) {
        throw malformed("a signature is not base64");
      }
      if (!Base64.getEncoder().encodeToString(sig).equals(encoded)) {
        // the unused bits of the last character differ: other text, the same signature
        throw malformed("a signature is not in canonical base64");
      }
      if (sig.length < 5) {
        throw malformed("a signature is too short to hold a key hash");
      }
    }
    return new Parsed(new TreeWalk.Stated(origin, size, root), body.getBytes(StandardCharsets.UTF_8), signatures);
  }

  /** The C2SP key hash of an Ed25519 note key: SHA-256(name || 0x0A || 0x01 || key), first 4 bytes. */
  static byte[] keyHash(String name, byte[] publicKey) {
    return keyHash(name, 1, publicKey);
  }

  /**
   * The C2SP key hash of a key of signature type {@code type} (0x01 a note signer, 0x04 an Ed25519 cosigner):
   * SHA-256(name || 0x0A || type || key), first 4 bytes.
   */
  static byte[] keyHash(String name, int type, byte[] publicKey) {
    MessageDigest sha = AuditLogFormat.sha256();
    sha.update(name.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '\n');
    sha.update((byte) type);
    sha.update(publicKey);
    return Arrays.copyOf(sha.digest(), 4);
  }

  /**
   * The note verifier key of a checkpoint key: {@code <origin>+<key hash, 8 hex digits>+<base64(0x01 || key)>}, the
   * form Go's sumdb/note and other C2SP tools take.
   */
  static String verifierKey(String origin, byte[] publicKey) {
    return verifierKey(origin, 1, publicKey);
  }

  /** A verifier key of signature type {@code type}: {@code <name>+<key hash>+<base64(type || key)>}. */
  static String verifierKey(String name, int type, byte[] publicKey) {
    byte[] typed = new byte[publicKey.length + 1];
    typed[0] = (byte) type;
    System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
    return name + "+" + java.util.HexFormat.of().formatHex(keyHash(name, type, publicKey)) + "+"
        + Base64.getEncoder().encodeToString(typed);
  }

  private byte[] publicKey(KeyId id) {
    return publicKeys.of(id);
  }

  private Map<KeyId, byte[]> publicKeys() {
    return publicKeys.all();
  }

  private static long parseSize(String line) throws TreeWalk.NoteRejected {
    if (line.isEmpty() || line.length() > 19 || (line.length() > 1 && line.charAt(0) == '0')
        || !line.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw malformed("the tree size is not a decimal without leading zeros");
    }
    try {
      return Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw malformed("the tree size is too large");
    }
  }

  private static byte[] parseRoot(String line) throws TreeWalk.NoteRejected {
    try {
      byte[] root = Base64.getDecoder().decode(line);
      if (root.length == 32 && Base64.getEncoder().encodeToString(root).equals(line)) {
        return root;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw malformed("the root hash is not 32 bytes in base64");
  }

  private static TreeWalk.NoteRejected malformed(String why) {
    return new TreeWalk.NoteRejected(Tampering.MODIFIED, why);
  }
}
