package dev.safeguards.audit;

import dev.safeguards.crypto.InvalidSignatureException;
import dev.safeguards.crypto.KeyId;
import dev.safeguards.crypto.KeyedSignature;
import dev.safeguards.crypto.SigningKeyset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A signed statement that an audit log held {@link #sequence} records whose chain hash was {@link #head}, at
 * {@link #time} (164.312(b), (c)(1)).
 *
 * <p>This is the checkpoint of format 1 (the hash chain, docs/audit-log-format-v1.md, which specifies the signed bytes,
 * {@link #statement()}): logs written today carry C2SP signed notes instead ({@link AuditCheckpoint}). It remains
 * so that a format-1 log and the checkpoints kept of it elsewhere still verify: a copy kept elsewhere lets {@link
 * AuditLogVerifier.Builder#expectCheckpoint} detect a log cut short or rewritten up to it. {@link #encode()} and
 * {@link #parse} give a text form for storage.
 *
 * @param logId the log's id, from the first record of its first segment
 * @param sequence the sequence number of the last record covered
 * @param head the chain hash of that record, 64 lower-case hex digits
 * @param time when the checkpoint was made, to the millisecond
 * @param keyId the signing key
 * @param signature the signature over {@link #statement()}, unpadded base64url
 */
public record SignedCheckpoint(UUID logId, long sequence, String head, Instant time, KeyId keyId, String signature) {

  /** The first line of the signed statement and of the text form. */
  public static final String HEADER = "safeguards-audit-checkpoint/v1";

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{1,1024}");

  /**
   * Checks every part.
   *
   * @param logId the log's id; not null
   * @param sequence the sequence number of the last record covered, from 1
   * @param head the chain hash of that record: 64 lower-case hex digits; not null
   * @param time when the checkpoint was made, to the millisecond; not null
   * @param keyId the signing key's id; not null
   * @param signature the signature: 1 to 1024 unpadded base64url characters; not null. Not verified here:
   *     {@link #verify} does
   * @throws NullPointerException if a part is null
   * @throws IllegalArgumentException if the sequence is not positive, the head is not 64 lower-case hex digits, the
   *     time has sub-millisecond precision, or the signature is not unpadded base64url
   */
  public SignedCheckpoint {
    Objects.requireNonNull(logId, "logId");
    if (sequence < 1) {
      throw new IllegalArgumentException("a checkpoint covers at least one record");
    }
    if (!HEX64.matcher(Objects.requireNonNull(head, "head")).matches()) {
      throw new IllegalArgumentException("a checkpoint head is 64 lower-case hex digits");
    }
    if (!Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.MILLIS).equals(time)) {
      throw new IllegalArgumentException("a checkpoint time is recorded to the millisecond");
    }
    Objects.requireNonNull(keyId, "keyId");
    if (!BASE64URL.matcher(Objects.requireNonNull(signature, "signature")).matches()) {
      throw new IllegalArgumentException("a checkpoint signature is unpadded base64url");
    }
  }

  /** Signs a statement for {@code logId}, {@code sequence}, {@code head} and {@code time} with the primary key. */
  static SignedCheckpoint sign(SigningKeyset signer, UUID logId, long sequence, byte[] head, Instant time) {
    String headHex = HexFormat.of().formatHex(head);
    KeyedSignature sig = signer.signNamingKey(key -> statement(logId, sequence, headHex, time, key));
    return new SignedCheckpoint(logId, sequence, headHex, time, sig.keyId(),
        Base64.getUrlEncoder().withoutPadding().encodeToString(sig.value()));
  }

  /**
   * The signed bytes: six lines, each ended by a line feed: {@value #HEADER}, {@code log <uuid>},
   * {@code seq <decimal>}, {@code head <hex>}, {@code time <yyyy-MM-ddTHH:mm:ss.SSSZ>}, {@code key <8 hex digits>}.
   *
   * @return the statement's US-ASCII bytes, a new array
   */
  public byte[] statement() {
    return statement(logId, sequence, head, time, keyId);
  }

  private static byte[] statement(UUID logId, long sequence, String head, Instant time, KeyId keyId) {
    return (HEADER + "\nlog " + logId + "\nseq " + sequence + "\nhead " + head + "\ntime " + AuditJson.time(time)
        + "\nkey " + keyId + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Verifies the signature with the checkpoint public keys.
   *
   * @param publicKeys the log's checkpoint keys (public keys suffice); not null
   * @throws InvalidSignatureException if the key is unknown or the signature does not verify
   */
  public void verify(SigningKeyset publicKeys) throws InvalidSignatureException {
    byte[] sig;
    try {
      sig = Base64.getUrlDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      throw new InvalidSignatureException("the checkpoint signature is not base64url", false);
    }
    publicKeys.verify(statement(), new KeyedSignature(keyId, sig));
  }

  /**
   * The text form: the statement followed by {@code sig <base64url>} and a line feed.
   *
   * @return seven lines, each ended by a line feed, which {@link #parse} reads back
   */
  public String encode() {
    return new String(statement(), StandardCharsets.US_ASCII) + "sig " + signature + "\n";
  }

  /**
   * Reads the text form of {@link #encode()}.
   *
   * @param text the text form; not null
   * @return the checkpoint, its signature not verified
   * @throws IllegalArgumentException if the text is not exactly that form
   */
  public static SignedCheckpoint parse(String text) {
    String[] lines = text.split("\n", -1);
    if (lines.length != 8 || !lines[0].equals(HEADER) || !lines[7].isEmpty()) {
      throw new IllegalArgumentException("not a signed audit checkpoint");
    }
    try {
      SignedCheckpoint c = new SignedCheckpoint(UUID.fromString(field(lines[1], "log")),
          Long.parseLong(field(lines[2], "seq")), field(lines[3], "head"), Instant.parse(field(lines[4], "time")),
          KeyId.parse(field(lines[5], "key")), field(lines[6], "sig"));
      if (!c.encode().equals(text)) {
        throw new IllegalArgumentException("not a signed audit checkpoint in its exact form");
      }
      return c;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a signed audit checkpoint", e);
    }
  }

  private static String field(String line, String name) {
    if (!line.startsWith(name + " ")) {
      throw new IllegalArgumentException("expected " + name);
    }
    return line.substring(name.length() + 1);
  }
}
