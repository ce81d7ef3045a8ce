package dev.safeguards.examples.clinic;

import dev.safeguards.postgresql.ClinicDatabase;
import dev.safeguards.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code cluster-demo.sh} runs beside the replicas: a PostgreSQL and a Redis server started from their Maven
 * artifacts (as the tests start them), on free loopback ports, until this process is stopped. It prints one line,
 * {@code services <jdbc url> <database role> <redis uri>}; the role's password is {@link
 * ClinicDatabase#OWNER_PASSWORD}, a demo's, printed on a second line for the script only.
 */
public final class ClusterServices {

  private ClusterServices() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ClusterServices WORK-DIR");
      System.exit(2);
    }
    Path work = Files.createDirectories(Path.of(args[0]));
    ClinicDatabase db = ClinicDatabase.start();
    RedisServer redis = RedisServer.start(Files.createDirectories(work.resolve("redis")));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      redis.close();
      db.close();
    }, "cluster-services-stop"));
    System.out.println("services " + db.url() + " safeguards_owner " + redis.uri());
    System.out.println("password " + ClinicDatabase.OWNER_PASSWORD);
    System.out.flush();
    Thread.currentThread().join(); // until stopped (SIGTERM runs the hook)
  }
}
