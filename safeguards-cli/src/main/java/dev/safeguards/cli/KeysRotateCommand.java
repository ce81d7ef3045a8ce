package dev.safeguards.cli;

import dev.safeguards.crypto.KeyId;
import dev.safeguards.crypto.KeyInfo;
import dev.safeguards.crypto.KeyManagementException;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards keys rotate}: a new primary key; the older keys stay enabled. */
@Command(name = "rotate",
    description = {
        "Generates a new primary key in a keyset file. New data is encrypted (or signed) under it at once; every "
            + "older key stays enabled, so existing data keeps decrypting (or verifying).",
        "Processes sharing the file see the new key after they reload it (see docs/encryption.md, Key rotation)."})
final class KeysRotateCommand implements Callable<Integer> {

  private static final Set<KeyPurpose> PUBLIC_KEY_PURPOSES = EnumSet.of(KeyPurpose.RECORD_SIGNING_ED25519,
      KeyPurpose.RECORD_SIGNING_P256, KeyPurpose.TOKEN_SIGNING_ED25519, KeyPurpose.TOKEN_SIGNING_P256);

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The keyset file, e.g. KEYDIR/field-encryption.keyset.json.")
  private Path file;

  @Mixin
  private MasterKeyOption masterKey;

  @Override
  public Integer call() {
    Inputs.file(file, "keyset file");
    ManagedKeyset keyset = Keysets.open(file, masterKey.load(), SafeguardsCli.clock(spec));
    KeyId previous = keyset.primaryKeyId();
    KeyInfo added;
    try {
      added = keyset.rotate();
    } catch (KeyManagementException e) {
      throw CliException.input(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("rotated " + keyset.purpose().fileName() + " keyset " + file + ": new primary key " + added.keyId()
        + "; the previous primary key " + previous + " stays enabled");
    if (PUBLIC_KEY_PURPOSES.contains(keyset.purpose())) {
      out.println("publish the new public keys to the verifiers: safeguards keys public " + file);
    }
    return ExitCodes.OK;
  }
}
