package dev.safeguards.cli;

import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditInclusionProof;
import dev.safeguards.audit.AuditProofs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards audit prove}: one record with its inclusion proof and the checkpoint, as one JSON document. */
@Command(name = "prove",
    description = {
        "Writes one record of a format-2 audit log with its RFC 9162 inclusion proof and the log's published "
            + "checkpoint, as one JSON document: it shows that access to an auditor or a patient without the rest of "
            + "the log, and 'audit check-proof' verifies it with the public key alone.",
        "The record must be covered by the published checkpoint (the log's 'checkpoint' file)."})
final class AuditProveCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The audit log directory.")
  private Path directory;

  @Option(names = "--seq", required = true, paramLabel = "N", description = "The record's sequence number.")
  private long seq;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Writes the document to FILE (which must not exist) instead of standard output.")
  private Path out;

  @Override
  public Integer call() {
    Inputs.directory(directory, "audit log directory");
    if (out != null) {
      Inputs.absent(out, "proof file (--out)");
    }
    AuditInclusionProof proof;
    try {
      proof = AuditProofs.prove(directory, seq);
    } catch (AuditException e) {
      throw CliException.input(e.getMessage());
    }
    String json = proof.toJson();
    if (out == null) {
      spec.commandLine().getOut().println(json);
      return ExitCodes.OK;
    }
    try {
      Files.writeString(out, json + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.input("cannot write the proof file " + out + ": " + e.getClass().getSimpleName());
    }
    spec.commandLine().getOut().println("wrote the proof of record " + seq + " in a tree of "
        + proof.checkpoint().size() + " records to " + out);
    return ExitCodes.OK;
  }
}
