package dev.safeguards.cli;

import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.tlog.NoteSigner;
import dev.safeguards.tlog.NoteVerifier;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards keys public}: the public keys of a signing keyset, as a JWK set. */
@Command(name = "public",
    description = {
        "Prints the enabled public keys of a record-signing or token-signing keyset file as a JWK set (RFC 7517): "
            + "what 'audit verify --public-key' reads for an audit checkpoint key. Public keys only.",
        "With --note-name, prints instead the C2SP note verifier keys (<name>+<key hash>+<base64 key>) of an Ed25519 "
            + "keyset, one per line: an audit checkpoint key's name is the log's origin."})
final class KeysPublicCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The signing keyset file.")
  private Path file;

  @Mixin
  private MasterKeyOption masterKey;

  @Option(names = "--note-name", paramLabel = "NAME",
      description = "Print note verifier keys under this key name (an audit log's origin) instead of a JWK set.")
  private String noteName;

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
    if (noteName == null) {
      spec.commandLine().getOut().println(jwks);
      return ExitCodes.OK;
    }
    List<NoteVerifier> keys;
    try {
      keys = NoteSigner.over(noteName, SigningKeyset.fromPublicJwks(jwks)).verifiers();
    } catch (IllegalArgumentException e) {
      throw CliException.input("--note-name: " + e.getMessage());
    }
    keys.forEach(k -> spec.commandLine().getOut().println(k.vkey()));
    return ExitCodes.OK;
  }
}
