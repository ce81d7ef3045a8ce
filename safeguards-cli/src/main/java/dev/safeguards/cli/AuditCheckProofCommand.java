package dev.safeguards.cli;

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
        "Checks an inclusion proof document ('audit prove'): the checkpoint is signed by a key of the public key "
            + "file, and the proof leads from the record to the checkpoint's root. Needs nothing else: not the log.",
        "Valid: exit status 0, the record's sequence number, the log and the tree size, then the record. "
            + "Otherwise exit status 1 and why."})
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
    AuditInclusionProof proof;
    try {
      proof = AuditInclusionProof.parse(Inputs.text(file, "proof file"));
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
      proof.verify(keys);
    } catch (ProofException e) {
      throw CliException.verificationFailed(file + ": the proof does not verify: " + e.getMessage());
    }
    spec.commandLine().getOut().println("record " + proof.seq() + " is in the audit log " + proof.checkpoint().origin()
        + " of " + proof.checkpoint().size() + " records, whose checkpoint is signed by the checkpoint key");
    spec.commandLine().getOut().println(proof.record());
    return ExitCodes.OK;
  }
}
