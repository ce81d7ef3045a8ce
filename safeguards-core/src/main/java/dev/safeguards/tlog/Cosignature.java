package dev.safeguards.tlog;

import dev.safeguards.crypto.InvalidSignatureException;
import dev.safeguards.crypto.SigningKeyset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A witness's verified cosignature of a checkpoint (c2sp.org/tlog-cosignature, cosignature/v1 with Ed25519): the
 * statement that, at {@link #time()}, the largest consistent tree the witness had seen of the log was this
 * checkpoint's. Clients that require cosignatures from independent witnesses are protected from a log that shows
 * different histories to different readers (164.312(b), (c)(1)).
 *
 * <p>A cosignature is a note signature of type {@code 0x04}: the key hash is
 * {@code SHA-256(name || 0x0A || 0x04 || public key)[:4]}, and the signature line holds the key hash, the 8-byte
 * big-endian timestamp (POSIX seconds) and the Ed25519 signature of
 * {@code "cosignature/v1\ntime <timestamp>\n" || checkpoint text} (extension lines included). {@link #signer} makes
 * such signatures (a {@link NoteSigner} that {@link Note#addSignatures adds} them to checkpoint notes), and
 * {@link #verifier} or {@link NoteVerifier#parse} a witness's verifier key of type 0x04, which {@link #verify}
 * checks. A {@code Cosignature} can only come from {@link #verify}. Instances are immutable and thread-safe.
 */
public final class Cosignature {

  /** The length of the timestamp before the Ed25519 signature. */
  static final int TIMESTAMP_LENGTH = 8;

  private static final byte[] HEADER = "cosignature/v1\ntime ".getBytes(StandardCharsets.US_ASCII);

  private final Checkpoint checkpoint;
  private final NoteVerifier cosigner;
  private final Instant time;

  private Cosignature(Checkpoint checkpoint, NoteVerifier cosigner, Instant time) {
    this.checkpoint = checkpoint;
    this.cosigner = cosigner;
    this.time = time;
  }

  /**
   * A cosigner with a freshly generated Ed25519 key, whose timestamps come from {@code clock}: for tests and
   * short-lived witnesses. It signs checkpoints only.
   *
   * @param name the witness's key name, e.g. {@code witness.example/w1}; not null
   * @param clock gives each cosignature's time, to the second; not null, not before 1970 when signing
   * @return a cosigner whose key no other object holds; its {@link NoteSigner#verifier()} is the witness's verifier key
   * @throws IllegalArgumentException if the name is not a valid key name (non-empty, without spaces, control
   *     characters or '+')
   */
  public static NoteSigner generateSigner(String name, Clock clock) {
    Note.checkName(name);
    Objects.requireNonNull(clock, "clock");
    return NoteSigner.keyPair(name, NoteVerifier.COSIGNATURE_V1, clock, NoteSigner.newPrivateKey());
  }

  /**
   * A cosigner with an Ed25519 private key (the 32-byte RFC 8032 private key, copied; the caller should erase its
   * own copy), whose timestamps come from {@code clock}. It signs checkpoints only. The spec requires one key per
   * cosigner: the signed message does not name the cosigner, so a key must not serve under two names.
   *
   * @param name the witness's key name; not null
   * @param privateKey the 32-byte Ed25519 seed; not null; copied, and the copy is erased once the key pair is derived
   * @param clock gives each cosignature's time, to the second; not null, not before 1970 when signing
   * @return a cosigner with that key
   * @throws IllegalArgumentException if the name is not a valid key name or the key does not have 32 bytes
   */
  public static NoteSigner signer(String name, byte[] privateKey, Clock clock) {
    Note.checkName(name);
    Objects.requireNonNull(clock, "clock");
    return NoteSigner.keyPair(name, NoteVerifier.COSIGNATURE_V1, clock, NoteSigner.checkPrivateKey(privateKey));
  }

  /**
   * A cosigner over the primary key of an Ed25519 signing keyset (whose private keys stay encrypted in their keyset
   * file), whose timestamps come from {@code clock}. It signs checkpoints only; its {@link NoteSigner#verifier()} is
   * the witness's verifier key for clients.
   *
   * @param name the witness's key name; not null
   * @param keyset an Ed25519 signing keyset, whose primary key signs; not null, used (not copied) at each signature
   * @param clock gives each cosignature's time, to the second; not null, not before 1970 when signing
   * @return a cosigner that follows the keyset's primary key as it rotates
   * @throws IllegalArgumentException if the name is not a valid key name or the keyset is not of algorithm
   *     {@code Ed25519}
   */
  public static NoteSigner signer(String name, SigningKeyset keyset, Clock clock) {
    Note.checkName(name);
    Objects.requireNonNull(clock, "clock");
    if (!Objects.requireNonNull(keyset, "keyset").algorithm().equals("Ed25519")) {
      throw new IllegalArgumentException("a cosigner needs an Ed25519 keyset, not " + keyset.algorithm());
    }
    return NoteSigner.overKeyset(name, NoteVerifier.COSIGNATURE_V1, keyset, clock);
  }

  /**
   * The verifier (signature type 0x04) of a witness's Ed25519 public key (32 bytes) under its name.
   *
   * @param name the witness's key name; not null
   * @param publicKey the witness's 32-byte Ed25519 public key; not null; copied
   * @return the verifier, of type 0x04
   * @throws IllegalArgumentException if the name is not a valid key name or the key does not have 32 bytes
   */
  public static NoteVerifier verifier(String name, byte[] publicKey) {
    return NoteVerifier.cosignatureV1(name, publicKey);
  }

  /**
   * Verifies {@code cosigner}'s cosignature of the checkpoint in {@code note}. It does not check the log's own
   * signature: {@link Checkpoint#open} does. Timestamps in the future are accepted; a client that wants fresh
   * cosignatures compares {@link #time()} with its clock.
   *
   * @param note a signed checkpoint note; not null
   * @param cosigner the witness's verifier key, of type 0x04; not null
   * @return the cosignature: the checkpoint as the note states it, the key and the time
   * @throws IllegalArgumentException if {@code cosigner} is not a cosignature key (type 0x04) or the note's text is
   *     not a checkpoint
   * @throws InvalidSignatureException if the note has no cosignature by that key
   *     ({@link InvalidSignatureException#keyUnknown()} {@code true}), or it does not verify, or its time is beyond
   *     what {@link Instant} holds
   */
  public static Cosignature verify(Note note, NoteVerifier cosigner) throws InvalidSignatureException {
    Objects.requireNonNull(note, "note");
    if (Objects.requireNonNull(cosigner, "cosigner").type() != NoteVerifier.COSIGNATURE_V1) {
      throw new IllegalArgumentException("key " + cosigner.name() + "+" + Note.hex(cosigner.keyHash())
          + " is not a cosignature key (type 0x04)");
    }
    Checkpoint checkpoint = Checkpoint.parse(note.text());
    Note.Signature signature = note.open(List.of(cosigner)).get(0);
    long timestamp = timestamp(signature.bytes());
    if (timestamp > Instant.MAX.getEpochSecond()) {
      throw new InvalidSignatureException("the cosignature by key " + cosigner.name() + "+"
          + Note.hex(cosigner.keyHash()) + " has a time beyond the year 1000000000", false);
    }
    return new Cosignature(checkpoint, cosigner, Instant.ofEpochSecond(timestamp));
  }

  /**
   * The checkpoint that was cosigned.
   *
   * @return the checkpoint, parsed from the cosigned note's text (not verified against the log's key)
   */
  public Checkpoint checkpoint() {
    return checkpoint;
  }

  /**
   * The witness's verifier key.
   *
   * @return the key the cosignature verified under, as passed to {@link #verify}
   */
  public NoteVerifier cosigner() {
    return cosigner;
  }

  /**
   * When the witness cosigned, to the second.
   *
   * @return the cosignature's timestamp, in whole seconds; may be in the future
   */
  public Instant time() {
    return time;
  }

  /** The signed message: {@code "cosignature/v1\ntime <timestamp>\n"} then the checkpoint text. */
  static byte[] message(long timestamp, byte[] checkpointText) {
    byte[] time = (Long.toString(timestamp) + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] m = new byte[HEADER.length + time.length + checkpointText.length];
    System.arraycopy(HEADER, 0, m, 0, HEADER.length);
    System.arraycopy(time, 0, m, HEADER.length, time.length);
    System.arraycopy(checkpointText, 0, m, HEADER.length + time.length, checkpointText.length);
    return m;
  }

  /** The big-endian timestamp at the start of a cosignature's bytes (negative if above 2^63 - 1). */
  static long timestamp(byte[] signature) {
    long t = 0;
    for (int i = 0; i < TIMESTAMP_LENGTH; i++) {
      t = (t << 8) | (signature[i] & 0xff);
    }
    return t;
  }

  /** {@code timestamp} (8 bytes, big-endian) followed by {@code signature}. */
  static byte[] timestamped(long timestamp, byte[] signature) {
    byte[] out = new byte[TIMESTAMP_LENGTH + signature.length];
    for (int i = 0; i < TIMESTAMP_LENGTH; i++) {
      out[i] = (byte) (timestamp >>> (8 * (TIMESTAMP_LENGTH - 1 - i)));
    }
    System.arraycopy(signature, 0, out, TIMESTAMP_LENGTH, signature.length);
    return out;
  }

  @Override
  public String toString() {
    return "Cosignature[" + cosigner.name() + "+" + Note.hex(cosigner.keyHash()) + " at " + time + " of "
        + checkpoint + "]";
  }
}
