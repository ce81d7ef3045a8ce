package dev.safeguards.crypto;

import dev.safeguards.internal.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Child JVM for {@link ReencryptionCrashTest}: runs a {@link ReencryptionJob} over a {@link FileTable} and prints
 * {@code write <position>} after every record it rewrites and {@code batch <records scanned>} after every checkpoint,
 * until it is killed or the pass completes ({@code done}).
 */
public final class ReencryptionChildMain {

  private ReencryptionChildMain() {}

  /**
   * Runs the job.
   *
   * @param args the master key file, the key directory, the table directory and the checkpoint file
   * @throws Exception on any failure, which ends the child
   */
  public static void main(String[] args) throws Exception {
    Keyring keys = Keyring.open(Path.of(args[1]), KeyEncryptionKey.fromMasterKeyFile(Path.of(args[0])),
        Clock.systemUTC());
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
    ReencryptionJob.builder(keys.keyset(KeyPurpose.FIELD_ENCRYPTION), new FileTable(Path.of(args[2]), out),
            ReencryptionCheckpoints.file(Path.of(args[3])))
        .batchSize(7)
        .progressListener(p -> out.println("batch " + p.recordsScanned()))
        .build()
        .run();
    out.println("done");
  }

  /** A durable table: one file per record, {@code field=ciphertext} lines, replaced atomically and fsynced. */
  static final class FileTable implements ReencryptionSource {
    private final Path dir;
    private final PrintStream writes;

    FileTable(Path dir, PrintStream writes) {
      this.dir = dir;
      this.writes = writes;
    }

    @Override
    public List<EncryptedRecord> fetch(Optional<String> after, int limit) throws IOException {
      List<String> names;
      try (Stream<Path> files = Files.list(dir)) {
        names = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("p-")).sorted()
            .filter(n -> after.map(a -> n.compareTo(a) > 0).orElse(true)).limit(limit).toList();
      }
      List<EncryptedRecord> batch = new ArrayList<>();
      for (String name : names) {
        batch.add(new EncryptedRecord(name, "Patient", name, read(name)));
      }
      return batch;
    }

    @Override
    public boolean replace(EncryptedRecord record, Map<String, String> newCiphertexts) throws IOException {
      Map<String, String> current = read(record.position());
      if (!current.equals(record.fields())) {
        return false;
      }
      current.putAll(newCiphertexts);
      write(record.position(), current);
      if (writes != null) {
        writes.println("write " + record.position());
      }
      return true;
    }

    Map<String, String> read(String name) throws IOException {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String line : Files.readAllLines(dir.resolve(name), StandardCharsets.US_ASCII)) {
        int eq = line.indexOf('=');
        fields.put(line.substring(0, eq), line.substring(eq + 1));
      }
      return fields;
    }

    void write(String name, Map<String, String> fields) throws IOException {
      StringBuilder sb = new StringBuilder();
      fields.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
      AtomicFiles.write(dir.resolve(name), sb.toString().getBytes(StandardCharsets.US_ASCII), true);
    }
  }
}
