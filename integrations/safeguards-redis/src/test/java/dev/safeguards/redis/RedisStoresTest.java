package dev.safeguards.redis;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** {@link RedisStoresContract} on one Redis server. */
class RedisStoresTest extends RedisStoresContract {

  @TempDir static Path tmp;
  private static RedisServer server;

  @BeforeAll
  static void startRedis() throws Exception {
    server = RedisServer.start(tmp);
  }

  @AfterAll
  static void stopRedis() {
    server.close();
  }

  @Override
  RedisState.Builder builder() {
    return RedisState.builder(server.uri());
  }

  @Override
  long evalshaCalls() {
    return server.evalshaCalls();
  }
}
