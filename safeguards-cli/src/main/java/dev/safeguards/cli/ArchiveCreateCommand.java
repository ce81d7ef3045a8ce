package dev.safeguards.cli;

import dev.safeguards.crypto.ArchiveException;
import dev.safeguards.crypto.ArchiveManifest;
import dev.safeguards.crypto.SealedArchive;
import dev.safeguards.crypto.StreamingCipher;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards archive create}: seals files and directories into a new archive. */
@Command(name = "create",
    description = {
        "Seals files and directories into a new archive, encrypted with the streaming-encryption keyset of KEYDIR. "
            + "A file becomes an entry named after it; a directory d becomes entries d/<path> for every file below it.",
        "Entry names are made of A-Z a-z 0-9 . _ - and /. The archive gets its name only once it is complete, and "
            + "is never overwritten."})
final class ArchiveCreateCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ARCHIVE", description = "The archive to write; must not exist.")
  private Path archive;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE_OR_DIR", description = "What to seal.")
  private List<Path> inputs;

  @Mixin
  private ArchiveKeyOptions keys;

  @Override
  public Integer call() {
    Clock clock = SafeguardsCli.clock(spec);
    Inputs.absent(archive, "archive");
    List<ArchiveEntries.Entry> entries = ArchiveEntries.of(inputs);
    StreamingCipher cipher = keys.cipher(clock);
    ArchiveManifest manifest;
    try (SealedArchive.Writer writer = SealedArchive.create(archive, cipher, clock)) {
      for (ArchiveEntries.Entry entry : entries) {
        try {
          writer.addFile(entry.name(), entry.file());
        } catch (IllegalArgumentException e) {
          throw CliException.input("cannot archive " + entry.file() + " as entry " + entry.name() + ": "
              + e.getMessage());
        }
      }
      manifest = writer.finish();
    } catch (ArchiveException e) {
      throw CliException.input(e.getMessage());
    }
    ArchiveVerifyCommand.print(spec.commandLine().getOut(), "sealed archive " + archive + " written", manifest);
    return ExitCodes.OK;
  }
}
