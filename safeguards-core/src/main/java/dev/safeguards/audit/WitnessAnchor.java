package dev.safeguards.audit;

import dev.safeguards.audit.AuditLogTamperedException.Tampering;
import dev.safeguards.crypto.InvalidSignatureException;
import dev.safeguards.tlog.Cosignature;
import dev.safeguards.tlog.Note;
import dev.safeguards.tlog.NoteVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A {@link CheckpointAnchor} that is a C2SP tlog-witness: every checkpoint goes to the witness's {@code add-checkpoint}
 * with a consistency proof from the size the witness last cosigned, and counts as anchored only once the witness's
 * cosignature verifies with the witness's key. A witness refuses a rollback (it holds more records: {@link
 * Tampering#TRUNCATED}) and a fork (the proof fails: {@link Tampering#FORKED}); on opening, the log sends its current
 * tree this way, so a log cut back or rewritten since is refused.
 *
 * <p>The size the witness holds is learned from its {@code 409 Conflict} answer, so no state is kept on the log's
 * host. Thread-safe.
 */
public final class WitnessAnchor implements CheckpointAnchor {

  private final URI addCheckpoint;
  private final String name;
  private final NoteVerifier verifier;
  private final HttpClient http;
  private final Duration timeout;
  private volatile long known;

  private WitnessAnchor(URI submissionPrefix, NoteVerifier verifier, HttpClient http, Duration timeout) {
    String prefix = submissionPrefix.toString();
    this.addCheckpoint = URI.create(prefix.endsWith("/") ? prefix + "add-checkpoint" : prefix + "/add-checkpoint");
    this.name = verifier.name();
    this.verifier = verifier;
    this.http = http;
    this.timeout = timeout;
  }

  /**
   * A witness at {@code submissionPrefix} ({@code <prefix>/add-checkpoint} is posted to) whose verifier key is {@code
   * witnessKey} ({@code <name>+<key id>+<base64(0x04 || Ed25519 public key)>}, as {@code safeguards witness serve}
   * prints it), asked with {@code http} and waited for at most {@code timeout}.
   *
   * @param submissionPrefix the witness's URL prefix, e.g. {@code https://witness.example/}; not null
   * @param witnessKey the witness's verifier key; not null
   * @param http the client to post with; not null, shared, not closed by the anchor
   * @param timeout the longest wait for each answer; not null
   * @return the anchor; it knows of no size the witness holds until the witness says
   * @throws IllegalArgumentException if the verifier key is malformed, its key id does not match, or it is not a
   *     cosignature key (type 0x04)
   */
  public static WitnessAnchor create(URI submissionPrefix, String witnessKey, HttpClient http, Duration timeout) {
    Objects.requireNonNull(submissionPrefix, "submissionPrefix");
    NoteVerifier verifier = NoteVerifier.parse(Objects.requireNonNull(witnessKey, "witnessKey"));
    if (!verifier.isCosigner()) {
      throw new IllegalArgumentException("the witness key is not an Ed25519 cosignature key (type 0x04)");
    }
    return new WitnessAnchor(submissionPrefix, verifier, Objects.requireNonNull(http, "http"),
        Objects.requireNonNull(timeout, "timeout"));
  }

  @Override
  public String describe() {
    return "witness " + name + " at " + addCheckpoint;
  }

  @Override
  public void publish(AuditCheckpoint checkpoint, ConsistencyProofs proofs) throws IOException {
    long old = Math.min(known, checkpoint.size());
    for (int attempt = 0; attempt < 3; attempt++) {
      HttpResponse<String> r = send(checkpoint, old, proofs);
      switch (r.statusCode()) {
        case 200 -> {
          verifyCosignature(r.body(), checkpoint);
          known = checkpoint.size();
          return;
        }
        case 409 -> {
          long held = heldSize(r.body());
          if (held > checkpoint.size()) {
            known = held;
            throw new AnchorRefusedException(Tampering.TRUNCATED, "the witness " + name + " cosigned a checkpoint "
                + "of " + held + " records; the log's holds " + checkpoint.size());
          }
          old = held;
        }
        case 422 -> throw new AnchorRefusedException(Tampering.FORKED, "the witness " + name + " found that the "
            + "checkpoint of " + checkpoint.size() + " records does not extend the one of " + old + " it cosigned");
        case 403 -> throw new AnchorRefusedException(Tampering.BAD_CHECKPOINT_SIGNATURE, "the witness " + name
            + " does not accept the checkpoint's signature for this log");
        case 404 -> throw new IOException("the witness " + name + " does not know the log " + checkpoint.origin());
        default -> throw new IOException("the witness " + name + " answered " + r.statusCode());
      }
    }
    throw new IOException("the witness " + name + " kept changing its size");
  }

  @Override
  public void verifyExtends(AuditCheckpoint current, ConsistencyProofs proofs) throws IOException {
    publish(current, proofs);
  }

  private HttpResponse<String> send(AuditCheckpoint checkpoint, long old, ConsistencyProofs proofs)
      throws IOException {
    StringBuilder body = new StringBuilder("old ").append(old).append('\n');
    if (old > 0 && old < checkpoint.size()) {
      List<byte[]> proof = proofs.from(old);
      proof.forEach(h -> body.append(Base64.getEncoder().encodeToString(h)).append('\n'));
    }
    body.append('\n').append(checkpoint.note());
    HttpRequest request = HttpRequest.newBuilder(addCheckpoint).timeout(timeout)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking the witness " + name, e);
    }
  }

  private void verifyCosignature(String lines, AuditCheckpoint checkpoint) throws IOException {
    try {
      if (lines.length() > NoteCheckpoints.MAX_NOTE) {
        throw new IllegalArgumentException("the answer is too long");
      }
      Cosignature.verify(Note.parse((checkpoint.note() + lines).getBytes(StandardCharsets.UTF_8)), verifier);
    } catch (IllegalArgumentException | InvalidSignatureException e) {
      throw new IOException("the witness " + name + " answered without a valid cosignature: " + e.getMessage());
    }
  }

  private long heldSize(String body) throws IOException {
    String text = body.strip();
    if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IOException("the witness " + name + " answered 409 without a size");
    }
    return Long.parseLong(text);
  }
}
