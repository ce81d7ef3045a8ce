package dev.safeguards.cli;

import dev.safeguards.audit.AuditReview;
import dev.safeguards.audit.AuditSealing;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyManagementException;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.postgresql.PostgresAuditLogs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --identity-keyset} and {@code --index-keyset} with the master key: the keys a log written with sealed
 * identities ({@link AuditSealing}) is reviewed with. Neither: the log's events are in the clear.
 */
final class AuditSealingOptions {

  @Option(names = "--identity-keyset", paramLabel = "FILE",
      description = "The field-encryption keyset that seals the events' identities (a log written with sealed "
          + "identities); needs --index-keyset and the master key.")
  private Path identity;

  @Option(names = "--index-keyset", paramLabel = "FILE",
      description = "The blind-index keyset of the sealed identities' index tokens.")
  private Path index;

  @Mixin
  private MasterKeyOption masterKey;

  /**
   * The review of {@code log} (a directory, or a PostgreSQL database, which then reads only a subject's events through
   * its index), with the sealing keys if given.
   */
  AuditReview review(String log, DatabaseOptions database) {
    AuditSealing sealing = sealing();
    if (DatabaseOptions.isDatabase(log)) {
      return PostgresAuditLogs.review(database.dataSource(log), database.schema(), sealing);
    }
    Path directory = Inputs.directory(Path.of(log), "audit log directory");
    return sealing == null ? AuditReview.of(directory) : AuditReview.of(directory, sealing);
  }

  /** The sealing keys, or null when neither is given. */
  private AuditSealing sealing() {
    if (identity == null && index == null) {
      return null;
    }
    if (identity == null || index == null) {
      throw CliException.input("--identity-keyset and --index-keyset go together");
    }
    Inputs.file(identity, "identity keyset file (--identity-keyset)");
    Inputs.file(index, "index keyset file (--index-keyset)");
    KeyEncryptionKey kek = masterKey.load();
    try {
      return AuditSealing.create(
          ManagedKeyset.open(identity, KeyPurpose.FIELD_ENCRYPTION, kek, Clock.systemUTC()),
          ManagedKeyset.open(index, KeyPurpose.BLIND_INDEX, kek, Clock.systemUTC()));
    } catch (KeyManagementException e) {
      throw CliException.input(e.getMessage());
    }
  }

  /**
   * The failure for a log that could not be read: a sealed log read without keys is a missing input, anything else
   * a damaged log.
   */
  CliException unreadable(String directory, IllegalStateException e) {
    if (identity == null && e.getMessage() != null && e.getMessage().contains(" is sealed: ")) {
      return CliException.input(directory + ": the log's events are sealed; pass --identity-keyset and "
          + "--index-keyset (and the master key)");
    }
    return CliException.verificationFailed(directory + ": " + e.getMessage());
  }

  /** Says on {@code err} how many events may match but do not open with these keys, if any. */
  static void reportUnopened(long count, PrintWriter err) {
    if (count > 0) {
      err.println("note: " + count + " sealed event(s) may match but do not open with these keys (their key was "
          + "destroyed at the end of retention, or is disabled)");
      err.flush();
    }
  }
}
