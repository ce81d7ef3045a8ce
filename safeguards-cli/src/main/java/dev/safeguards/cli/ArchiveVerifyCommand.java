package dev.safeguards.cli;

import dev.safeguards.crypto.ArchiveException;
import dev.safeguards.crypto.ArchiveManifest;
import dev.safeguards.crypto.SealedArchive;
import dev.safeguards.crypto.StreamingCipher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards archive verify}: decrypts and checks a whole archive, writing nothing. */
@Command(name = "verify",
    description = {
        "Decrypts and checks a whole archive without writing anything, and prints its manifest: every entry's "
            + "SHA-256, size and name. Exit status 1 if it is damaged, truncated, or sealed under another key."})
final class ArchiveVerifyCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ARCHIVE", description = "The archive.")
  private Path archive;

  @Mixin
  private ArchiveKeyOptions keys;

  @Override
  public Integer call() {
    Inputs.file(archive, "archive");
    StreamingCipher cipher = keys.cipher(SafeguardsCli.clock(spec));
    ArchiveManifest manifest;
    try {
      manifest = SealedArchive.verify(archive, cipher);
    } catch (ArchiveException e) {
      throw CliException.verificationFailed(e.getMessage());
    }
    print(spec.commandLine().getOut(), "archive " + archive + " intact", manifest);
    return ExitCodes.OK;
  }

  /** A summary line, then one line per entry: SHA-256, size, name. */
  static void print(PrintWriter out, String headline, ArchiveManifest m) {
    out.println(headline + ": " + m.entryCount() + (m.entryCount() == 1 ? " entry, " : " entries, ")
        + m.totalBytes() + " bytes, archive id " + m.archiveId() + ", created " + m.createdAt());
    for (ArchiveManifest.Entry e : m.entries()) {
      out.println("  " + e.sha256() + "  " + e.size() + "  " + e.name());
    }
  }
}
