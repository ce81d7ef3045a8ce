package dev.safeguards.spring.boot;

import dev.safeguards.authn.RevocationList;
import dev.safeguards.redis.RedisState;
import dev.safeguards.session.SessionStore;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * With {@code safeguards.redis.uri} and the safeguards-redis module: sessions and revocations on Redis, shared by every
 * replica (docs/cluster.md), instead of in memory. Fails closed while Redis is unreachable (503, audited).
 */
@AutoConfiguration(before = SafeguardsAutoConfiguration.class)
@ConditionalOnClass(RedisState.class)
@ConditionalOnProperty("safeguards.redis.uri")
public class SafeguardsRedisAutoConfiguration {

  /** Created by Spring Boot when {@code safeguards.redis.uri} is set. */
  public SafeguardsRedisAutoConfiguration() {}

  /**
   * The connection, closed with the context.
   *
   * @param properties the {@code safeguards.redis.*} settings
   * @param clock the application's clock, if it declares one
   * @return the connected state
   */
  @Bean
  @ConditionalOnMissingBean
  public RedisState safeguardsRedisState(SafeguardsProperties properties, ObjectProvider<Clock> clock) {
    return RedisState.builder(properties.getRedis().getUri()).keyPrefix(properties.getRedis().getKeyPrefix())
        .clock(SafeguardsAutoConfiguration.clock(clock)).connect();
  }

  /**
   * Sessions every replica sees.
   *
   * @param redis the connection
   * @return the session store on it
   */
  @Bean
  @ConditionalOnMissingBean
  public SessionStore safeguardsRedisSessionStore(RedisState redis) {
    return redis.sessions();
  }

  /**
   * Revocations every replica honours.
   *
   * @param redis the connection
   * @return the revocation list on it
   */
  @Bean
  @ConditionalOnMissingBean
  public RevocationList safeguardsRedisRevocations(RedisState redis) {
    return redis.revocations();
  }
}
