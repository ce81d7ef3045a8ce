package dev.safeguards.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Redis server for the tests, on a free loopback port, without persistence. The binary comes from the
 * embedded-redis test dependency (a Maven artifact that ships redis-server), or from {@code redis-server} on the PATH
 * where it ships none for this platform; nothing is preinstalled, and every test runs on a fresh machine. Each test
 * class starts its own, so that the tests that stop, restart or empty it need no other.
 */
public final class RedisServer implements AutoCloseable {

  private final Path dir;
  private final Path binary;
  private final int port;
  private final List<String> extraArgs;
  /** A Sentinel's configuration file (it runs as a Sentinel), or null. */
  private final Path sentinelConfig;
  private Process process;

  private RedisServer(Path dir, Path binary, int port, List<String> extraArgs, Path sentinelConfig) {
    this.dir = dir;
    this.binary = binary;
    this.port = port;
    this.extraArgs = extraArgs;
    this.sentinelConfig = sentinelConfig;
  }

  /** Starts a server on a free port with {@code extraArgs} (e.g. {@code --requirepass x}). */
  public static RedisServer start(Path dir, String... extraArgs) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return start(dir, port, extraArgs);
  }

  /** Starts a server on {@code port} with {@code extraArgs}. */
  static RedisServer start(Path dir, int port, String... extraArgs) throws IOException {
    RedisServer server = new RedisServer(dir, binary(dir), port, List.of(extraArgs), null);
    server.start();
    return server;
  }

  /**
   * Starts a Sentinel on a free port that watches the primary {@code name} on {@code primaryPort}, alone (quorum 1),
   * finding it down after half a second.
   */
  static RedisServer sentinel(Path dir, String name, int primaryPort) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = Files.writeString(dir.resolve("sentinel.conf"), String.join("\n",
        "sentinel monitor " + name + " 127.0.0.1 " + primaryPort + " 1",
        "sentinel down-after-milliseconds " + name + " 500",
        "sentinel failover-timeout " + name + " 5000", ""));
    RedisServer sentinel = new RedisServer(dir, binary(dir), port, List.of(), config);
    sentinel.start();
    return sentinel;
  }

  /** The URI of the server. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Its port. */
  public int port() {
    return port;
  }

  /** How many times the server ran a script by its digest ({@code EVALSHA}), as it counts them. */
  long evalshaCalls() {
    return Long.parseLong(command(c -> {
      Matcher m = Pattern.compile("cmdstat_evalsha:calls=(\\d+),").matcher(c.info("commandstats"));
      return m.find() ? m.group(1) : "0";
    }));
  }

  /** Runs {@code command} on a connection of its own to this server (as its default user). */
  <T> T command(Function<RedisCommands<String, String>, T> command) {
    RedisClient client = RedisClient.create(RedisURI.create(uri()));
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      return command.apply(c.sync());
    } finally {
      client.shutdown();
    }
  }

  /** Starts it again on the same port, empty (it keeps nothing on disk). */
  public void start() throws IOException {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    if (sentinelConfig != null) {
      command.addAll(List.of(sentinelConfig.toString(), "--sentinel"));
    }
    command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
        "no", "--dir", dir.toString()));
    command.addAll(extraArgs);
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.contains(sentinelConfig == null ? "Ready to accept connections" : "+monitor master")) {
        Thread drain = new Thread(() -> drain(out), "redis-server-output");
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new IOException("redis-server stopped before it was ready:\n" + seen);
  }

  /** Stops it (SIGTERM) and waits until it is gone. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** Freezes it (SIGSTOP): connections stay open and nothing answers, as when its host hangs. */
  public void freeze() throws IOException, InterruptedException {
    signal("-STOP");
  }

  /** Resumes a {@link #freeze frozen} server (SIGCONT). */
  public void thaw() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    if (new ProcessBuilder("kill", signal, Long.toString(process.pid())).start().waitFor() != 0) {
      throw new IOException("kill " + signal + " failed");
    }
  }

  /** Kills it (SIGKILL). */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
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

  /** The server binary for this platform, copied out of the embedded-redis jar; or redis-server from the PATH. */
  private static Path binary(Path dir) throws IOException {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String resource = null;
    if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
      resource = "/redis-server-6.2.6-v5-linux-amd64";
    } else if (os.contains("linux") && arch.equals("aarch64")) {
      resource = "/redis-server-6.2.7-linux-arm64";
    } else if (os.contains("mac") && arch.equals("aarch64")) {
      resource = "/redis-server-6.2.6-v5-darwin-arm64";
    } else if (os.contains("mac")) {
      resource = "/redis-server-6.2.6-v5-darwin-amd64";
    }
    if (resource != null) {
      try (InputStream in = RedisServer.class.getResourceAsStream(resource)) {
        if (in != null) {
          Path target = dir.resolve("redis-server");
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          if (!target.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + target + " executable");
          }
          return target;
        }
      }
    }
    return Path.of("redis-server");
  }
}
