package dev.safeguards.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.StateUnavailableException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The least-privilege ACL user docs/cluster.md gives works for every store, and confines the application to its key
 * prefix: the same user with another prefix is refused, as is a wrong password; no message names the password.
 */
class RedisAclTest {

  /** As in docs/cluster.md ("Credentials"), for the key prefix {@code clinic-api}. */
  static final List<String> RULES = List.of("on", "resetkeys", "~clinic-api:*", "resetchannels", "&clinic-api:*",
      "-@all", "+@connection", "+info", "+evalsha", "+eval", "+get", "+set", "+del", "+exists", "+hmget", "+hgetall",
      "+zrangebyscore", "+subscribe", "+hset", "+hsetnx", "+pexpire", "+pttl", "+zadd", "+zrange",
      "+zremrangebyscore", "+zscore", "+publish");
  /** What a client of a Redis Cluster needs beside {@link #RULES}: to read the cluster's topology. */
  static final String[] CLUSTER_RULES = {"+cluster|nodes"};
  static final String PASSWORD = "acl-password-of-a-test-5c0f";

  @TempDir static Path tmp;
  private static RedisServer server;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start(tmp);
    createUser(server);
  }

  /** Creates the user {@code clinic} with {@link #RULES} and {@code more} on {@code node}. */
  static void createUser(RedisServer node, String... more) {
    node.command(c -> c.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8),
        new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add("clinic").add(">" + PASSWORD).addValues(RULES)
            .addValues(List.of(more))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String as(String password) {
    return "redis://clinic:" + password + "@127.0.0.1:" + server.port();
  }

  @Test
  void everyStoreWorks_withTheDocumentedRules() {
    try (RedisState state = RedisState.builder(as(PASSWORD)).keyPrefix("clinic-api").connect()) {
      RedisStoresContract.useEveryStore(state, Instant.now());
    }
  }

  @Test
  void theUser_isConfinedToItsPrefix() {
    assertThatThrownBy(() -> RedisState.builder(as(PASSWORD)).keyPrefix("another-app").connect())
        .isInstanceOf(StateUnavailableException.class).hasMessageContaining("NOPERM")
        .hasMessageNotContaining(PASSWORD);
    RedisClient client = RedisClient.create(RedisURI.create(as(PASSWORD)));
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      assertThatThrownBy(() -> c.sync().get("another-app:throttle:account:alice"))
          .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
      assertThatThrownBy(() -> c.sync().keys("*")).hasMessageStartingWith("NOPERM");
      assertThatThrownBy(() -> c.sync().flushall()).hasMessageStartingWith("NOPERM");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aWrongPassword_isRefused_withoutNamingEither() {
    assertThatThrownBy(() -> RedisState.builder(as("not-" + PASSWORD)).keyPrefix("clinic-api").connect())
        .isInstanceOf(StateUnavailableException.class).hasMessageContaining("WRONGPASS")
        .hasMessageNotContaining(PASSWORD);
  }
}
