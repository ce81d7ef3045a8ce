package dev.safeguards.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.StateUnavailableException;
import dev.safeguards.session.SessionEndReason;
import dev.safeguards.session.SessionStore.Activity;
import dev.safeguards.session.SessionStore.Touched;
import dev.safeguards.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RedisStoresContract} on a Redis Cluster of three primaries: every script's keys share a slot (or the server
 * would refuse it with CROSSSLOT), revocations are pushed across nodes, and the sessions spread over every node.
 */
class RedisClusterStoresTest extends RedisStoresContract {

  @TempDir static Path tmp;
  private static RedisClusterServers cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = RedisClusterServers.start(tmp, 3);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Override
  RedisState.Builder builder() {
    return RedisState.clusterBuilder(cluster.seed());
  }

  @Override
  long evalshaCalls() {
    return cluster.nodes().stream().mapToLong(RedisServer::evalshaCalls).sum();
  }

  @Test
  void sessionBuckets_spreadOverEveryNode() {
    try (RedisState state = builder().keyPrefix("spread").connect()) {
      for (RedisServer node : cluster.nodes()) {
        List<String> keys = node.command(c -> c.keys("spread:*"));
        assertThat(keys).as(node.uri()).anyMatch(k -> k.endsWith(":sessions-since"));
      }
      assertThat(state.endpoint()).isEqualTo("cluster " + cluster.seed());
    }
  }

  @Test
  void everyStoreWorks_forTheLeastPrivilegedUser_withTheClusterTopologyAdded() {
    cluster.nodes().forEach(node -> RedisAclTest.createUser(node, RedisAclTest.CLUSTER_RULES));
    String seed = cluster.seed().replace("redis://", "redis://clinic:" + RedisAclTest.PASSWORD + "@");
    try (RedisState state = RedisState.clusterBuilder(seed).keyPrefix("clinic-api").connect()) {
      RedisStoresContract.useEveryStore(state, Instant.now());
    }
  }

  @Test
  void aNodeDown_failsClosed_andRestartedEmpty_endsTheSessionsItHeld_andNoOther() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    Instant login = clock.instant();
    Duration resolution = Duration.ofSeconds(9);
    Function<String, Activity> request = id -> new Activity(id, login, clock.instant(), Duration.ofMinutes(15),
        login.plus(Duration.ofHours(8)), resolution, false);
    try (RedisState state = builder().keyPrefix("restart").clock(clock).connect()) {
      List<String> ids = IntStream.range(0, 100).mapToObj(i -> "sid:" + i).toList();
      ids.forEach(id -> state.sessions().touch(request.apply(id)));
      RedisServer victim = cluster.nodes().get(1);
      List<String> held = victim.command(c -> c.keys("restart:*:session:*")).stream()
          .map(k -> k.substring(k.indexOf(":session:") + ":session:".length())).toList();
      assertThat(held).isNotEmpty().hasSizeLessThan(ids.size());

      victim.kill();
      clock.advance(resolution); // past what the replica may answer alone
      assertThatThrownBy(() -> state.sessions().touch(request.apply(held.get(0))))
          .isInstanceOf(StateUnavailableException.class);
      victim.start(); // with its slots (its nodes.conf) and no data
      cluster.awaitServing(Duration.ofSeconds(20));

      clock.advance(Duration.ofSeconds(1));
      Touched first = state.sessions().touch(request.apply(held.get(0)));
      assertThat(first.session().ended()).contains(SessionEndReason.STATE_LOST);
      // a session begun now, in another bucket the node lost, goes on: that bucket is complete from the first request
      Instant later = clock.instant();
      String otherBucket = held.stream().filter(id -> !RedisSessionStore.bucket(id).equals(
          RedisSessionStore.bucket(held.get(0)))).findFirst().orElseThrow();
      String fresh = IntStream.range(0, 10_000).mapToObj(i -> "sid:new" + i).filter(id -> RedisSessionStore.bucket(id)
          .equals(RedisSessionStore.bucket(otherBucket))).findFirst().orElseThrow();
      clock.advance(Duration.ofSeconds(1));
      assertThat(state.sessions().touch(new Activity(fresh, later, clock.instant(), Duration.ofMinutes(15),
          later.plus(Duration.ofHours(8)), resolution, false)).session().ended()).isEmpty();
      for (String id : ids) {
        Touched t = state.sessions().touch(request.apply(id));
        if (held.contains(id)) {
          assertThat(t.session().ended()).as(id).contains(SessionEndReason.STATE_LOST);
        } else {
          assertThat(t.session().ended()).as(id).isEmpty();
        }
      }
    }
  }
}
