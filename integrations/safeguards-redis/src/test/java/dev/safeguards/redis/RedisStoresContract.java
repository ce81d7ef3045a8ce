package dev.safeguards.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.access.EmergencyGrant;
import dev.safeguards.access.EmergencyGrantStore;
import dev.safeguards.access.Permission;
import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.RefreshTokenStore;
import dev.safeguards.authn.RefreshTokenStore.StoredRefreshToken;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.authn.ThrottleStore;
import dev.safeguards.authn.ThrottleStore.Rule;
import dev.safeguards.authn.TotpReplayGuard;
import dev.safeguards.identity.UserId;
import dev.safeguards.integrity.NonceCache;
import dev.safeguards.session.SessionEndReason;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionStore.Activity;
import dev.safeguards.session.SessionStore.Ending;
import dev.safeguards.session.SessionStore.Touched;
import dev.safeguards.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every Redis store against a real Redis deployment: each decides exactly as the in-process store does (the same
 * rules, run as Lua on the server), over random sequences on an injected clock; and what one replica writes, another
 * reads. Run on one server ({@link RedisStoresTest}) and on a cluster ({@link RedisClusterStoresTest}).
 */
abstract class RedisStoresContract {

  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private RedisState a;
  private RedisState b;

  /** A new configuration for the deployment under test. */
  abstract RedisState.Builder builder();

  /** How many scripts the deployment ran by digest, on all its nodes. */
  abstract long evalshaCalls();

  @BeforeEach
  void connect() {
    String prefix = "stores" + PREFIXES.incrementAndGet();
    a = builder().keyPrefix(prefix).clock(clock).connect();
    b = builder().keyPrefix(prefix).clock(clock).connect();
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void sessions_decideAsTheInMemoryStore_overRandomRequests_fromTwoReplicas() {
    SessionStore memory = SessionStore.inMemory(1000, clock);
    Random random = new Random(42);
    Instant login = clock.instant();
    Duration idle = Duration.ofMinutes(15);
    Duration resolution = Duration.ofSeconds(9);
    Instant absolute = login.plus(Duration.ofHours(2));
    String[] keys = {"sid:s1", "sid:s2", "jti:j3"};
    java.util.Set<String> revoked = new java.util.HashSet<>();
    for (int i = 0; i < 600; i++) {
      clock.advance(Duration.ofMillis(random.nextInt(4) == 0 ? random.nextInt(16 * 60_000) : random.nextInt(12_000)));
      String key = keys[random.nextInt(keys.length)];
      SessionStore replica = random.nextBoolean() ? a.sessions() : b.sessions();
      if (random.nextInt(40) == 0) {
        Ending e = new Ending(key, login, clock.instant(), SessionEndReason.LOGGED_OUT, absolute);
        assertThat(replica.end(e)).as("ending %d", i).isEqualTo(memory.end(e));
        revoked.add(key); // as SessionTracker does: an ended session is revoked too
      } else {
        boolean isRevoked = revoked.contains(key) || random.nextInt(60) == 0;
        Activity act = new Activity(key, login, clock.instant(), idle, absolute, resolution, isRevoked);
        Touched got = replica.touch(act);
        Touched truth = memory.touch(act);
        assertThat(got.endedNow()).as("request %d", i).isEqualTo(truth.endedNow());
        assertThat(got.session().ended()).as("request %d", i).isEqualTo(truth.session().ended());
        // A replica that answers from what it last heard may know an older last request than another replica wrote
        // since: never later than the truth, and never older by the resolution or more.
        assertThat(got.session().lastSeen()).as("request %d", i).isBeforeOrEqualTo(truth.session().lastSeen())
            .isAfter(truth.session().lastSeen().minus(resolution));
        assertThat(got.session().retainUntil()).isEqualTo(truth.session().retainUntil());
      }
    }
  }

  @Test
  void requestsWithinTheResolution_costNoRoundTrip_andTheFirstAfterItOne() {
    SessionStore sessions = a.sessions();
    Instant login = clock.instant();
    java.util.function.Supplier<Long> evalsha = this::evalshaCalls;
    java.util.function.Supplier<Touched> request = () -> sessions.touch(new Activity("sid:r1", login,
        clock.instant(), Duration.ofMinutes(15), login.plus(Duration.ofHours(8)), Duration.ofSeconds(9), false));
    request.get();
    long before = evalsha.get();

    for (int i = 0; i < 8; i++) {
      clock.advance(Duration.ofSeconds(1));
      assertThat(request.get().session().ended()).isEmpty();
    }
    assertThat(evalsha.get() - before).as("8 requests within 9 s of the last round trip").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(request.get().session().lastSeen()).as("written again").isEqualTo(clock.instant());
    assertThat(evalsha.get() - before).isEqualTo(1);
  }

  @Test
  void throttle_countsAsTheRuleSays_acrossReplicas() {
    ThrottleStore memory = ThrottleStore.inMemory(100, clock);
    Rule rule = new Rule(3, 10, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofMinutes(15),
        Duration.ofDays(1));
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) {
      clock.advance(Duration.ofMillis(random.nextInt(8) == 0 ? random.nextInt(2 * 86_400_000) : random.nextInt(5000)));
      String key = random.nextBoolean() ? "account:alice" : "address:192.0.2.1";
      ThrottleStore replica = random.nextBoolean() ? a.throttle() : b.throttle();
      int what = random.nextInt(25);
      if (what == 0) {
        replica.clear(key);
        memory.clear(key);
      } else if (what < 4) {
        replica.forgive(key, rule);
        memory.forgive(key, rule);
      } else if (what < 12) {
        assertThat(replica.admit(key, clock.instant(), rule)).as("attempt %d", i)
            .isEqualTo(memory.admit(key, clock.instant(), rule));
      } else {
        assertThat(replica.recordFailure(key, clock.instant(), rule)).as("failure %d", i)
            .isEqualTo(memory.recordFailure(key, clock.instant(), rule));
      }
      assertThat(a.throttle().get(key)).isEqualTo(memory.get(key));
    }
  }

  @Test
  void revocation_onOneReplica_isSeenOnTheOther_untilItEnds_andTheLaterEndWins() {
    RevocationList onA = a.revocations();
    RevocationList onB = b.revocations();
    long revoked = System.nanoTime();
    onA.revoke("sid:s1", clock.instant().plus(Duration.ofMinutes(10)));
    assertThat(onA.isRevoked("sid:s1")).as("at once where it was revoked").isTrue();
    while (!onB.isRevoked("sid:s1")) { // pushed to the other replica
      assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(b.revocationBound());
      Thread.onSpinWait();
    }
    onB.revoke("sid:s1", clock.instant().plus(Duration.ofMinutes(5))); // an earlier end does not shorten it

    assertThat(onB.isRevoked("sid:s2")).isFalse();
    clock.advance(Duration.ofMinutes(9));
    assertThat(onB.isRevoked("sid:s1")).isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(onB.isRevoked("sid:s1")).isFalse();
  }

  @Test
  void aRevocationWhoseMessageWasLost_isReadByThePoll_withinTheBound() {
    // As if a replica's message never arrived: the entry and the version are written, nothing is published.
    String until = Long.toString(clock.instant().plus(Duration.ofMinutes(10)).toEpochMilli());
    long written = System.nanoTime();
    a.call(c -> c.zadd(a.keyPrefix() + ":{revocations}:set", Double.parseDouble(until), "jti:lost"));
    a.call(c -> c.set(a.keyPrefix() + ":{revocations}:version", "elsewhere:1"));

    while (!b.revocations().isRevoked("jti:lost")) {
      assertThat(Duration.ofNanos(System.nanoTime() - written)).isLessThan(b.revocationBound());
      Thread.onSpinWait();
    }
  }

  @Test
  void refreshTokens_roundTrip_andATokenIsUsedOnce() {
    RefreshTokenStore onA = a.refreshTokens();
    RefreshTokenStore onB = b.refreshTokens();
    AccessGrant grant = new AccessGrant(ALICE, Set.of("clinician", "nurse"), Set.of("patient/*.read"),
        Set.of("pwd", "otp"), clock.instant(), "s1", Optional.of("portal"));
    StoredRefreshToken token = new StoredRefreshToken("hash1", "family1", grant, clock.instant().plus(
        Duration.ofDays(1)));
    onA.save(token);

    assertThat(onB.find("hash1")).contains(token);
    assertThat(onB.find("unknown")).isEmpty();
    assertThat(onB.markUsed("unknown")).isFalse();
    assertThat(onB.find("unknown")).as("marking an unknown token stores nothing").isEmpty();
    assertThat(onB.markUsed("hash1")).isTrue();
    assertThat(onA.markUsed("hash1")).isFalse();
    assertThat(onA.isFamilyRevoked("family1")).isFalse();
    onA.revokeFamily("family1");
    assertThat(onB.isFamilyRevoked("family1")).isTrue();
  }

  @Test
  void emergencyGrants_roundTrip_byIdAndByUser_revocationIncluded() {
    EmergencyGrantStore onA = a.emergencyGrants();
    EmergencyGrantStore onB = b.emergencyGrants();
    EmergencyGrant one = new EmergencyGrant("g1", ALICE, "Patient", Optional.of("p1"),
        Set.of(Permission.parse("patient:read"), Permission.parse("patient:write")), "ETREAT", clock.instant(),
        clock.instant().plus(Duration.ofHours(1)), Optional.empty());
    EmergencyGrant two = new EmergencyGrant("g2", ALICE, "Patient", Optional.empty(),
        Set.of(Permission.parse("patient:read")), "ETREAT", clock.instant(), clock.instant().plus(Duration.ofHours(2)),
        Optional.empty());
    onA.put(one);
    onA.put(two);

    assertThat(onB.find("g1")).contains(one);
    assertThat(onB.forUser(ALICE)).containsExactlyInAnyOrder(one, two);
    assertThat(onB.forUser(UserId.parse("0193b2c4-7f00-7000-8000-0000000000b0"))).isEmpty();
    EmergencyGrant revoked = one.revoked(clock.instant().plus(Duration.ofMinutes(3)));
    onB.put(revoked);
    assertThat(onA.find("g1")).contains(revoked);
    assertThat(onA.forUser(ALICE)).containsExactlyInAnyOrder(revoked, two);
    clock.advance(Duration.ofHours(1).plus(RedisEmergencyGrantStore.KEPT).plusSeconds(1));
    assertThat(onA.forUser(ALICE)).as("a day after it ended, g1 is forgotten").containsExactly(two);
  }

  @Test
  void nonces_andOneTimeCodeSteps_areFirstUsedOnExactlyOneReplica() {
    NonceCache onA = a.nonces();
    NonceCache onB = b.nonces();
    Instant expires = clock.instant().plusSeconds(300);
    assertThat(onA.firstUse("key-1", "n1", expires)).isTrue();
    assertThat(onB.firstUse("key-1", "n1", expires)).isFalse();
    assertThat(onB.firstUse("key-2", "n1", expires)).as("another key's nonce").isTrue();
    assertThat(onB.firstUse("key-1", "n2", clock.instant())).as("already expired").isFalse();

    TotpReplayGuard totpA = a.totpReplay();
    TotpReplayGuard totpB = b.totpReplay();
    assertThat(totpA.acceptOnce("alice", 100)).isTrue();
    assertThat(totpB.acceptOnce("alice", 100)).isFalse();
    assertThat(totpB.acceptOnce("alice", 99)).isFalse();
    assertThat(totpB.acceptOnce("alice", 101)).isTrue();
    assertThat(totpA.acceptOnce("bob", 100)).isTrue();
  }

  @Test
  void nonces_decideAsTheInMemoryCache_atAndPastTheirExpiry() {
    NonceCache memory = NonceCache.inMemory(100, clock);
    NonceCache redis = a.nonces();
    Instant start = clock.instant();
    record Use(String keyId, String nonce, Instant expiresAt, boolean expected) {}
    List<Use> uses = List.of(
        new Use("k", "past", start.minusMillis(1), false),
        new Use("k", "now", start, false),
        new Use("k", "now", start.plusSeconds(60), true),
        new Use("k", "n", start.plusSeconds(60), true),
        new Use("k", "n", start.plusSeconds(60), false));
    for (Use u : uses) {
      assertThat(memory.firstUse(u.keyId(), u.nonce(), u.expiresAt())).as("in memory: %s", u).isEqualTo(u.expected());
      assertThat(redis.firstUse(u.keyId(), u.nonce(), u.expiresAt())).as("Redis: %s", u).isEqualTo(u.expected());
    }
    clock.advance(Duration.ofSeconds(60)); // the instant "n" expires: a replay then is still refused
    assertThat(memory.firstUse("k", "n", start.plusSeconds(60))).as("in memory, at expiry").isFalse();
    assertThat(redis.firstUse("k", "n", start.plusSeconds(60))).as("Redis, at expiry").isFalse();
  }

  @Test
  void keyPrefixes_keepApplicationsApart() {
    try (RedisState other = builder().keyPrefix("another-app").clock(clock).connect()) {
      a.revocations().revoke("sid:s1", clock.instant().plusSeconds(60));
      assertThat(other.revocations().isRevoked("sid:s1")).isFalse();
    }
  }

  @Test
  void keepingTheMarks_keepsEveryBucketsMarkForADay_withoutMovingIt() {
    // A bucket no session has used for a while: its mark about to expire. Were it to expire, the bucket's next new
    // session (authenticated before its first request reached Redis) would end as lost.
    String mark = a.keyPrefix() + ":{s5}:sessions-since";
    String since = a.call(c -> c.get(mark));
    a.call(c -> c.pexpire(mark, 50));
    clock.advance(Duration.ofHours(1));

    ((RedisSessionStore) a.sessions()).keepMarks();

    String kept = a.call(c -> c.get(mark));
    long ttl = a.call(c -> c.pttl(mark));
    assertThat(kept).isEqualTo(since);
    assertThat(ttl).isGreaterThan(Duration.ofHours(23).toMillis());
  }

  @Test
  void everyKeyHasATimeToLive() {
    useEveryStore(a, clock.instant());

    List<String> keys = new ArrayList<>(a.call(c -> c.keys(a.keyPrefix() + ":*")));
    // and the revocations' version, and since when each bucket of sessions is complete
    assertThat(keys.stream().filter(k -> k.endsWith(":sessions-since"))).hasSize(RedisState.SESSION_BUCKETS);
    assertThat(keys.stream().filter(k -> !k.endsWith(":sessions-since"))).hasSize(10);
    for (String key : keys) {
      long ttl = a.call(c -> c.pttl(key));
      assertThat(ttl).as(key).isPositive();
    }
  }

  /**
   * One write to every store through {@code state}, each checked, as an application's requests make them (at {@code
   * at}, to the millisecond: the stores keep times to the millisecond).
   */
  static void useEveryStore(RedisState state, Instant at) {
    Instant now = at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    assertThat(state.sessions().touch(new Activity("sid:s1", now, now, Duration.ofMinutes(15),
        now.plus(Duration.ofHours(1)), Duration.ofSeconds(9), false)).session().ended()).isEmpty();
    assertThat(state.throttle().recordFailure("account:alice", now, new Rule(3, 10, Duration.ofSeconds(1),
        Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofDays(1))).failures()).isEqualTo(1);
    state.revocations().revoke("jti:j1", now.plusSeconds(60));
    assertThat(state.revocations().isRevoked("jti:j1")).isTrue();
    state.refreshTokens().save(new StoredRefreshToken("h", "f", new AccessGrant(ALICE, Set.of(), Set.of(),
        Set.of("pwd"), now, "s1", Optional.empty()), now.plus(Duration.ofDays(1))));
    assertThat(state.refreshTokens().markUsed("h")).isTrue();
    state.refreshTokens().revokeFamily("f");
    assertThat(state.refreshTokens().isFamilyRevoked("f")).isTrue();
    EmergencyGrant grant = new EmergencyGrant("g1", ALICE, "Patient", Optional.empty(),
        Set.of(Permission.parse("patient:read")), "ETREAT", now, now.plusSeconds(600), Optional.empty());
    state.emergencyGrants().put(grant);
    assertThat(state.emergencyGrants().forUser(ALICE)).containsExactly(grant);
    assertThat(state.nonces().firstUse("k", "n", now.plusSeconds(60))).isTrue();
    assertThat(state.totpReplay().acceptOnce("alice", 5)).isTrue();
  }
}
