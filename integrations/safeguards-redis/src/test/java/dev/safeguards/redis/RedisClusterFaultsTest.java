package dev.safeguards.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.StateUnavailableException;
import dev.safeguards.access.EmergencyGrant;
import dev.safeguards.access.Permission;
import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.RefreshTokenStore.StoredRefreshToken;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.authn.ThrottleStore;
import dev.safeguards.authn.ThrottleStore.Rule;
import dev.safeguards.identity.UserId;
import dev.safeguards.integrity.NonceCache;
import dev.safeguards.session.SessionEndReason;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionStore.Activity;
import dev.safeguards.session.SessionStore.Ending;
import dev.safeguards.testing.MutableClock;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between replicas sharing one real Redis server: a revocation message lost while the server had lost the
 * list's version, replicas whose clocks disagree, and ids with the characters keys are made of. Each replica is its
 * own {@link RedisState} with its own clock.
 */
class RedisClusterFaultsTest {

  private static final String PASSWORD = "faults-password-of-a-test-9e21";
  private static final Duration BOUND = Duration.ofMillis(400);
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  @TempDir static Path tmp;
  private static RedisServer server;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start(tmp);
    acl("SETUSER", "replica-a", "on", ">" + PASSWORD, "~*", "&*", "+@all");
    acl("SETUSER", "replica-b", "on", ">" + PASSWORD, "~*", "&*", "+@all");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void acl(String... args) {
    server.command(c -> c.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8),
        new CommandArgs<>(StringCodec.UTF8).addValues(args)));
  }

  private static RedisState.Builder as(String user) {
    return RedisState.builder("redis://" + user + ":" + PASSWORD + "@127.0.0.1:" + server.port())
        .revocationBound(BOUND);
  }

  private static String prefix() {
    return "faults" + PREFIXES.incrementAndGet();
  }

  /** Polls {@code list} until it holds {@code id} revoked or {@code within} has passed; a refusal counts as not. */
  private static boolean revokedWithin(RevocationList list, String id, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() - deadline < 0) {
      try {
        if (list.isRevoked(id)) {
          return true;
        }
      } catch (StateUnavailableException e) {
        // not confirmed yet: keep polling until the deadline
      }
      Thread.onSpinWait();
    }
    return false;
  }

  @Test
  void aRevocationWhoseMessageWasLost_afterTheServerLostTheVersion_isReadByThePoll_withinTheBound() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-06T03:00:00Z"));
    String prefix = prefix();
    try (RedisState a = as("replica-a").keyPrefix(prefix).clock(clock).connect()) {
      a.revocations().revoke("jti:first", clock.instant().plus(Duration.ofMinutes(10)));
      try (RedisState b = as("replica-b").keyPrefix(prefix).clock(clock).connect()) {
        assertThat(b.revocations().isRevoked("jti:first")).as("read when b connected").isTrue();
        // b can neither read the state nor hear revocations for a moment (its polls fail: it keeps the version it
        // read), its subscription is cut and cannot come back, and meanwhile the server loses everything
        acl("SETUSER", "replica-b", "resetkeys", "resetchannels");
        server.command(c -> c.dispatch(CommandType.CLIENT, new IntegerOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("KILL").add("USER").add("replica-b").add("TYPE").add("pubsub")));
        server.command(c -> c.flushall());
        a.revocations().revoke("jti:second", clock.instant().plus(Duration.ofMinutes(10))); // heard by nobody
        acl("SETUSER", "replica-b", "~*");
        long restored = System.nanoTime();

        assertThat(revokedWithin(b.revocations(), "jti:second", BOUND.multipliedBy(3)))
            .as("the poll reads a revocation whose message was lost").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - restored)).isLessThan(BOUND.multipliedBy(2));
      } finally {
        acl("SETUSER", "replica-b", "~*", "&*");
      }
    }
  }

  @Test
  void aReplicaWhoseClockIsAhead_neitherDropsNorPrunesARevocationStillInForceByTheOthersClocks() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-06T03:00:00Z"));
    MutableClock ahead = new MutableClock(clock.instant().plus(Duration.ofMinutes(2)));
    String prefix = prefix();
    try (RedisState fast = as("replica-a").keyPrefix(prefix).clock(ahead).connect();
        RedisState onTime = as("replica-a").keyPrefix(prefix).clock(clock).connect()) {
      // in force for another minute by the on-time clocks: already ended by the fast one's
      onTime.revocations().revoke("sid:revoked-on-time", clock.instant().plus(Duration.ofMinutes(1)));
      fast.revocations().revoke("sid:revoked-fast", clock.instant().plus(Duration.ofMinutes(1)));
      fast.revocations().revoke("sid:another", ahead.instant().plus(Duration.ofMinutes(30)));

      try (RedisState later = as("replica-b").keyPrefix(prefix).clock(clock).connect()) { // started afterwards
        assertThat(later.revocations().isRevoked("sid:revoked-on-time")).as("pruned by the fast replica").isTrue();
        assertThat(later.revocations().isRevoked("sid:revoked-fast")).as("dropped by the fast replica").isTrue();
        assertThat(onTime.revocations().isRevoked("sid:revoked-fast")).as("dropped by the fast replica").isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(later.revocations().isRevoked("sid:revoked-on-time")).as("ended").isFalse();
      }
    }
  }

  @Test
  void aSessionEndedOnAReplicaWhoseClockIsAhead_staysEndedOnTheOthers_untilItsDeadlineByTheirClocks() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-06T03:00:00Z"));
    MutableClock ahead = new MutableClock(clock.instant().plus(Duration.ofMinutes(2)));
    String prefix = prefix();
    Duration idle = Duration.ofMinutes(1);
    Instant login = clock.instant();
    Instant absolute = ahead.instant().plusMillis(200); // two minutes away by the on-time clock
    try (RedisState onTime = as("replica-a").keyPrefix(prefix).clock(clock).connect();
        RedisState fast = as("replica-b").keyPrefix(prefix).clock(ahead).connect()) {
      assertThat(onTime.sessions().touch(new Activity("sid:skewed", login, clock.instant(), idle, absolute,
          Duration.ofSeconds(1), false)).session().ended()).isEmpty();
      // a minute and more after the last request by its clock, the fast replica ends the session as idle
      assertThat(fast.sessions().touch(new Activity("sid:skewed", login, ahead.instant(), idle, absolute,
          Duration.ofSeconds(1), false)).session().ended()).contains(SessionEndReason.IDLE_TIMEOUT);
      // what the server then keeps for as long as its clock says (200 ms here) is gone, or may be: wait until it is
      // gone or a second has passed (on the server's own clock, not the replicas')
      String key = prefix + ":{" + RedisSessionStore.bucket("sid:skewed") + "}:session:sid:skewed";
      long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (server.command(c -> c.exists(key)) > 0 && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
      }

      clock.advance(Duration.ofSeconds(70)); // idle by the on-time clock too, and still before the deadline
      assertThat(onTime.sessions().touch(new Activity("sid:skewed", login, clock.instant(), idle, absolute,
          Duration.ofSeconds(1), false)).session().ended()).as("ended, not a new session")
          .contains(SessionEndReason.IDLE_TIMEOUT);
    }
  }

  @Test
  void aNonceFirstUsedOnAReplicaWhoseClockIsAhead_isAReplayOnTheOthers_untilTheSignatureExpiresByTheirClocks() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-06T03:00:00Z"));
    MutableClock ahead = new MutableClock(clock.instant().plus(Duration.ofMinutes(2)));
    String prefix = prefix();
    Instant expires = ahead.instant().plusMillis(200); // two minutes away by the on-time clock
    try (RedisState onTime = as("replica-a").keyPrefix(prefix).clock(clock).connect();
        RedisState fast = as("replica-b").keyPrefix(prefix).clock(ahead).connect()) {
      assertThat(fast.nonces().firstUse("key-1", "nonce-1", expires)).isTrue();
      // wait until the server forgot what the fast replica's clock asked it to keep (200 ms), or a second passed
      String key = prefix + ":nonce:5:key-1:nonce-1";
      long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (server.command(c -> c.exists(key)) > 0 && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
      }
      clock.advance(Duration.ofMinutes(1)); // the signature is still valid by the on-time clock
      assertThat(onTime.nonces().firstUse("key-1", "nonce-1", expires)).as("a replay").isFalse();
    }
  }

  @Test
  void aServerThatStopsAnswering_isRefusedByEveryStoreWithinItsTimeout_andRecoversUnattended() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-06T03:00:00Z"));
    String prefix = prefix();
    Duration timeout = Duration.ofMillis(200);
    try (RedisState a = as("replica-a").keyPrefix(prefix).clock(clock).commandTimeout(timeout).connect()) {
      Instant login = clock.instant();
      Supplier<SessionStore.Touched> request = () -> a.sessions().touch(new Activity("sid:frozen",
          login, clock.instant(), Duration.ofMinutes(15), login.plus(Duration.ofHours(8)), Duration.ofSeconds(1),
          a.revocations().isRevoked("sid:frozen")));
      assertThat(request.get().session().ended()).isEmpty();
      try {
        server.freeze();
        long frozen = System.nanoTime();
        clock.advance(Duration.ofSeconds(2)); // past the resolution: the session needs a round trip
        assertThatThrownBy(request::get)
            .isInstanceOf(StateUnavailableException.class).hasMessageNotContaining(PASSWORD);
        assertThatThrownBy(() -> a.throttle().get("account:a"))
            .isInstanceOf(StateUnavailableException.class);
        assertThatThrownBy(() -> a.emergencyGrants().find("g"))
            .isInstanceOf(StateUnavailableException.class);
        assertThat(a.nonces().firstUse("k", "n", clock.instant().plusSeconds(60))).as("counts as used").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - frozen)).isLessThan(timeout.multipliedBy(4 * 3));
        long deadline = System.nanoTime() + BOUND.multipliedBy(3).toNanos();
        while (true) { // the revocation list, answered from memory, stops answering within its bound
          try {
            a.revocations().isRevoked("sid:frozen");
          } catch (StateUnavailableException e) {
            break;
          }
          assertThat(System.nanoTime() - deadline).as("refused within the bound").isNegative();
          Thread.onSpinWait();
        }
      } finally {
        server.thaw();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (true) {
        try {
          assertThat(request.get().session().ended()).as("the same session goes on").isEmpty();
          break;
        } catch (StateUnavailableException e) {
          assertThat(System.nanoTime() - deadline).as("recovered").isNegative();
          Thread.onSpinWait();
        }
      }
    }
  }

  @Test
  void withPersistence_everyAcknowledgedWrite_survivesTheServerKilledAndRestarted() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-06T03:00:00Z"));
    String prefix = prefix();
    RedisServer persistent = RedisServer.start(Files.createDirectories(tmp.resolve("aof")),
        "--appendonly", "yes", "--appendfsync", "everysec"); // as docs/cluster.md recommends
    try {
      Instant login = clock.instant();
      Instant absolute = login.plus(Duration.ofHours(8));
      Rule rule = new Rule(3, 10, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofMinutes(15),
          Duration.ofDays(1));
      UserId alice = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");
      EmergencyGrant grant = new EmergencyGrant("g-aof", alice, "Patient", Optional.empty(),
          Set.of(Permission.parse("patient:read")), "ETREAT", login, login.plus(Duration.ofHours(1)),
          Optional.empty());
      try (RedisState a = RedisState.builder(persistent.uri()).keyPrefix(prefix).clock(clock).connect()) {
        a.sessions().touch(new Activity("sid:aof", login, login, Duration.ofMinutes(15), absolute,
            Duration.ofSeconds(1), false));
        a.sessions().end(new Ending("sid:aof", login, login, SessionEndReason.LOGGED_OUT, absolute));
        a.revocations().revoke("sid:aof", absolute);
        for (int i = 0; i < 4; i++) {
          a.throttle().recordFailure("account:aof", login, rule);
        }
        a.emergencyGrants().put(grant.revoked(login));
        a.refreshTokens().save(new StoredRefreshToken("aof-hash", "aof-family", new AccessGrant(alice, Set.of(),
            Set.of(), Set.of("pwd"), login, "aof", Optional.empty()), login.plus(Duration.ofDays(1))));
        assertThat(a.refreshTokens().markUsed("aof-hash")).isTrue();
        assertThat(a.nonces().firstUse("k", "aof", login.plusSeconds(300))).isTrue();
      }
      persistent.kill(); // SIGKILL: the process ends, what it wrote to its append-only file stays
      persistent.start();

      try (RedisState later = RedisState.builder(persistent.uri()).keyPrefix(prefix).clock(clock).connect()) {
        assertThat(later.revocations().isRevoked("sid:aof")).isTrue();
        assertThat(later.sessions().touch(new Activity("sid:aof", login, login.plusSeconds(5), Duration.ofMinutes(15),
            absolute, Duration.ofSeconds(1), false)).session().ended()).contains(SessionEndReason.LOGGED_OUT);
        assertThat(later.throttle().get("account:aof").map(ThrottleStore.Counter::failures)).contains(4);
        assertThat(later.emergencyGrants().forUser(alice)).containsExactly(grant.revoked(login));
        assertThat(later.refreshTokens().markUsed("aof-hash")).as("used before the restart").isFalse();
        assertThat(later.nonces().firstUse("k", "aof", login.plusSeconds(300))).as("a replay").isFalse();
      }
    } finally {
      persistent.close();
    }
  }

  @Test
  void aServerThatMayEvictKeys_isRefusedAtConnect_andOneThatRefusesWritesWhenFull_failsClosed() {
    String prefix = prefix();
    try {
      server.command(c -> c.configSet("maxmemory", "64mb"));
      for (String policy : List.of("allkeys-lru", "volatile-lru", "volatile-ttl", "allkeys-random")) {
        server.command(c -> c.configSet("maxmemory-policy", policy));
        assertThatThrownBy(() -> as("replica-a").keyPrefix(prefix).connect().close()).as(policy)
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxmemory-policy " + policy)
            .hasMessageNotContaining(PASSWORD);
      }
      server.command(c -> c.configSet("maxmemory-policy", "noeviction"));
      try (RedisState a = as("replica-a").keyPrefix(prefix).connect()) {
        server.command(c -> c.configSet("maxmemory", "1")); // one byte, below what it holds: full
        assertThatThrownBy(() -> a.throttle().recordFailure("account:full", Instant.now(), new Rule(3, 10,
            Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofDays(1))))
            .isInstanceOf(StateUnavailableException.class);
      }
    } finally {
      server.command(c -> c.configSet("maxmemory", "0"));
      server.command(c -> c.configSet("maxmemory-policy", "noeviction"));
    }
  }

  @Test
  void idsWithOddCharacters_neitherCollideNorInject_acrossReplicas() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-06T03:00:00Z"));
    String prefix = prefix();
    String longId = "x".repeat(100_000);
    List<String> ids = List.of("a", "a:b", "a*", "a\n", "a\r\n*", "{s1}", "a}:{b", "a b 1", "a b", " a", "",
        longId, longId + ":");
    try (RedisState a = as("replica-a").keyPrefix(prefix).clock(clock).connect();
        RedisState b = as("replica-b").keyPrefix(prefix).clock(clock).connect()) {
      // throttle counters: the i-th account fails i + 1 times on a, each read back exactly on b
      Rule rule = new Rule(50, 100, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofMinutes(15),
          Duration.ofDays(1));
      ThrottleStore onA = a.throttle();
      for (int i = 0; i < ids.size(); i++) {
        for (int n = 0; n <= i; n++) {
          onA.recordFailure("account:" + ids.get(i), clock.instant(), rule);
        }
      }
      b.throttle().clear("account:a*");
      for (int i = 0; i < ids.size(); i++) {
        String key = "account:" + ids.get(i);
        assertThat(b.throttle().get(key).map(ThrottleStore.Counter::failures))
            .as("failures of %s", key.length() > 40 ? "a long id" : key)
            .isEqualTo(ids.get(i).equals("a*") ? Optional.empty() : Optional.of(i + 1));
      }
      assertThat(b.throttle().get("address:a")).isEmpty();

      // sessions: every other one ended on b; the rest go on on a
      Instant login = clock.instant();
      Instant absolute = login.plus(Duration.ofHours(8));
      for (int i = 0; i < ids.size(); i++) {
        a.sessions().touch(new Activity("sid:" + ids.get(i), login, clock.instant(), Duration.ofMinutes(15), absolute,
            Duration.ofSeconds(1), false));
      }
      for (int i = 0; i < ids.size(); i += 2) {
        b.sessions().end(new Ending("sid:" + ids.get(i), login, clock.instant(), SessionEndReason.LOGGED_OUT,
            absolute));
      }
      clock.advance(Duration.ofSeconds(5));
      for (int i = 0; i < ids.size(); i++) {
        SessionStore.Touched t = a.sessions().touch(new Activity("sid:" + ids.get(i), login, clock.instant(),
            Duration.ofMinutes(15), absolute, Duration.ofSeconds(1), false));
        assertThat(t.session().ended()).as("session %d", i)
            .isEqualTo(i % 2 == 0 ? Optional.of(SessionEndReason.LOGGED_OUT) : Optional.empty());
      }

      // revocations: every other one revoked on a; b holds exactly those, pushed or polled
      for (int i = 0; i < ids.size(); i += 2) {
        a.revocations().revoke("jti:" + ids.get(i), clock.instant().plus(Duration.ofMinutes(10)));
      }
      for (int i = 0; i < ids.size(); i += 2) {
        assertThat(revokedWithin(b.revocations(), "jti:" + ids.get(i), BOUND.multipliedBy(2))).as("id %d", i)
            .isTrue();
      }
      try (RedisState c = as("replica-b").keyPrefix(prefix).clock(clock).connect()) { // reads the list as stored
        for (int i = 0; i < ids.size(); i++) {
          assertThat(b.revocations().isRevoked("jti:" + ids.get(i))).as("pushed %d", i).isEqualTo(i % 2 == 0);
          assertThat(c.revocations().isRevoked("jti:" + ids.get(i))).as("polled %d", i).isEqualTo(i % 2 == 0);
        }
      }

      // nonces: the key id and the nonce cannot be shifted into each other
      NonceCache nonces = a.nonces();
      Instant expires = clock.instant().plus(Duration.ofMinutes(5));
      assertThat(nonces.firstUse("k:1", "n", expires)).isTrue();
      assertThat(b.nonces().firstUse("k", "1:n", expires)).isTrue();
      assertThat(b.nonces().firstUse("k:1", "n", expires)).isFalse();
    }
  }
}
