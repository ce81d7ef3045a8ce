package dev.safeguards.cli;

import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditLogTamperedException;
import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.SignedCheckpoint;
import dev.safeguards.audit.VerifiedAuditLog;
import dev.safeguards.crypto.InvalidSignatureException;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.postgresql.PostgresAuditLogs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards audit verify}: every record in order and every checkpoint signed, or where it stops. */
@Command(name = "verify",
    description = {
        "Verifies an audit log directory (format 2, or format 1 written before it), or the log kept in PostgreSQL "
            + "at a jdbc:postgresql:// URL: every record in order and in the tree, every checkpoint signed by a key of "
            + "the public key file.",
        "Intact: exit status 0 and a one-line summary. Otherwise exit status 1 and the first sequence number that "
            + "does not verify with the kind of damage: MODIFIED, DELETED, REORDERED, INSERTED, TRUNCATED, "
            + "REWRITTEN, FORKED or BAD_CHECKPOINT_SIGNATURE."})
final class AuditVerifyCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "LOG",
      description = "The audit log directory, or the PostgreSQL database holding the log (jdbc:postgresql://host:"
          + "5432/db; see --db-user, --db-password-file, --schema).")
  private String log;

  @Mixin
  private DatabaseOptions database;

  @Option(names = "--public-key", required = true, paramLabel = "FILE",
      description = "The checkpoint public keys: a JWK set, as 'safeguards keys public' prints it, or note verifier "
          + "keys one per line, as 'safeguards keys public --note-name ORIGIN' prints them (format 2 only).")
  private Path publicKey;

  @Option(names = "--witness-key", paramLabel = "VKEY",
      description = "A witness's verifier key: every signed note given with --expect-checkpoint must carry a valid "
          + "cosignature by it (the witness keeps the latest cosigned checkpoint of each log in its state "
          + "directory), so the log is held to what the witness saw.")
  private String witnessKey;

  @Option(names = "--expect-checkpoint", paramLabel = "FILE",
      description = "A checkpoint kept off the host, repeatable: a signed note (as the log's 'checkpoint' file, an "
          + "anchor or a witness holds it), or a format-1 checkpoint's text form. The log must reach it with exactly "
          + "its tree (or chain hash), so a log cut short (TRUNCATED) or rewritten up to it (FORKED) fails.")
  private List<Path> expected = new ArrayList<>();

  @Option(names = "--allow-archived-prefix",
      description = "Accepts a log whose first segments were sealed into archives and removed. Warning: the "
          + "verifier then cannot tell archiving from deletion; check the archives' manifests.")
  private boolean allowArchivedPrefix;

  @Override
  public Integer call() {
    boolean inDatabase = DatabaseOptions.isDatabase(log);
    String where = DatabaseOptions.where(log);
    Path directory = inDatabase ? null : Inputs.directory(Path.of(log), "audit log directory");
    if (witnessKey != null && expected.isEmpty()) {
      throw CliException.input("--witness-key checks the checkpoints given with --expect-checkpoint: give one");
    }
    String keyText = Inputs.text(publicKey, "public key file (--public-key)");
    boolean jwks = keyText.stripLeading().startsWith("{");
    SigningKeyset keys = jwks ? publicKeys(keyText) : null;
    AuditLogVerifier.Builder verifier = jwks ? AuditLogVerifier.builder(keys) : noteKeys(keyText);
    for (Path file : expected) {
      String text = Inputs.text(file, "checkpoint file (--expect-checkpoint)");
      if (text.startsWith(SignedCheckpoint.HEADER)) {
        if (keys == null) {
          throw CliException.input("checkpoint file (--expect-checkpoint) " + file + " is a format-1 checkpoint, "
              + "which is verified with a JWK set (--public-key)");
        }
        verifier.expectCheckpoint(checkpoint(file, text, keys));
      } else {
        trust(verifier, file, text);
      }
    }
    if (allowArchivedPrefix) {
      verifier.allowArchivedPrefix();
    }
    VerifiedAuditLog verified;
    try {
      verified = inDatabase ? PostgresAuditLogs.verify(database.dataSource(log), database.schema(), verifier.build())
          : verifier.build().verify(directory);
    } catch (AuditLogTamperedException e) {
      throw CliException.verificationFailed(where + ": " + e.getMessage());
    } catch (AuditException e) {
      throw CliException.input(e.getMessage() + " " + where
          + (e.getCause() == null ? "" : ": " + e.getCause().getClass().getSimpleName()));
    }
    spec.commandLine().getOut().println(summary(where, verified));
    return ExitCodes.OK;
  }

  private SigningKeyset publicKeys(String jwks) {
    try {
      return SigningKeyset.fromPublicJwks(jwks);
    } catch (IllegalArgumentException e) {
      throw CliException.input("public key file (--public-key) " + publicKey
          + " is not a JWK set of Ed25519 or P-256 public keys: " + e.getMessage());
    }
  }

  private AuditLogVerifier.Builder noteKeys(String text) {
    try {
      return AuditLogVerifier.builder(text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    } catch (IllegalArgumentException e) {
      throw CliException.input("public key file (--public-key) " + publicKey
          + " is neither a JWK set nor note verifier keys: " + e.getMessage());
    }
  }

  private void trust(AuditLogVerifier.Builder verifier, Path file, String text) {
    try {
      if (witnessKey == null) {
        verifier.trustCheckpoint(text);
      } else {
        verifier.trustCosignedCheckpoint(text, witnessKey);
      }
    } catch (IllegalArgumentException e) {
      throw CliException.input("checkpoint file (--expect-checkpoint) " + file
          + " does not hold a signed audit checkpoint" + (witnessKey == null ? "" : " cosigned by the witness")
          + ": " + e.getMessage());
    }
  }

  private static SignedCheckpoint checkpoint(Path file, String text, SigningKeyset keys) {
    SignedCheckpoint checkpoint;
    try {
      checkpoint = SignedCheckpoint.parse(text.strip() + "\n");
    } catch (IllegalArgumentException e) {
      throw CliException.input("checkpoint file (--expect-checkpoint) " + file
          + " does not hold a signed audit checkpoint (" + SignedCheckpoint.HEADER + ")");
    }
    try {
      checkpoint.verify(keys);
    } catch (InvalidSignatureException e) {
      throw CliException.input("checkpoint file (--expect-checkpoint) " + file
          + " is not signed by a key of the public key file: " + e.getMessage());
    }
    return checkpoint;
  }

  private static String summary(String where, VerifiedAuditLog log) {
    StringBuilder s = new StringBuilder("audit log ").append(where).append(" intact: ")
        .append(plural(log.records(), "record")).append(" (").append(plural(log.events(), "event")).append(", ")
        .append(plural(log.checkpoints(), "checkpoint")).append(") in ").append(plural(log.segments(), "segment"))
        .append(", sequence ").append(log.firstSequence()).append(" to ").append(log.lastSequence());
    if (log.lastTreeCheckpoint().isPresent()) {
      s.append("; origin ").append(log.origin()).append(", last checkpoint covers ")
          .append(plural(log.lastTreeCheckpoint().get().size(), "record"));
    } else {
      log.lastCheckpoint().ifPresentOrElse(
          c -> s.append("; last checkpoint covers sequence ").append(c.sequence()).append(", signed ")
              .append(c.time()).append(" by key ").append(c.keyId()),
          () -> s.append("; no checkpoint yet"));
    }
    if (log.unsignedTail() > 0) {
      s.append("; ").append(plural(log.unsignedTail(), "record")).append(" after it not yet signed");
    }
    if (log.tornTailBytes() > 0) {
      s.append("; ").append(log.tornTailBytes()).append(" bytes of a line torn by a crash at the end");
    }
    return s.toString();
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
