package dev.safeguards.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A real Redis Cluster for the tests: three primaries on free loopback ports (each with its cluster bus on its port +
 * 10000), the 16384 hash slots split between them, formed as {@code redis-cli --cluster create} would (a config epoch
 * each, slots assigned, then every node introduced to the first), without persistence and without replicas.
 */
final class RedisClusterServers implements AutoCloseable {

  static final int SLOTS = 16384;

  private final List<RedisServer> nodes = new ArrayList<>();

  private RedisClusterServers() {}

  /** Starts {@code size} primaries under {@code dir} and waits until the cluster serves every slot. */
  static RedisClusterServers start(Path dir, int size) throws IOException {
    RedisClusterServers cluster = new RedisClusterServers();
    try {
      for (int i = 0; i < size; i++) {
        Path nodeDir = Files.createDirectories(dir.resolve("node" + i));
        cluster.nodes.add(RedisServer.start(nodeDir, freePortWithBus(), "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000"));
      }
      for (int i = 0; i < size; i++) {
        int from = SLOTS * i / size;
        int to = SLOTS * (i + 1) / size;
        long epoch = i + 1;
        cluster.nodes.get(i).command(c -> {
          c.clusterSetConfigEpoch(epoch);
          return c.clusterAddSlots(IntStream.range(from, to).toArray());
        });
      }
      for (RedisServer other : cluster.nodes.subList(1, size)) {
        cluster.nodes.get(0).command(c -> c.clusterMeet("127.0.0.1", other.port()));
      }
      cluster.awaitServing(Duration.ofSeconds(20));
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The nodes, in the order of their slots. */
  List<RedisServer> nodes() {
    return nodes;
  }

  /** The URI of the first node, from which a client finds the others. */
  String seed() {
    return nodes.get(0).uri();
  }

  /** Waits until every node knows every other and says every slot is served ({@code cluster_state:ok}). */
  void awaitServing(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    for (RedisServer node : nodes) {
      while (true) {
        String info = node.command(c -> c.clusterInfo());
        if (info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + nodes.size())) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster did not form within " + within + ":\n" + info);
        }
        Thread.onSpinWait(); // each round is a connection and a command: the server gossips meanwhile
      }
    }
  }

  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }

  /** A free port below 55536 whose cluster bus port (+10000) is free too. */
  private static int freePortWithBus() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
        int port = s.getLocalPort();
        if (port < 65536 - 10000) {
          try {
            new ServerSocket(port + 10000, 50, InetAddress.getLoopbackAddress()).close();
            return port;
          } catch (IOException taken) {
            // try another
          }
        }
      }
    }
    throw new IOException("no free port with a free cluster bus port");
  }
}
