package dev.safeguards.audit;

import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.internal.AtomicFiles;
import dev.safeguards.tlog.Cosignature;
import dev.safeguards.tlog.Merkle;
import dev.safeguards.tlog.Note;
import dev.safeguards.tlog.NoteSigner;
import dev.safeguards.tlog.ProofException;
import dev.safeguards.tlog.Proofs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A witness for audit logs, as the C2SP tlog-witness protocol's {@code add-checkpoint} defines it: for each log it
 * knows (an origin and its checkpoint keys), it keeps the latest checkpoint it cosigned, in a state directory, and
 * cosigns a new one only if it is signed by the log's key and extends that one by a valid consistency proof. A
 * rollback, a fork or a bad proof is refused with the protocol's status codes and changes nothing. The check and the
 * update are atomic (one lock), and the state is on disk before the cosignature is returned.
 *
 * <p>{@link #addCheckpoint} takes the request body and returns the response; the CLI's {@code safeguards witness
 * serve} puts it behind HTTP. Cosignatures are Ed25519 (c2sp.org/tlog-cosignature v1) by the primary key of the
 * witness's keyset.
 */
public final class AuditWitness {

  /**
   * A response: its status, content type and body.
   *
   * @param status the HTTP status: 200 with the cosignature line, 409 with the size the witness holds, else an error
   * @param contentType the {@code Content-Type} to send
   * @param body the body: the cosignature line, the held size, or a short error in words
   */
  public record Response(int status, String contentType, String body) {}

  private static final int MAX_REQUEST = 64 * 1024;

  private final Path state;
  private final String name;
  private final NoteSigner cosigner;
  private final Map<String, CheckpointNotes> logs;
  private final Clock clock;

  private AuditWitness(Path state, String name, SigningKeyset key, Map<String, CheckpointNotes> logs, Clock clock) {
    this.state = state;
    this.name = name;
    this.cosigner = Cosignature.signer(name, key, clock);
    this.logs = logs;
    this.clock = clock;
  }

  /**
   * A witness named {@code name} (a schema-less URL), cosigning with {@code key} (an Ed25519 keyset that can sign),
   * for the logs of {@code logs} (origin to the log's checkpoint public keys), keeping its state in {@code state}
   * (created owner-only if missing).
   *
   * @param state the state directory; not null
   * @param name the witness's name, which is also its key name: 1 to 255 printable ASCII characters without spaces or
   *     {@code +}
   * @param key the witness's Ed25519 signing keyset; not null, used (not copied) at each cosignature
   * @param logs each known log's origin, mapped to its checkpoint keys (Ed25519, public keys suffice); not null; copied
   * @param clock gives each cosignature's time; not null
   * @return the witness
   * @throws IllegalArgumentException if the name or an origin is not a valid origin, a keyset is not Ed25519, or
   *     {@code key} cannot sign (public keys only): a witness that cannot cosign is refused at once, not at its first
   *     checkpoint
   * @throws IOException if the state directory cannot be created
   */
  public static AuditWitness open(Path state, String name, SigningKeyset key, Map<String, SigningKeyset> logs,
      Clock clock) throws IOException {
    NoteCheckpoints.checkOrigin(name);
    Map<String, CheckpointNotes> verifiers = new java.util.HashMap<>();
    logs.forEach((origin, keys) -> verifiers.put(NoteCheckpoints.checkOrigin(origin), NoteCheckpoints.verifying(keys)));
    AuditWitness witness = new AuditWitness(state.toAbsolutePath(), name, Objects.requireNonNull(key, "key"),
        Map.copyOf(verifiers), Objects.requireNonNull(clock, "clock"));
    try {
      witness.verifierKey();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("the witness's keyset cannot sign: it holds public keys only", e);
    }
    AtomicFiles.createOwnerOnlyDirectories(state);
    return witness;
  }

  /**
   * The witness's verifier key, {@code <name>+<key id>+<base64(0x04 || public key)>}, for its clients.
   *
   * @return the verifier key of the keyset's current primary key
   * @throws IllegalStateException if the keyset cannot sign
   */
  public String verifierKey() {
    return cosigner.verifier().vkey();
  }

  /**
   * The witness's name.
   *
   * @return the name given to {@link #open}
   */
  public String name() {
    return name;
  }

  /**
   * The latest checkpoint this witness cosigned for the log {@code origin}, with its cosignature (and the log's
   * signature): what a verifier pins with {@link AuditLogVerifier.Builder#trustCosignedCheckpoint}. It is kept in the
   * state directory as {@code <hex SHA-256 of the origin>.checkpoint}.
   *
   * @param origin the log's origin; not null
   * @return the cosigned note; empty if this witness has cosigned none for that log
   * @throws IOException if the state cannot be read
   */
  public synchronized java.util.Optional<String> cosignedCheckpoint(String origin) throws IOException {
    Path file = file(Objects.requireNonNull(origin, "origin"));
    return Files.exists(file) ? java.util.Optional.of(Files.readString(file, StandardCharsets.UTF_8))
        : java.util.Optional.empty();
  }

  /**
   * Answers an {@code add-checkpoint} request body. Never throws for any input.
   *
   * @param request the request body: {@code old <size>}, the proof lines, a blank line, the checkpoint note; not null,
   *     at most 64 KiB
   * @return 200 and the cosignature line once the state is on disk; 400 for a malformed request, 403 for a checkpoint
   *     the log's key did not sign, 404 for an unknown log, 409 if {@code old} is not the size the witness holds, 422
   *     for a bad proof, 500 if the state cannot be written
   */
  public synchronized Response addCheckpoint(byte[] request) {
    if (request.length > MAX_REQUEST) {
      return text(400, "request too large\n");
    }
    String body = new String(request, StandardCharsets.UTF_8);
    int blank = body.indexOf("\n\n");
    if (!body.startsWith("old ") || blank < 0) {
      return text(400, "malformed request\n");
    }
    String[] head = body.substring(0, blank).split("\n", -1);
    String note = body.substring(blank + 2);
    long old;
    List<byte[]> proof = new ArrayList<>();
    try {
      old = size(head[0].substring(4));
      if (head.length - 1 > 63) {
        return text(400, "too many proof lines\n");
      }
      for (int i = 1; i < head.length; i++) {
        byte[] hash = Base64.getDecoder().decode(head[i]);
        if (hash.length != Merkle.HASH_SIZE || !Base64.getEncoder().encodeToString(hash).equals(head[i])) {
          return text(400, "a proof line is not a hash\n");
        }
        proof.add(hash);
      }
    } catch (IllegalArgumentException e) {
      return text(400, "malformed request\n");
    }
    TreeWalk.Stated stated;
    try {
      stated = NoteCheckpoints.read(note);
    } catch (TreeWalk.NoteRejected e) {
      return text(400, "malformed checkpoint\n");
    }
    CheckpointNotes log = logs.get(stated.origin());
    if (log == null) {
      return text(404, "unknown log\n");
    }
    try {
      log.open(note);
    } catch (TreeWalk.NoteRejected e) {
      return text(403, "the checkpoint is not signed by the log's key\n");
    }
    if (old > stated.size()) {
      return text(400, "old size beyond the checkpoint's\n");
    }
    String cosignature;
    try {
      AuditCheckpoint held = held(stated.origin(), log);
      long heldSize = held == null ? 0 : held.size();
      if (old != heldSize) {
        return new Response(409, "text/x.tlog.size", heldSize + "\n");
      }
      if (stated.size() == 0 && !java.security.MessageDigest.isEqual(stated.root(), Merkle.emptyRoot())) {
        return text(422, "a checkpoint of no records has the empty tree's root\n");
      }
      if (old == 0 && !proof.isEmpty()) {
        return text(422, "no proof is needed from the empty tree\n");
      }
      if (old > 0) {
        try {
          Proofs.verifyConsistency(old, stated.size(), held.root(), stated.root(), proof);
        } catch (ProofException e) {
          return text(422, "the checkpoint does not extend the one of " + old + " records\n");
        }
      }
      Note cosigned = NoteCheckpoints.parse(note).addSignatures(cosigner);
      List<Note.Signature> signatures = cosigned.signatures();
      cosignature = signatures.get(signatures.size() - 1).line();
      AtomicFiles.write(file(stated.origin()), cosigned.encode(), true);
    } catch (IOException e) {
      return text(500, "the witness cannot keep its state\n");
    } catch (TreeWalk.NoteRejected | IllegalArgumentException e) {
      return text(400, "malformed checkpoint\n");
    }
    return new Response(200, "text/plain; charset=utf-8", cosignature);
  }

  /** The checkpoint the witness last cosigned for {@code origin}, or null. */
  private AuditCheckpoint held(String origin, CheckpointNotes log) throws IOException {
    Path file = file(origin);
    if (!Files.exists(file)) {
      return null;
    }
    String note = Files.readString(file, StandardCharsets.UTF_8);
    try {
      TreeWalk.Stated s = log.open(note);
      return new AuditCheckpoint(s.origin(), s.size(), s.root(), note);
    } catch (TreeWalk.NoteRejected e) {
      throw new IOException("the witness's state for " + origin + " does not verify");
    }
  }

  private Path file(String origin) {
    byte[] hash = AuditLogFormat.sha256().digest(origin.getBytes(StandardCharsets.UTF_8));
    return state.resolve(HexFormat.of().formatHex(hash) + ".checkpoint");
  }

  private static long size(String text) {
    if (text.isEmpty() || text.length() > 19 || (text.length() > 1 && text.charAt(0) == '0')
        || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not a size");
    }
    return Long.parseLong(text);
  }

  private static Response text(int status, String body) {
    return new Response(status, "text/plain; charset=utf-8", body);
  }
}
