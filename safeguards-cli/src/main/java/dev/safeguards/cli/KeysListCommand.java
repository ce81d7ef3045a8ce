package dev.safeguards.cli;

import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyInfo;
import dev.safeguards.crypto.ManagedKeyset;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards keys list}: the key inventory, never key material. */
@Command(name = "list",
    description = {
        "Lists every key of a keyset file, or of every *.keyset.json file in a key directory: purpose, key id, "
            + "status, whether it is primary, creation time and age in days. Never any key material.",
        "Each file is opened with the master key first, so the listing is what the seal vouches for."})
final class KeysListCommand implements Callable<Integer> {

  private static final String ROW = "%-22s %-8s  %-9s  %-7s  %-24s  %s";

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KEYDIR|FILE", description = "A key directory or one keyset file.")
  private Path path;

  @Mixin
  private MasterKeyOption masterKey;

  @Override
  public Integer call() {
    Clock clock = SafeguardsCli.clock(spec);
    if (!Files.exists(path)) {
      throw CliException.input("key directory or keyset file not found: " + path);
    }
    List<Path> files = Files.isDirectory(path) ? Keysets.filesIn(path) : List.of(Inputs.file(path, "keyset file"));
    KeyEncryptionKey kek = masterKey.load();
    List<KeyInfo> keys = new ArrayList<>();
    for (Path file : files) {
      ManagedKeyset keyset = Keysets.open(file, kek, clock);
      keys.addAll(keyset.inventory());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(String.format(Locale.ROOT, ROW, "PURPOSE", "KEY ID", "STATUS", "PRIMARY", "CREATED", "AGE"));
    for (KeyInfo k : keys) {
      long days = Math.max(0, Duration.between(k.createdAt(), clock.instant()).toDays());
      out.println(String.format(Locale.ROOT, ROW, k.purpose().fileName(), k.keyId(),
          k.status().name().toLowerCase(Locale.ROOT), k.primary() ? "yes" : "no",
          DateTimeFormatter.ISO_INSTANT.format(k.createdAt()), days + "d"));
    }
    return ExitCodes.OK;
  }
}
