package dev.safeguards.audit;

import dev.safeguards.audit.AuditLogTamperedException.Tampering;
import dev.safeguards.crypto.InvalidSignatureException;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.tlog.Checkpoint;
import dev.safeguards.tlog.Note;
import dev.safeguards.tlog.NoteSigner;
import dev.safeguards.tlog.NoteVerifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The audit log's checkpoints as C2SP tlog-checkpoint signed notes ({@link dev.safeguards.tlog}): the body {@code
 * <origin>\n<size>\n<base64 root>\n}, an empty line, and one signature line by the checkpoint keyset's primary key,
 * whose note key name is the origin. Opening a note accepts a signature line by any of the trusted keys (so rotated
 * keys keep verifying old checkpoints), ignores lines by other keys (a witness's cosignature), and fails when a line
 * names one of the trusted keys but does not verify.
 */
final class NoteCheckpoints implements CheckpointNotes {

  /** A checkpoint note is a few hundred bytes; anything near this is not one. */
  static final int MAX_NOTE = 16 * 1024;

  private final SigningKeyset signer;
  /** The trusted keys of a log, by its origin (the key name). */
  private final Function<String, List<NoteVerifier>> keys;

  private NoteCheckpoints(SigningKeyset signer, Function<String, List<NoteVerifier>> keys) {
    this.signer = signer;
    this.keys = keys;
  }

  /** Signs with the keyset's primary key and opens notes signed by any of its keys. */
  static NoteCheckpoints over(SigningKeyset signer) {
    return verifying(signer);
  }

  /** Opens notes signed by any of the keys (a keyset of public keys only cannot sign). */
  static NoteCheckpoints verifying(SigningKeyset keys) {
    if (!keys.algorithm().equals("Ed25519")) {
      throw new IllegalArgumentException("audit checkpoints are Ed25519 signed notes");
    }
    return new NoteCheckpoints(keys, origin -> NoteSigner.over(origin, keys).verifiers());
  }

  /**
   * Trusts no note key: for a keyset that signed format-1 checkpoints with ECDSA P-256, which no format-2 checkpoint
   * (an Ed25519 note) can be signed with; every note then fails as signed by no trusted key.
   */
  static NoteCheckpoints trustingNone() {
    return new NoteCheckpoints(null, origin -> List.of());
  }

  /**
   * Opens notes signed by one of {@code verifierKeys} (C2SP note verifier keys, {@code name+keyhash+key}), each named
   * by the origin of the log it signs for; cannot sign.
   *
   * @throws IllegalArgumentException if a key is malformed, or is not an Ed25519 note key (type 0x01)
   */
  static NoteCheckpoints verifying(List<NoteVerifier> verifierKeys) {
    List<NoteVerifier> all = List.copyOf(verifierKeys);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("at least one checkpoint verifier key");
    }
    for (NoteVerifier v : all) {
      if (v.isCosigner()) {
        throw new IllegalArgumentException("verifier key " + v.name() + " is not an Ed25519 note key");
      }
    }
    return new NoteCheckpoints(null, origin -> all.stream().filter(v -> v.name().equals(origin)).toList());
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
    if (signer == null) {
      throw new IllegalStateException("verifier keys cannot sign");
    }
    Note note = Checkpoint.of(origin, size, root).sign(NoteSigner.over(origin, signer));
    return new AuditCheckpoint(origin, size, root, new String(note.encode(), StandardCharsets.UTF_8));
  }

  /**
   * What a checkpoint note states, read without checking any signature (the reader of a proof checks it).
   *
   * @throws TreeWalk.NoteRejected if it is not a checkpoint note
   */
  static TreeWalk.Stated read(String note) throws TreeWalk.NoteRejected {
    return stated(checkpoint(parse(note)));
  }

  @Override
  public TreeWalk.Stated statement(String note) throws TreeWalk.NoteRejected {
    return read(note);
  }

  @Override
  public TreeWalk.Stated open(String note) throws TreeWalk.NoteRejected {
    Note parsed = parse(note);
    Checkpoint c = checkpoint(parsed);
    List<NoteVerifier> trusted = keys.apply(c.origin());
    try {
      if (trusted.isEmpty()) {
        throw new InvalidSignatureException("no key of the log " + c.origin() + " is trusted", true);
      }
      Checkpoint.open(parsed, c.origin(), trusted);
    } catch (InvalidSignatureException e) {
      throw new TreeWalk.NoteRejected(Tampering.BAD_CHECKPOINT_SIGNATURE, e.keyUnknown()
          ? "no checkpoint key signed the checkpoint" : "the checkpoint's signature does not verify");
    }
    return stated(c);
  }

  /** The note, well formed as C2SP signed-note says (canonical base64, at most one signature per key, ...). */
  static Note parse(String note) throws TreeWalk.NoteRejected {
    Objects.requireNonNull(note, "note");
    if (note.length() > MAX_NOTE) {
      throw malformed("the note is too long");
    }
    try {
      return Note.parse(note.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  private static Checkpoint checkpoint(Note note) throws TreeWalk.NoteRejected {
    try {
      return Checkpoint.parse(note.text());
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  private static TreeWalk.Stated stated(Checkpoint c) {
    return new TreeWalk.Stated(c.origin(), c.size(), c.rootHash());
  }

  private static TreeWalk.NoteRejected malformed(String why) {
    return new TreeWalk.NoteRejected(Tampering.MODIFIED, why);
  }
}
