package dev.safeguards.tlog;

import dev.safeguards.crypto.InvalidSignatureException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A C2SP signed note (c2sp.org/signed-note): a UTF-8 text ending in a newline, a blank line, and one or more signature
 * lines {@code — <key name> <base64(key hash || signature)>}, as Go's golang.org/x/mod/sumdb/note reads and writes
 * them. Checkpoints of the audit log's Merkle tree are signed notes (164.312(b), (c)(1)).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link #parse} is strict and bounded: at most {@link #MAX_BYTES} bytes and {@link #MAX_SIGNATURES}
 *       signatures; valid UTF-8 without control characters other than newline; signatures in canonical padded base64
 *       of at least five bytes; valid key names; no two signatures by the same key (name and key hash). Any other
 *       input is refused with an {@link IllegalArgumentException} whose message names the rule, never the text.
 *   <li>{@link #encode()} gives back exactly the bytes {@link #parse} read, so a note can be stored and forwarded
 *       unchanged.
 *   <li>{@link #open} verifies every signature by a known key, ignores those by unknown keys (as the spec requires),
 *       and refuses the note if a known key's signature fails or if no known key signed it. The text should not be
 *       trusted before {@code open} succeeds.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Note {

  /** The largest encoded note {@link #parse} accepts and {@link #sign} makes, in bytes (1 MiB). */
  public static final int MAX_BYTES = 1 << 20;

  /**
   * The most signatures {@link #parse} accepts and {@link #sign} makes, as Go's sumdb/note does (the spec asks for
   * at least 16).
   */
  public static final int MAX_SIGNATURES = 100;

  private static final String SIGNATURE_PREFIX = "\u2014 ";

  private final String text;
  private final List<Signature> signatures;

  private Note(String text, List<Signature> signatures) {
    this.text = text;
    this.signatures = List.copyOf(signatures);
  }

  /**
   * Reads an encoded note without verifying it.
   *
   * @param encoded the note's bytes, as {@link #encode()} gives them; not null, not kept
   * @return the note, its signatures unverified
   * @throws IllegalArgumentException if {@code encoded} is not a well-formed signed note within the limits above
   */
  public static Note parse(byte[] encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length > MAX_BYTES) {
      throw new IllegalArgumentException("a signed note has at most " + MAX_BYTES + " bytes");
    }
    String s = decodeUtf8(encoded, "a signed note");
    checkNoControlCharacters(s, "a signed note");
    int split = s.lastIndexOf("\n\n");
    if (split < 0) {
      throw new IllegalArgumentException("a signed note has a blank line between its text and its signatures");
    }
    String text = s.substring(0, split + 1);
    String block = s.substring(split + 2);
    if (block.isEmpty()) {
      throw new IllegalArgumentException("a signed note has at least one signature line");
    }
    if (block.charAt(block.length() - 1) != '\n') {
      throw new IllegalArgumentException("a signed note ends with a newline");
    }
    List<Signature> signatures = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    int start = 0;
    while (start < block.length()) {
      if (signatures.size() == MAX_SIGNATURES) {
        throw new IllegalArgumentException("a signed note has at most " + MAX_SIGNATURES + " signatures");
      }
      int end = block.indexOf('\n', start);
      Signature signature = Signature.parseLine(block.substring(start, end));
      if (!keys.add(signature.key())) {
        throw new IllegalArgumentException("a signed note has at most one signature per key (name and key hash)");
      }
      signatures.add(signature);
      start = end + 1;
    }
    return new Note(text, signatures);
  }

  /**
   * Signs {@code text} with each signer, in order.
   *
   * @param text the text to sign: UTF-8 encodable, ending in a newline; not null
   * @param signers the keys to sign with, at least one; none null
   * @return the signed note, its signatures in the order of {@code signers}
   * @throws IllegalArgumentException if the text is empty, does not end in a newline, contains a control character
   *     other than newline or an unpaired surrogate, if two signers use the same key, if there is no signer, or if
   *     the note would exceed {@link #MAX_BYTES} or {@link #MAX_SIGNATURES}; a cosigner (see {@link Cosignature})
   *     also refuses a text that is not a checkpoint
   * @throws IllegalStateException if a signer's key cannot sign (see {@link NoteSigner#over})
   */
  public static Note sign(String text, NoteSigner... signers) {
    checkText(text);
    return new Note(text, List.of()).addSignatures(signers);
  }

  /**
   * Returns this note with a signature by each signer added after the existing ones; an existing signature by the
   * same key as a signer (name and key hash) is dropped, as Go's sumdb/note does. This note's signatures are not
   * verified: {@link #open} the result.
   *
   * @param signers the keys to add signatures by, at least one; none null
   * @return a new note with the same text; this one is unchanged
   * @throws IllegalArgumentException as {@link #sign}
   * @throws IllegalStateException if a signer's key cannot sign
   */
  public Note addSignatures(NoteSigner... signers) {
    Objects.requireNonNull(signers, "signers");
    if (signers.length == 0) {
      throw new IllegalArgumentException("a note is signed by at least one signer");
    }
    List<Signature> added = new ArrayList<>();
    Set<String> addedKeys = new HashSet<>();
    for (NoteSigner signer : signers) {
      Signature signature = Objects.requireNonNull(signer, "signer").sign(text);
      if (!addedKeys.add(signature.key())) {
        throw new IllegalArgumentException("two signers use key " + signature.key());
      }
      added.add(signature);
    }
    List<Signature> all = new ArrayList<>();
    for (Signature existing : signatures) {
      if (!addedKeys.contains(existing.key())) {
        all.add(existing);
      }
    }
    all.addAll(added);
    if (all.size() > MAX_SIGNATURES) {
      throw new IllegalArgumentException("a signed note has at most " + MAX_SIGNATURES + " signatures");
    }
    Note note = new Note(text, all);
    if (note.encodedLength() > MAX_BYTES) {
      throw new IllegalArgumentException("a signed note has at most " + MAX_BYTES + " bytes");
    }
    return note;
  }

  /**
   * Verifies the note's signatures with the given verifiers and returns those that verified, in note order (at least
   * one). A signature whose key name and key hash match no verifier is ignored.
   *
   * @param verifiers the keys to trust, at least one; none null
   * @return the signatures that verified, at least one, in note order; unmodifiable
   * @throws InvalidSignatureException with {@link InvalidSignatureException#keyUnknown()} {@code false} if a
   *     signature by a known key does not verify, or {@code true} if no known key signed the note
   * @throws IllegalArgumentException if {@code verifiers} is empty or holds two different keys with the same name
   *     and key hash
   */
  public List<Signature> open(Collection<NoteVerifier> verifiers) throws InvalidSignatureException {
    Map<String, NoteVerifier> known = index(verifiers);
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    List<Signature> verified = new ArrayList<>();
    for (Signature signature : signatures) {
      NoteVerifier verifier = known.get(signature.key());
      if (verifier == null) {
        continue;
      }
      if (!verifier.verify(message, signature.bytes)) {
        throw new InvalidSignatureException("the note's signature by key " + signature.key()
            + " does not verify", false);
      }
      verified.add(signature);
    }
    if (verified.isEmpty()) {
      throw new InvalidSignatureException("the note is not signed by any of the keys " + known.keySet(), true);
    }
    return List.copyOf(verified);
  }

  private static Map<String, NoteVerifier> index(Collection<NoteVerifier> verifiers) {
    Objects.requireNonNull(verifiers, "verifiers");
    if (verifiers.isEmpty()) {
      throw new IllegalArgumentException("a note is opened with at least one verifier");
    }
    Map<String, NoteVerifier> known = new HashMap<>();
    for (NoteVerifier v : verifiers) {
      String key = Objects.requireNonNull(v, "verifier").name() + "+" + hex(v.keyHash());
      NoteVerifier other = known.putIfAbsent(key, v);
      if (other != null && !other.equals(v)) {
        throw new IllegalArgumentException("two different verifier keys share the name and key hash " + key);
      }
    }
    return known;
  }

  /**
   * The text that was signed: UTF-8, ending in a newline, without the blank line before the signatures.
   *
   * @return the signed text, never empty
   */
  public String text() {
    return text;
  }

  /**
   * The signatures in note order, verified or not.
   *
   * @return at least one signature; unmodifiable
   */
  public List<Signature> signatures() {
    return signatures;
  }

  /**
   * The encoded note: the text, a blank line, and one line per signature, in UTF-8.
   *
   * @return a new array; for a parsed note, exactly the bytes parsed
   */
  public byte[] encode() {
    StringBuilder sb = new StringBuilder(text).append('\n');
    for (Signature s : signatures) {
      sb.append(s.line());
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private long encodedLength() {
    long n = text.getBytes(StandardCharsets.UTF_8).length + 1L;
    for (Signature s : signatures) {
      n += s.line().getBytes(StandardCharsets.UTF_8).length;
    }
    return n;
  }

  /** Two notes are equal if they encode to the same bytes. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Note n && text.equals(n.text) && signatures.equals(n.signatures);
  }

  @Override
  public int hashCode() {
    return 31 * text.hashCode() + signatures.hashCode();
  }

  /** Names the signing keys and the size of the text, never the text. */
  @Override
  public String toString() {
    List<String> keys = new ArrayList<>();
    for (Signature s : signatures) {
      keys.add(s.key());
    }
    return "Note[" + text.length() + " chars, signed by " + keys + "]";
  }

  /**
   * One signature line of a note: the key name, the 32-bit key hash and the signature bytes that follow it. It says
   * who claims to have signed; only {@link Note#open} says whether they did. Immutable.
   */
  public static final class Signature {

    private final String name;
    private final int keyHash;
    private final byte[] bytes;

    Signature(String name, int keyHash, byte[] bytes) {
      this.name = checkName(name);
      this.keyHash = keyHash;
      if (bytes.length == 0) {
        throw new IllegalArgumentException("a note signature has at least one byte after the key hash");
      }
      this.bytes = bytes.clone();
    }

    static Signature parseLine(String line) {
      if (!line.startsWith(SIGNATURE_PREFIX)) {
        throw new IllegalArgumentException("a note signature line starts with an em dash (U+2014) and a space");
      }
      int space = line.indexOf(' ', SIGNATURE_PREFIX.length());
      if (space < 0) {
        throw new IllegalArgumentException("a note signature line is '\u2014 <key name> <base64 signature>'");
      }
      String name = line.substring(SIGNATURE_PREFIX.length(), space);
      if (!isValidName(name)) {
        throw new IllegalArgumentException("a note signature line names an invalid key name");
      }
      byte[] raw = decodeBase64(line.substring(space + 1), "a note signature");
      if (raw.length < 5) {
        throw new IllegalArgumentException("a note signature has a 4-byte key hash and at least one more byte");
      }
      int hash = ((raw[0] & 0xff) << 24) | ((raw[1] & 0xff) << 16) | ((raw[2] & 0xff) << 8) | (raw[3] & 0xff);
      return new Signature(name, hash, Arrays.copyOfRange(raw, 4, raw.length));
    }

    /**
     * The key name.
     *
     * @return the key name as the signature line gives it; non-empty, no spaces or {@code +}
     */
    public String name() {
      return name;
    }

    /**
     * The key hash (key ID): an unsigned 32-bit number held in an {@code int}.
     *
     * @return the key hash's 32 bits, big-endian as on the line; compare with {@link NoteVerifier#keyHash()}
     */
    public int keyHash() {
      return keyHash;
    }

    /**
     * The signature bytes after the key hash (for a cosignature, the timestamp and the signature). A copy.
     *
     * @return at least one byte, a new array
     */
    public byte[] bytes() {
      return bytes.clone();
    }

    /**
     * The signature line, ending in a newline: {@code — <name> <base64(key hash || bytes)>}.
     *
     * @return the line, as {@link Note#encode()} writes it
     */
    public String line() {
      byte[] raw = new byte[4 + bytes.length];
      raw[0] = (byte) (keyHash >>> 24);
      raw[1] = (byte) (keyHash >>> 16);
      raw[2] = (byte) (keyHash >>> 8);
      raw[3] = (byte) keyHash;
      System.arraycopy(bytes, 0, raw, 4, bytes.length);
      return SIGNATURE_PREFIX + name + " " + Base64.getEncoder().encodeToString(raw) + "\n";
    }

    /** The key as {@code <name>+<8 hex digits>}, as messages name it. */
    String key() {
      return name + "+" + hex(keyHash);
    }

    /** Two signatures are equal if their lines are. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Signature s && name.equals(s.name) && keyHash == s.keyHash
          && MessageDigest.isEqual(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * name.hashCode() + keyHash) + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Signature[" + key() + ", " + bytes.length + " bytes]";
    }
  }

  // Shared syntax rules of the package.

  /** Eight lower-case hex digits. */
  static String hex(int keyHash) {
    String h = Integer.toHexString(keyHash);
    return "00000000".substring(h.length()) + h;
  }

  /**
   * Checks a key name: non-empty, no '+', no Unicode space (Go's unicode.IsSpace: White_Space), no other control
   * character and no unpaired surrogate.
   */
  static String checkName(String name) {
    if (!isValidName(Objects.requireNonNull(name, "name"))) {
      throw new IllegalArgumentException("a key name is non-empty, without spaces, control characters or '+'");
    }
    return name;
  }

  static boolean isValidName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (cp == '+' || cp < 0x20 || cp == 0x85 || Character.isSpaceChar(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return true;
  }

  /** Checks a note text: ends in a newline, no other control character, encodable as UTF-8. */
  static void checkText(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
      throw new IllegalArgumentException("a note text ends with a newline");
    }
    checkNoControlCharacters(text, "a note text");
    encodeUtf8(text, "a note text");
  }

  static void checkNoControlCharacters(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new IllegalArgumentException(what + " contains no control character other than newline");
      }
    }
  }

  static String decodeUtf8(byte[] bytes, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " is valid UTF-8");
    }
  }

  static byte[] encodeUtf8(String s, String what) {
    try {
      ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " has no unpaired surrogate");
    }
  }

  /**
   * Decodes canonical padded standard base64 (RFC 4648 section 4): the JDK's decoder also takes missing padding and
   * non-zero unused bits, which would give one value several encodings, so the result must encode back to
   * {@code s}.
   */
  static byte[] decodeBase64(String s, String what) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not base64");
    }
    if (!Base64.getEncoder().encodeToString(bytes).equals(s)) {
      throw new IllegalArgumentException(what + " is not canonical padded base64");
    }
    return bytes;
  }
}
