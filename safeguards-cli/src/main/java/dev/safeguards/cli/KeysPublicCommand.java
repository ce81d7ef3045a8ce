package dev.safeguards.cli;

import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards keys public}: the public keys of a signing keyset, as a JWK set. */
@Command(name = "public",
    description = {
        "Prints the enabled public keys of a record-signing or token-signing keyset file as a JWK set (RFC 7517): "
            + "what 'audit verify --public-key' reads for an audit checkpoint key. Public keys only."})
final class KeysPublicCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The signing keyset file.")
  private Path file;

  @Mixin
  private MasterKeyOption masterKey;

  @Override
  public Integer call() {
    Inputs.file(file, "keyset file");
    ManagedKeyset keyset = Keysets.open(file, masterKey.load(), SafeguardsCli.clock(spec));
    String jwks;
    try {
      jwks = SigningKeyset.create(keyset).publicJwks();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw CliException.input("keyset file " + file + " holds " + keyset.purpose().fileName()
          + " keys, which have no public keys (only Ed25519 and P-256 signing keysets do)");
    }
    spec.commandLine().getOut().println(jwks);
    return ExitCodes.OK;
  }
}
