package dev.safeguards.cli;

import dev.safeguards.audit.AuditConsistencyProof;
import dev.safeguards.audit.AuditInclusionProof;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.tlog.ProofException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards audit check-proof}: checks a document 'audit prove' wrote, with the public key alone. */
@Command(name = "check-proof",
    description = {
        "Checks a proof document 'audit prove' wrote, with the public key alone (not the log). An inclusion proof: "
            + "the checkpoint is signed by a key of the public key file, and the proof leads from the record to the "
            + "checkpoint's root. A consistency proof: both checkpoints are signed, of one log, and the newer tree "
            + "extends the older.",
        "Valid: exit status 0 and what it proves (for an inclusion proof, then the record). Otherwise exit status 1 "
            + "and why."})
final class AuditCheckProofCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The proof document.")
  private Path file;

  @Option(names = "--public-key", required = true, paramLabel = "FILE",
      description = "The checkpoint public keys: a JWK set, as 'safeguards keys public' prints it.")
  private Path publicKey;

  @Override
  public Integer call() {
    String text = Inputs.text(file, "proof file");
    boolean consistency = text.contains("\"" + AuditConsistencyProof.FORMAT + "\"");
    AuditInclusionProof inclusion = null;
    AuditConsistencyProof extension = null;
    try {
      if (consistency) {
        extension = AuditConsistencyProof.parse(text);
      } else {
        inclusion = AuditInclusionProof.parse(text);
      }
    } catch (IllegalArgumentException e) {
      throw CliException.input("proof file " + file + ": " + e.getMessage());
    }
    SigningKeyset keys;
    try {
      keys = SigningKeyset.fromPublicJwks(Inputs.text(publicKey, "public key file (--public-key)"));
    } catch (IllegalArgumentException e) {
      throw CliException.input("public key file (--public-key) " + publicKey
          + " is not a JWK set of Ed25519 public keys: " + e.getMessage());
    }
    try {
      if (consistency) {
        extension.verify(keys);
      } else {
        inclusion.verify(keys);
      }
    } catch (ProofException e) {
      throw CliException.verificationFailed(file + ": the proof does not verify: " + e.getMessage());
    }
    if (consistency) {
      spec.commandLine().getOut().println("the audit log " + extension.newer().origin() + " of "
          + extension.newer().size() + " records extends its checkpoint of " + extension.older().size()
          + " records: every record of the older tree is in the newer, unchanged; both checkpoints are signed by "
          + "the checkpoint key");
      return ExitCodes.OK;
    }
    spec.commandLine().getOut().println("record " + inclusion.seq() + " is in the audit log "
        + inclusion.checkpoint().origin() + " of " + inclusion.checkpoint().size()
        + " records, whose checkpoint is signed by the checkpoint key");
    spec.commandLine().getOut().println(inclusion.record());
    return ExitCodes.OK;
  }
}
