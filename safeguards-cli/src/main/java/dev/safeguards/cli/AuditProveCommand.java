package dev.safeguards.cli;

import dev.safeguards.audit.AuditCheckpoint;
import dev.safeguards.audit.AuditConsistencyProof;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditInclusionProof;
import dev.safeguards.audit.AuditProofs;
import dev.safeguards.postgresql.PostgresAuditLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code safeguards audit prove}: one record with its inclusion proof and the checkpoint, or an older checkpoint's
 * consistency with the published one, as one JSON document.
 */
@Command(name = "prove",
    description = {
        "With --seq: writes one record of a format-2 audit log with its RFC 9162 inclusion proof and the log's "
            + "published checkpoint, as one JSON document: it shows that access to an auditor or a patient without "
            + "the rest of the log. The record must be covered by the published checkpoint (the 'checkpoint' file).",
        "With --from-checkpoint: writes the consistency proof from an older checkpoint of the log (kept elsewhere) "
            + "to the published one: that the log was only appended to since.",
        "'audit check-proof' verifies either with the public key alone."})
final class AuditProveCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "LOG",
      description = "The audit log directory, or the PostgreSQL database holding the log (jdbc:postgresql://host:"
          + "5432/db; see --db-user, --db-password-file, --schema), where the proof is against its newest checkpoint.")
  private String log;

  @picocli.CommandLine.Mixin
  private DatabaseOptions database;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private What what;

  /** Which proof: exactly one of the two. */
  static final class What {
    @Option(names = "--seq", paramLabel = "N", description = "The record's sequence number.")
    private Long seq;

    @Option(names = "--from-checkpoint", paramLabel = "FILE",
        description = "An older checkpoint of the log (a signed note, as its 'checkpoint' file held it).")
    private Path older;
  }

  @Option(names = "--out", paramLabel = "FILE",
      description = "Writes the document to FILE (which must not exist) instead of standard output.")
  private Path out;

  @Override
  public Integer call() {
    boolean inDatabase = DatabaseOptions.isDatabase(log);
    Path directory = inDatabase ? null : Inputs.directory(Path.of(log), "audit log directory");
    if (out != null) {
      Inputs.absent(out, "proof file (--out)");
    }
    String json;
    String what;
    try {
      if (this.what.seq != null) {
        AuditInclusionProof proof = inDatabase
            ? PostgresAuditLogs.prove(database.dataSource(log), database.schema(), this.what.seq)
            : AuditProofs.prove(directory, this.what.seq);
        json = proof.toJson();
        what = "the proof of record " + proof.seq() + " in a tree of " + proof.checkpoint().size() + " records";
      } else {
        AuditConsistencyProof proof = inDatabase
            ? PostgresAuditLogs.proveConsistency(database.dataSource(log), database.schema(), older())
            : AuditProofs.proveConsistency(directory, older());
        json = proof.toJson();
        what = "the consistency proof from " + proof.older().size() + " to " + proof.newer().size() + " records";
      }
    } catch (AuditException e) {
      throw CliException.input(e.getMessage());
    }
    if (out == null) {
      spec.commandLine().getOut().println(json);
      return ExitCodes.OK;
    }
    try {
      Files.writeString(out, json + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.input("cannot write the proof file " + out + ": " + e.getClass().getSimpleName());
    }
    spec.commandLine().getOut().println("wrote " + what + " to " + out);
    return ExitCodes.OK;
  }

  /** The older checkpoint as its note states it; the document's reader checks its signature. */
  private AuditCheckpoint older() {
    String note = Inputs.text(what.older, "checkpoint file (--from-checkpoint)");
    try {
      return AuditCheckpoint.read(note);
    } catch (IllegalArgumentException e) {
      throw CliException.input("checkpoint file (--from-checkpoint) " + what.older + ": " + e.getMessage());
    }
  }
}
