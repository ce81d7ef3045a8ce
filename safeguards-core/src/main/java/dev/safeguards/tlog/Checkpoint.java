package dev.safeguards.tlog;

import dev.safeguards.crypto.InvalidSignatureException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A transparency log checkpoint (c2sp.org/tlog-checkpoint): the note text that states a log's Merkle tree head, as
 * lines ending in a newline: the log's origin, the tree size in decimal, the base64 RFC 9162 root hash, then optional
 * extension lines. Signed, it is a {@link Note}; a client that holds one it verified, and the log's later consistency
 * proofs, can tell whether the log was rewritten or cut back (164.312(b), (c)(1)).
 *
 * <p>Guarantees: {@link #parse} accepts only the canonical text (an origin without control characters, a tree size of
 * {@code 0} to {@code 2^63 - 1} in ASCII digits without a leading zero or sign, a canonical padded base64 root hash
 * of exactly 32 bytes, non-empty extension lines) and {@link #text()} gives it back byte for byte, extension lines
 * included. {@link #open} returns a checkpoint only from a note that the log's key signed and whose origin is the
 * expected one. Instances are immutable and thread-safe.
 */
public final class Checkpoint {

  /** The size of a root hash (SHA-256), in bytes. */
  public static final int HASH_SIZE = 32;

  private final String origin;
  private final long size;
  private final byte[] rootHash;
  private final List<String> extensions;

  private Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
    this.origin = checkLine(Objects.requireNonNull(origin, "origin"), "a checkpoint's origin");
    if (size < 0) {
      throw new IllegalArgumentException("a tree size is not negative");
    }
    this.size = size;
    if (Objects.requireNonNull(rootHash, "rootHash").length != HASH_SIZE) {
      throw new IllegalArgumentException("a root hash has " + HASH_SIZE + " bytes");
    }
    this.rootHash = rootHash.clone();
    for (String line : Objects.requireNonNull(extensions, "extensions")) {
      checkLine(Objects.requireNonNull(line, "extension line"), "a checkpoint's extension line");
    }
    this.extensions = List.copyOf(extensions);
    if (text().getBytes(StandardCharsets.UTF_8).length > Note.MAX_BYTES) {
      throw new IllegalArgumentException("a checkpoint has at most " + Note.MAX_BYTES + " bytes");
    }
  }

  /**
   * A checkpoint without extension lines.
   *
   * @param origin the log's origin, e.g. {@code clinic.example/audit}; not null
   * @param size how many leaves the tree has; not negative
   * @param rootHash the tree's RFC 9162 root hash, 32 bytes; not null; copied
   * @return the checkpoint
   * @throws IllegalArgumentException if the origin is empty or contains a control character or an unpaired
   *     surrogate, the size is negative, or the root hash does not have 32 bytes
   */
  public static Checkpoint of(String origin, long size, byte[] rootHash) {
    return new Checkpoint(origin, size, rootHash, List.of());
  }

  /**
   * A checkpoint with extension lines (which the spec does not recommend: monitors cannot audit them).
   *
   * @param origin the log's origin; not null
   * @param size how many leaves the tree has; not negative
   * @param rootHash the tree's RFC 9162 root hash, 32 bytes; not null; copied
   * @param extensions the extension lines, in order, each without its newline; not null, no element null; copied
   * @return the checkpoint
   * @throws IllegalArgumentException as {@link #of(String, long, byte[])}, or if an extension line is empty or
   *     contains a control character or an unpaired surrogate
   */
  public static Checkpoint of(String origin, long size, byte[] rootHash, List<String> extensions) {
    return new Checkpoint(origin, size, rootHash, extensions);
  }

  /**
   * Reads a checkpoint's text (a note's {@link Note#text()}) without verifying anything.
   *
   * @param text the checkpoint text, its lines each ending in a newline; not null
   * @return the checkpoint it states, unverified
   * @throws IllegalArgumentException if the text is not a checkpoint in its canonical form
   */
  public static Checkpoint parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() > Note.MAX_BYTES) {
      throw new IllegalArgumentException("a checkpoint has at most " + Note.MAX_BYTES + " characters");
    }
    if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
      throw new IllegalArgumentException("a checkpoint's last line ends with a newline");
    }
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      lines.add(text.substring(start, end));
      start = end + 1;
    }
    if (lines.size() < 3) {
      throw new IllegalArgumentException("a checkpoint has an origin, a tree size and a root hash line");
    }
    byte[] rootHash = Note.decodeBase64(lines.get(2), "a checkpoint's root hash");
    if (rootHash.length != HASH_SIZE) {
      throw new IllegalArgumentException("a checkpoint's root hash has " + HASH_SIZE + " bytes");
    }
    return new Checkpoint(lines.get(0), parseSize(lines.get(1)), rootHash, lines.subList(3, lines.size()));
  }

  /** ASCII digits, no sign, no leading zero (except "0"), at most 2^63 - 1. */
  private static long parseSize(String line) {
    if (line.isEmpty() || line.length() > 19 || (line.charAt(0) == '0' && line.length() > 1)) {
      throw new IllegalArgumentException("a checkpoint's tree size is a decimal number without leading zeros,"
          + " at most 2^63 - 1");
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      // ASCII only: Long.parseLong also takes a '+' sign and other scripts' digits.
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("a checkpoint's tree size is ASCII decimal digits");
      }
    }
    try {
      return Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a checkpoint's tree size is at most 2^63 - 1");
    }
  }

  private static String checkLine(String line, String what) {
    if (line.isEmpty()) {
      throw new IllegalArgumentException(what + " is non-empty");
    }
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) < 0x20) {
        throw new IllegalArgumentException(what + " contains no control character");
      }
    }
    Note.encodeUtf8(line, what);
    return line;
  }

  /**
   * Opens a note as a checkpoint of the log whose key is {@code logKey}, following the spec's convention that the
   * log's key name is its origin: the checkpoint's origin must equal {@code logKey.name()}, and the note must be
   * signed by that key. Other signatures (cosignatures, other logs' keys) are ignored.
   *
   * @param note the signed checkpoint note; not null
   * @param logKey the log's verifier key, whose name is the log's origin; not null
   * @return the checkpoint, signed by {@code logKey}
   * @throws IllegalArgumentException if the note's text is not a checkpoint
   * @throws InvalidSignatureException if the origin is not the key's name, the key did not sign the note
   *     ({@link InvalidSignatureException#keyUnknown()} {@code true}), or its signature does not verify
   */
  public static Checkpoint open(Note note, NoteVerifier logKey) throws InvalidSignatureException {
    Objects.requireNonNull(logKey, "logKey");
    return open(note, logKey.name(), List.of(logKey));
  }

  /**
   * Opens a note as a checkpoint of the log {@code origin}, signed by at least one of {@code logKeys} (for a log
   * whose key name is not its origin, such as sum.golang.org's "go.sum database tree", or several keys of one log
   * during a rotation). Pass only the log's keys: any of them makes the checkpoint valid; a witness's cosignature is
   * checked with {@link Cosignature#verify}.
   *
   * @param note the signed checkpoint note; not null
   * @param origin the origin the checkpoint must state; not null
   * @param logKeys the log's verifier keys, at least one; not null, no element null
   * @return the checkpoint, signed by at least one of {@code logKeys}
   * @throws IllegalArgumentException if the note's text is not a checkpoint, or {@code logKeys} is empty or
   *     ambiguous
   * @throws InvalidSignatureException if the checkpoint's origin is not {@code origin}, none of the keys signed the
   *     note ({@link InvalidSignatureException#keyUnknown()} {@code true}), or a signature by one of them does not
   *     verify
   */
  public static Checkpoint open(Note note, String origin, Collection<NoteVerifier> logKeys)
      throws InvalidSignatureException {
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(origin, "origin");
    Checkpoint checkpoint = parse(note.text());
    if (!checkpoint.origin.equals(origin)) {
      throw new InvalidSignatureException("the checkpoint is not of the log " + origin
          + " (its origin line differs)", false);
    }
    note.open(logKeys);
    return checkpoint;
  }

  /**
   * Signs this checkpoint: the log's key, and any cosigners.
   *
   * @param signers the log's signer first, then any cosigners; at least one, none null
   * @return the signed note of {@link #text()}
   * @throws IllegalArgumentException as {@link Note#sign}
   * @throws IllegalStateException if a signer's key cannot sign
   */
  public Note sign(NoteSigner... signers) {
    return Note.sign(text(), signers);
  }

  /**
   * The note text: origin, tree size, root hash and extension lines, each followed by a newline.
   *
   * @return the canonical text that {@link #parse} reads back to an equal checkpoint
   */
  public String text() {
    StringBuilder sb = new StringBuilder(origin).append('\n').append(size).append('\n')
        .append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
    for (String line : extensions) {
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  /**
   * The log's origin: the first line.
   *
   * @return the origin, non-empty, without control characters
   */
  public String origin() {
    return origin;
  }

  /**
   * The number of leaves of the tree.
   *
   * @return the tree size, at least 0
   */
  public long size() {
    return size;
  }

  /**
   * The RFC 9162 root hash of the tree at {@link #size()}: 32 bytes, a copy.
   *
   * @return a new 32-byte array
   */
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /**
   * The extension lines, in order; usually none.
   *
   * @return the extension lines without their newlines; empty when there are none; unmodifiable
   */
  public List<String> extensions() {
    return extensions;
  }

  /** Two checkpoints are equal if their texts are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c && origin.equals(c.origin) && size == c.size
        && MessageDigest.isEqual(rootHash, c.rootHash) && extensions.equals(c.extensions);
  }

  @Override
  public int hashCode() {
    return text().hashCode();
  }

  /** The origin, size and root hash (in hex); all public values. */
  @Override
  public String toString() {
    return "Checkpoint[" + origin + ", size " + size + ", root " + HexFormat.of().formatHex(rootHash)
        + (extensions.isEmpty() ? "" : ", " + extensions.size() + " extension lines") + "]";
  }
}
