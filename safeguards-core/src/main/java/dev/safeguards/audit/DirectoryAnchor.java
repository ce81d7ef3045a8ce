package dev.safeguards.audit;

import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.internal.AtomicFiles;
import dev.safeguards.tlog.ProofException;
import dev.safeguards.tlog.Proofs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link CheckpointAnchor} in a directory meant to be another mount than the log's (a network share, a volume only
 * the anchor's account can write, a write-once bucket mounted as files): per origin, the latest checkpoint in a file
 * named by the SHA-256 of the origin, replaced atomically. Like a witness, it keeps only consistent growth: a
 * checkpoint that is smaller than the one it holds, or does not extend it by a valid consistency proof, or is not
 * signed by the checkpoint keys, is refused and changes nothing.
 */
public final class DirectoryAnchor implements CheckpointAnchor {

  private final Path directory;
  private final CheckpointNotes notes;

  private DirectoryAnchor(Path directory, SigningKeyset checkpointKeys) {
    this.directory = directory.toAbsolutePath();
    this.notes = NoteCheckpoints.verifying(checkpointKeys);
  }

  /**
   * An anchor in {@code directory} (created owner-only if missing) that accepts checkpoints signed by {@code
   * checkpointKeys} (the log's keyset, or its public keys).
   *
   * @param directory the anchor's directory, on another mount than the log's; not null
   * @param checkpointKeys the log's checkpoint keys (Ed25519; public keys suffice); not null
   * @return the anchor
   * @throws IllegalArgumentException if the keyset is not Ed25519
   * @throws IOException if the directory cannot be created
   */
  public static DirectoryAnchor create(Path directory, SigningKeyset checkpointKeys) throws IOException {
    Objects.requireNonNull(checkpointKeys, "checkpointKeys");
    AtomicFiles.createOwnerOnlyDirectories(directory);
    return new DirectoryAnchor(directory, checkpointKeys);
  }

  @Override
  public String describe() {
    return "directory " + directory;
  }

  /**
   * The latest checkpoint the anchor holds for {@code origin}, its signature checked.
   *
   * @param origin the log's origin; not null
   * @return the checkpoint; empty if the anchor holds none for that origin
   * @throws IOException if it cannot be read, or is not a checkpoint of that origin signed by the checkpoint keys
   */
  public Optional<AuditCheckpoint> latest(String origin) throws IOException {
    Path file = file(origin);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    if (Files.size(file) > NoteCheckpoints.MAX_NOTE) {
      throw new IOException("the anchored checkpoint " + file + " is too large to be one");
    }
    String note = Files.readString(file, StandardCharsets.UTF_8);
    try {
      TreeWalk.Stated s = notes.open(note);
      if (!s.origin().equals(origin)) {
        throw new IOException("the anchored checkpoint " + file + " is another log's");
      }
      return Optional.of(new AuditCheckpoint(s.origin(), s.size(), s.root(), note));
    } catch (TreeWalk.NoteRejected e) {
      throw new IOException("the anchored checkpoint " + file + " does not verify: " + e.getMessage());
    }
  }

  @Override
  public synchronized void publish(AuditCheckpoint checkpoint, ConsistencyProofs proofs) throws IOException {
    TreeWalk.Stated s = extendsHeld(checkpoint, proofs);
    AtomicFiles.write(file(s.origin()), checkpoint.note().getBytes(StandardCharsets.UTF_8), true);
  }

  @Override
  public void verifyExtends(AuditCheckpoint current, ConsistencyProofs proofs) throws IOException {
    extendsHeld(current, proofs);
  }

  /** What {@code checkpoint} states, once it is signed by the keys and extends the checkpoint held for its origin. */
  private TreeWalk.Stated extendsHeld(AuditCheckpoint checkpoint, ConsistencyProofs proofs) throws IOException {
    TreeWalk.Stated s;
    try {
      s = notes.open(checkpoint.note());
    } catch (TreeWalk.NoteRejected e) {
      throw new AnchorRefusedException(AuditLogTamperedException.Tampering.BAD_CHECKPOINT_SIGNATURE,
          "the checkpoint is not signed by the checkpoint keys: " + e.getMessage());
    }
    Optional<AuditCheckpoint> held = latest(s.origin());
    if (held.isEmpty() || held.get().note().equals(checkpoint.note())) {
      return s;
    }
    AuditCheckpoint old = held.get();
    if (s.size() < old.size()) {
      throw new AnchorRefusedException(AuditLogTamperedException.Tampering.TRUNCATED, "the anchor "
          + describe() + " holds a checkpoint of " + old.size() + " records; " + s.size() + " would roll it back");
    }
    try {
      if (old.size() > 0) {
        Proofs.verifyConsistency(old.size(), s.size(), old.root(), s.root(),
            s.size() == old.size() ? java.util.List.of() : proofs.from(old.size()));
      }
    } catch (ProofException e) {
      throw new AnchorRefusedException(AuditLogTamperedException.Tampering.FORKED, "the checkpoint of " + s.size()
          + " records does not extend the one of " + old.size() + " the anchor " + describe() + " holds: "
          + e.getMessage());
    }
    return s;
  }

  private Path file(String origin) {
    byte[] hash = AuditLogFormat.sha256().digest(origin.getBytes(StandardCharsets.UTF_8));
    return directory.resolve(HexFormat.of().formatHex(hash) + ".checkpoint");
  }
}
