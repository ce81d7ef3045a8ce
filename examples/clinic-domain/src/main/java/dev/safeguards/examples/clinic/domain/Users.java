package dev.safeguards.examples.clinic.domain;

import dev.safeguards.identity.UserId;
import dev.safeguards.identity.UuidV7Generator;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The demo's user directory: each user name maps to one stable user id (a UUIDv7), so that every token minted for
 * "alice" names the same unique user (164.312(a)(2)(i)). A real deployment takes user ids from its identity provider.
 */
public final class Users {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  private final Path file;
  private final Clock clock;

  public Users(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** Checks a user name: 1 to 64 lower-case letters, digits, dots, dashes or underscores, starting with a letter. */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a user name is 1 to 64 lower-case letters, digits, '.', '-' or '_', starting with a letter");
    }
    return name;
  }

  /** The id of {@code name}, assigned on first use. */
  @SuppressWarnings("try") // the lock is held for the block, not referenced
  public UserId idOf(String name) throws IOException {
    checkName(name);
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      Properties users = read();
      String id = users.getProperty(name);
      if (id != null) {
        return UserId.parse(id);
      }
      UserId created = new UserId(UuidV7Generator.create(clock).next());
      users.setProperty(name, created.toString());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        users.store(w, "demo user names and their user ids");
      }
      try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        c.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return created;
    }
  }

  /** The id of {@code name} if it was ever assigned. */
  public Optional<UserId> find(String name) throws IOException {
    String id = read().getProperty(name);
    return id == null ? Optional.empty() : Optional.of(UserId.parse(id));
  }

  private Properties read() throws IOException {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      }
    }
    return p;
  }
}
