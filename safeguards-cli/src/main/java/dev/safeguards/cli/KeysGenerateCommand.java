package dev.safeguards.cli;

import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyManagementException;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.Keyring;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.MasterKeyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards keys generate}: a keyring, or keysets of the purposes named, that are not there yet. */
@Command(name = "generate",
    description = {
        "Creates the keyset files KEYDIR/<purpose>.keyset.json that do not exist yet: by default the keyring "
            + "(field-encryption, blind-index, streaming-encryption), else the purposes named with --purpose.",
        "An existing keyset file is opened with the master key and left as it is: nothing is ever overwritten."})
final class KeysGenerateCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KEYDIR", description = "The key directory; created (owner-only) if missing.")
  private Path directory;

  @Option(names = "--purpose", paramLabel = "PURPOSE", converter = Converters.Purpose.class,
      description = "A purpose to generate, repeatable: field-encryption, blind-index, streaming-encryption, "
          + "record-signing-ed25519, record-signing-p256, record-mac, token-signing-ed25519, token-signing-p256.")
  private List<KeyPurpose> purposes = new ArrayList<>();

  @ArgGroup(exclusive = true)
  private MasterKeySource masterKey;

  /** An existing master key, or a new one. */
  static final class MasterKeySource {
    @Option(names = "--master-key-file", paramLabel = "FILE",
        description = "The master key file. Default: the environment variable "
            + MasterKeyOption.ENVIRONMENT_VARIABLE + ".")
    private Path existing;

    @Option(names = "--new-master-key-file", paramLabel = "FILE",
        description = "Generates a new master key into FILE (owner-only, never overwritten) and seals the keysets "
            + "under it. Keep it apart from KEYDIR and from backups of KEYDIR.")
    private Path created;
  }

  @Override
  public Integer call() {
    Clock clock = SafeguardsCli.clock(spec);
    PrintWriter out = spec.commandLine().getOut();
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw CliException.input("key directory is not a directory: " + directory);
    }
    List<KeyPurpose> wanted = purposes.isEmpty() ? Keyring.PURPOSES : List.copyOf(new LinkedHashSet<>(purposes));
    List<Boolean> existed = wanted.stream().map(p -> Files.exists(Keyring.fileFor(directory, p))).toList();
    KeyEncryptionKey kek = masterKey(wanted, existed, out);
    List<ManagedKeyset> keysets = new ArrayList<>();
    try {
      if (purposes.isEmpty()) {
        Keyring keyring = Keyring.openOrCreate(directory, kek, clock);
        wanted.forEach(p -> keysets.add(keyring.keyset(p)));
      } else {
        createOwnerOnlyDirectory(directory);
        for (KeyPurpose p : wanted) {
          keysets.add(ManagedKeyset.openOrCreate(Keyring.fileFor(directory, p), p, kek, clock));
        }
      }
    } catch (KeyManagementException e) {
      throw CliException.input(e.getMessage());
    }
    for (int i = 0; i < keysets.size(); i++) {
      ManagedKeyset k = keysets.get(i);
      out.println((existed.get(i) ? "kept existing " : "created ") + k.purpose().fileName() + " keyset " + k.file()
          + " (primary key " + k.primaryKeyId() + ")");
    }
    return ExitCodes.OK;
  }

  private KeyEncryptionKey masterKey(List<KeyPurpose> wanted, List<Boolean> existed, PrintWriter out) {
    if (masterKey == null || masterKey.created == null) {
      return MasterKeyOption.load(masterKey == null ? null : masterKey.existing);
    }
    int present = existed.indexOf(true);
    if (present >= 0) {
      throw CliException.input("keyset file " + Keyring.fileFor(directory, wanted.get(present))
          + " already exists and a new master key cannot open it: use its own master key instead of "
          + "--new-master-key-file");
    }
    try {
      KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(masterKey.created);
      out.println("created master key file " + masterKey.created
          + " (owner-only; keep it apart from the key directory and its backups)");
      return kek;
    } catch (MasterKeyException e) {
      throw CliException.input(e.getMessage() + " (--new-master-key-file)");
    }
  }

  private static void createOwnerOnlyDirectory(Path directory) {
    if (Files.isDirectory(directory)) {
      return;
    }
    try {
      if (directory.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(directory);
      }
    } catch (IOException e) {
      throw CliException.input("cannot create key directory " + directory + ": " + e.getClass().getSimpleName());
    }
  }
}
