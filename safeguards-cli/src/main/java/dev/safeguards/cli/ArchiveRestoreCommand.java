package dev.safeguards.cli;

import dev.safeguards.crypto.ArchiveException;
import dev.safeguards.crypto.ArchiveManifest;
import dev.safeguards.crypto.SealedArchive;
import dev.safeguards.crypto.StreamingCipher;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards archive restore}: all or nothing into a new directory. */
@Command(name = "restore",
    description = {
        "Restores every entry of an archive into a new directory. The whole archive is verified before the "
            + "directory appears; if anything is wrong, nothing is left behind (exit status 1)."})
final class ArchiveRestoreCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ARCHIVE", description = "The archive.")
  private Path archive;

  @Option(names = "--to", required = true, paramLabel = "DIR", description = "The directory to create; must not exist.")
  private Path target;

  @Mixin
  private ArchiveKeyOptions keys;

  @Override
  public Integer call() {
    Inputs.file(archive, "archive");
    Inputs.absent(target, "restore directory (--to)");
    StreamingCipher cipher = keys.cipher(SafeguardsCli.clock(spec));
    ArchiveManifest manifest;
    try {
      manifest = SealedArchive.restore(archive, cipher, target);
    } catch (ArchiveException e) {
      throw CliException.verificationFailed(e.getMessage());
    }
    ArchiveVerifyCommand.print(spec.commandLine().getOut(), "restored archive " + archive + " into " + target,
        manifest);
    return ExitCodes.OK;
  }
}
