package dev.safeguards.examples.clinic.domain;

import dev.safeguards.crypto.KeyManagementException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every clinic command takes: where the data directory is, and where its master key is. */
public class DataDirectoryOptions {

  /** The data directory, created on first use. */
  @Option(names = "--data-dir", required = true, paramLabel = "DIR",
      description = "The data directory (created on first use): keys, database, audit log, TLS key store.")
  Path dataDir;

  /** The master key file, if not the default. */
  @Option(names = "--master-key-file", paramLabel = "FILE",
      description = "The master key file. Default: $" + DataDirectory.MASTER_KEY_VARIABLE
          + " if set, else DIR/master.key (generated on first use).")
  Path masterKeyFile;

  /** Opens (or creates) the data directory the options name. */
  public DataDirectory open(Clock clock) throws IOException, KeyManagementException {
    return DataDirectory.open(dataDir, Optional.ofNullable(masterKeyFile), clock);
  }
}
