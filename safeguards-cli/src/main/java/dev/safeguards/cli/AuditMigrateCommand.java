package dev.safeguards.cli;

import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditLogTamperedException;
import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.Format1Head;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.audit.VerifiedAuditLog;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards audit migrate}: continues a verified format-1 log as a new format-2 log. */
@Command(name = "migrate",
    description = {
        "Verifies a format-1 audit log and starts a format-2 log in a new directory that continues it: its first "
            + "record names the format-1 log's id, last sequence number and last chain hash, and its first checkpoint "
            + "signs that. Keep the format-1 directory for verification; point the application at the new one.",
        "A format-1 log that does not verify is not continued (exit status 1)."})
final class AuditMigrateCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The format-1 audit log directory.")
  private Path from;

  @Option(names = "--public-key", required = true, paramLabel = "FILE",
      description = "The format-1 log's checkpoint public keys (a JWK set).")
  private Path publicKey;

  @Option(names = "--to", required = true, paramLabel = "DIR",
      description = "The new format-2 log directory; must not exist or be empty.")
  private Path to;

  @Option(names = "--checkpoint-keyset", required = true, paramLabel = "FILE",
      description = "The Ed25519 record-signing keyset that signs the new log's checkpoints (the application's).")
  private Path keyset;

  @Option(names = "--origin", required = true, paramLabel = "ORIGIN",
      description = "The new log's origin, as the application will open it (e.g. clinic.example/audit).")
  private String origin;

  @Mixin
  private MasterKeyOption masterKey;

  @Override
  public Integer call() {
    Inputs.directory(from, "format-1 audit log directory");
    if (Files.exists(to) && !empty(to)) {
      throw CliException.input("the new log directory (--to) " + to + " is not empty");
    }
    SigningKeyset publicKeys;
    try {
      publicKeys = SigningKeyset.fromPublicJwks(Inputs.text(publicKey, "public key file (--public-key)"));
    } catch (IllegalArgumentException e) {
      throw CliException.input("public key file (--public-key) " + publicKey + " is not a JWK set: "
          + e.getMessage());
    }
    VerifiedAuditLog old;
    try {
      old = AuditLogVerifier.builder(publicKeys).build().verify(from);
    } catch (AuditLogTamperedException e) {
      throw CliException.verificationFailed(from + ": " + e.getMessage());
    } catch (AuditException e) {
      throw CliException.input(e.getMessage() + " " + from);
    }
    Format1Head head = old.head().orElseThrow(() -> CliException.input(from + " is not a format-1 log"));
    ManagedKeyset signing = Keysets.open(Inputs.file(keyset, "checkpoint keyset (--checkpoint-keyset)"),
        masterKey.load(), SafeguardsCli.clock(spec));
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(to, SigningKeyset.create(signing))
        .clock(SafeguardsCli.clock(spec)).origin(origin).continues(head).open()) {
      log.checkpoint();
    } catch (IllegalArgumentException | AuditException e) {
      throw CliException.input("cannot start the format-2 log in " + to + ": " + e.getMessage());
    }
    spec.commandLine().getOut().println("format-2 log " + origin + " in " + to + " continues format-1 log "
        + head.log() + " after its record " + head.seq() + " (chain hash " + head.head() + ")");
    return ExitCodes.OK;
  }

  private static boolean empty(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.findAny().isEmpty();
    } catch (IOException e) {
      throw CliException.input("cannot read " + dir);
    }
  }
}
