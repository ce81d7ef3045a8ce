package dev.safeguards.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.authn.RevocationList;
import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import dev.safeguards.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idle, absolute, logout and revocation flows on an injected clock. */
class SessionTrackerTest {

  private static final Instant LOGIN = Instant.parse("2026-11-23T08:00:00Z");
  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");

  private MutableClock clock;
  private RevocationList revocations;
  private SessionTracker tracker;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(LOGIN.plusSeconds(5));
    revocations = RevocationList.inMemory(1000, clock);
    tracker = SessionTracker.create(SessionPolicy.DEFAULT, SessionStore.inMemory(1000, clock), revocations, clock);
  }

  private static Principal principal(String sid) {
    return new Principal(ALICE, Set.of("clinician"), Set.of(), Set.of("pwd", "otp"), LOGIN, Optional.of(sid),
        Optional.empty(), Optional.of("jti-" + sid), LOGIN.plus(Duration.ofMinutes(10)));
  }

  @Test
  void touch_withinIdleTimeout_keepsTheSessionAlive_forHours() {
    Principal p = principal("s1");
    for (int i = 0; i < 40; i++) { // 40 requests 14 minutes apart: over 9 hours
      SessionVerdict v = tracker.touch(p);
      assertThat(v.active()).as("request %d", i).isTrue();
      assertThat(v.idleDeadline()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
      clock.advance(Duration.ofMinutes(14));
    }
  }

  @Test
  void touch_withinTheResolution_writesNothing_andTheSessionEndsEarlyByLessThanIt_neverLate() {
    // DEFAULT: 15 minutes idle, so the last request is written again once it is 9 s old (1%).
    assertThat(SessionTracker.resolution(SessionPolicy.DEFAULT)).isEqualTo(Duration.ofSeconds(9));
    Principal p = principal("s1");
    Instant first = clock.instant();
    tracker.touch(p);
    clock.advance(Duration.ofSeconds(8));
    assertThat(tracker.touch(p).idleDeadline()).as("not written: within 9 s").isEqualTo(first.plus(
        Duration.ofMinutes(15)));
    clock.advance(Duration.ofSeconds(1));
    Instant written = clock.instant();
    assertThat(tracker.touch(p).idleDeadline()).as("9 s old: written").isEqualTo(written.plus(Duration.ofMinutes(15)));
    clock.advance(Duration.ofSeconds(8)); // not written
    tracker.touch(p);
    clock.advance(Duration.between(clock.instant(), written.plus(Duration.ofMinutes(15))));

    assertThat(tracker.touch(p).endReason()).as("8 s early, inside the resolution").contains(
        SessionEndReason.IDLE_TIMEOUT);
  }

  @Test
  void aStoreThatLostItsState_endsTheSessionsItNoLongerKnows_thatBeganBefore() {
    Instant since = LOGIN.plusSeconds(60);
    SessionStore.Activity before = new SessionStore.Activity("sid:s1", LOGIN, since.plusSeconds(1),
        Duration.ofMinutes(15), LOGIN.plus(Duration.ofHours(8)), Duration.ofSeconds(9), false);
    SessionStore.Activity after = new SessionStore.Activity("sid:s2", since, since.plusSeconds(1),
        Duration.ofMinutes(15), since.plus(Duration.ofHours(8)), Duration.ofSeconds(9), false);

    assertThat(before.apply(Optional.empty(), since).session().ended()).contains(SessionEndReason.STATE_LOST);
    assertThat(before.apply(Optional.empty(), since).endedNow()).isTrue();
    assertThat(after.apply(Optional.empty(), since).session().ended()).isEmpty();
    SessionStore.Activity sameSecond = new SessionStore.Activity("sid:s3", since.plusMillis(100), since.plusSeconds(1),
        Duration.ofMinutes(15), since.plus(Duration.ofHours(8)), Duration.ofSeconds(9), false);
    assertThat(sameSecond.apply(Optional.empty(), since.plusMillis(500)).session().ended())
        .as("auth_time has whole seconds: a login in the second of the loss is not taken for one before it").isEmpty();
    SessionStore.SessionRecord known = before.apply(Optional.empty()).session();
    assertThat(before.apply(Optional.of(known), since).session().ended()).as("one it knows goes on").isEmpty();
  }

  @Test
  void touch_afterIdleTimeout_endsTheSession_forGood() {
    Principal p = principal("s1");
    tracker.touch(p);
    clock.advance(Duration.ofMinutes(15));

    assertThat(tracker.touch(p).endReason()).contains(SessionEndReason.IDLE_TIMEOUT);
    clock.advance(Duration.ofSeconds(1));
    assertThat(tracker.touch(p).endReason()).contains(SessionEndReason.IDLE_TIMEOUT);
  }

  @Test
  void touch_pastTheAbsoluteLifetime_endsEvenAnActiveSession() {
    Principal p = principal("s1");
    while (clock.instant().isBefore(LOGIN.plus(Duration.ofHours(12)))) {
      assertThat(tracker.touch(p).active()).isTrue();
      clock.advance(Duration.ofMinutes(10));
    }
    assertThat(tracker.touch(p).endReason()).contains(SessionEndReason.ABSOLUTE_TIMEOUT);
  }

  @Test
  void touch_ofANewSessionAuthenticatedTooLongAgo_isEndedAtOnce() {
    clock.advance(Duration.ofHours(13));
    assertThat(tracker.touch(principal("old")).endReason()).contains(SessionEndReason.ABSOLUTE_TIMEOUT);
  }

  @Test
  void logout_endsTheSession_andRevokesItsTokens() {
    Principal p = principal("s1");
    tracker.touch(p);

    SessionVerdict v = tracker.logout(p);

    assertThat(v.endReason()).contains(SessionEndReason.LOGGED_OUT);
    assertThat(tracker.touch(p).endReason()).contains(SessionEndReason.LOGGED_OUT);
    assertThat(revocations.isRevoked("sid:s1")).isTrue();
    clock.advance(Duration.ofHours(12));
    assertThat(revocations.isRevoked("sid:s1")).isFalse(); // its tokens cannot outlive the absolute lifetime anyway
  }

  @Test
  void revoke_byAnAdministrator_endsTheSessionOnEveryNodeSharingTheList() {
    Principal p = principal("s1");
    tracker.touch(p);
    SessionTracker otherNode = SessionTracker.create(SessionPolicy.DEFAULT, SessionStore.inMemory(10, clock),
        revocations, clock);

    tracker.revoke("sid:s1", LOGIN);

    assertThat(tracker.touch(p).endReason()).contains(SessionEndReason.REVOKED);
    assertThat(otherNode.touch(p).endReason()).contains(SessionEndReason.REVOKED);
  }

  @Test
  void sessions_areIndependent_andTokensWithoutSidAreTrackedByJti() {
    Principal a = principal("a");
    Principal b = principal("b");
    tracker.touch(a);
    tracker.touch(b);
    tracker.logout(a);
    assertThat(tracker.touch(b).active()).isTrue();

    Principal noSid = new Principal(ALICE, Set.of(), Set.of(), Set.of(), LOGIN, Optional.empty(), Optional.empty(),
        Optional.of("t-1"), LOGIN.plusSeconds(600));
    assertThat(tracker.touch(noSid).sessionKey()).isEqualTo("jti:t-1");
    Principal neither = new Principal(ALICE, Set.of(), Set.of(), Set.of(), LOGIN, Optional.empty(), Optional.empty(),
        Optional.empty(), LOGIN.plusSeconds(600));
    assertThatThrownBy(() -> tracker.touch(neither)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void store_whenFullOfLiveSessions_refusesNewOnes_butNeverForgetsEndedOnes() {
    SessionTracker small = SessionTracker.create(SessionPolicy.DEFAULT, SessionStore.inMemory(2, clock), revocations,
        clock);
    small.touch(principal("a"));
    small.touch(principal("b"));
    clock.advance(Duration.ofMinutes(20));
    assertThat(small.touch(principal("a")).endReason()).contains(SessionEndReason.IDLE_TIMEOUT);

    assertThatThrownBy(() -> small.touch(principal("c"))).isInstanceOf(IllegalStateException.class);
    assertThat(small.touch(principal("a")).endReason()).contains(SessionEndReason.IDLE_TIMEOUT);

    clock.advance(Duration.ofHours(12)); // past every retention: room again
    assertThat(small.touch(new Principal(ALICE, Set.of(), Set.of(), Set.of(), clock.instant(), Optional.of("d"),
        Optional.empty(), Optional.empty(), clock.instant().plusSeconds(600))).active()).isTrue();
  }

  @Test
  void policy_refusesOutOfRangeTimeouts() {
    assertThatThrownBy(() -> new SessionPolicy(Duration.ofSeconds(30), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionPolicy(Duration.ofHours(2), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionPolicy(Duration.ofMinutes(15), Duration.ofDays(8)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
