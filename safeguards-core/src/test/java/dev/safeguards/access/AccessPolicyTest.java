package dev.safeguards.access;

import static dev.safeguards.access.AccessFixtures.ALICE;
import static dev.safeguards.access.AccessFixtures.BOB;
import static dev.safeguards.access.AccessFixtures.PAT;
import static dev.safeguards.access.AccessFixtures.principal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditEvents;
import dev.safeguards.identity.Principal;
import dev.safeguards.testing.CapturedLogs;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

  private static final Permission READ = Permission.parse("patient:read");
  private static final Permission DELETE = Permission.parse("patient:delete");
  private static final ResourceRef PAT_RECORD = new ResourceRef("Patient", "p-pat");
  private static final ResourceRef OTHER_RECORD = new ResourceRef("Patient", "p-other");

  /** Pat owns p-pat; Alice is on p-pat's care team; every patient is in tenant "north" except p-south. */
  private final Map<String, ResourceAttributes> patients = Map.of(
      "p-pat", new ResourceAttributes(Optional.of(PAT), Optional.of("north"), Map.of()),
      "p-other", new ResourceAttributes(Optional.empty(), Optional.of("north"), Map.of()),
      "p-south", new ResourceAttributes(Optional.empty(), Optional.of("south"), Map.of()));
  private final RelationshipDirectory careTeams = (user, resource) ->
      user.equals(ALICE) && resource.id().equals("p-pat") || user.equals(ALICE) && resource.id().equals("p-south");

  private AccessPolicy policy() {
    return AccessPolicy.builder()
        .role("clinician", "patient:read", "patient:update")
        .role("patient", "patient:read")
        .role("admin", "patient:delete")
        .resolver(ref -> Optional.ofNullable(patients.get(ref.id())))
        .resourceRule("Patient", AccessRules.allOf(
            AccessRules.tenantIsolation(p -> Optional.of("north")),
            AccessRules.firstApplicable(
                AccessRules.whenRole("patient", AccessRules.owner()),
                AccessRules.whenRole("clinician", AccessRules.relationship("care-team", careTeams)),
                AccessRules.whenRole("admin", AccessRules.permit("admin")))))
        .build();
  }

  @Test
  void patient_readsOwnRecord_butNotAnothersByChangingTheId() {
    Principal pat = principal(PAT, "patient");

    AccessDecision own = policy().decide(pat, READ, PAT_RECORD);
    AccessDecision idor = policy().decide(pat, READ, OTHER_RECORD);

    assertThat(own.permitted()).isTrue();
    assertThat(own.rule()).isEqualTo("owner");
    assertThat(idor.permitted()).isFalse();
    assertThat(idor.rule()).isEqualTo("no-rule-applies");
  }

  @Test
  void clinician_readsCareTeamPatients_only() {
    Principal alice = principal(ALICE, "clinician");
    Principal bob = principal(BOB, "clinician");

    assertThat(policy().decide(alice, READ, PAT_RECORD).rule()).isEqualTo("care-team");
    assertThat(policy().decide(alice, READ, PAT_RECORD).permitted()).isTrue();
    assertThat(policy().decide(bob, READ, PAT_RECORD).permitted()).as("IDOR: not on the care team").isFalse();
    assertThat(policy().decide(alice, READ, OTHER_RECORD).permitted()).isFalse();
  }

  @Test
  void tenantIsolation_deniesAcrossTenants_evenWithARelationship() {
    AccessDecision d = policy().decide(principal(ALICE, "clinician"), READ, new ResourceRef("Patient", "p-south"));

    assertThat(d.permitted()).isFalse();
    assertThat(d.rule()).isEqualTo("tenant-isolation");
  }

  @Test
  void unknownResource_isDenied() {
    AccessDecision d = policy().decide(principal(ALICE, "clinician"), READ, new ResourceRef("Patient", "p-none"));

    assertThat(d.permitted()).isFalse();
    assertThat(d.rule()).isEqualTo("tenant-isolation");
  }

  @Test
  void roleWithoutThePermission_isDeniedByDefault() throws Exception {
    AccessDecision d = policy().decide(principal(ALICE, "clinician"), DELETE, PAT_RECORD);

    assertThat(d.permitted()).isFalse();
    assertThat(d.rule()).isEqualTo(AccessPolicy.DENY_BY_DEFAULT);
    assertThatThrownBy(d::orThrow).isInstanceOf(AccessDeniedException.class)
        .hasMessage("access denied: patient:delete (rule deny-by-default)");
    assertThat(policy().decide(principal(ALICE), READ, PAT_RECORD).permitted()).as("no roles at all").isFalse();
    assertThat(policy().decide(principal(ALICE, "nurse"), READ, PAT_RECORD).permitted()).as("unknown role")
        .isFalse();
  }

  @Test
  void noResource_roleDecides() {
    AccessDecision d = policy().decide(principal(ALICE, "clinician"), Permission.parse("patient:update"));

    assertThat(d.permitted()).isTrue();
    assertThat(d.rule()).isEqualTo("role:clinician");
  }

  @Test
  void ruleThatThrows_deniesAndLogsOnlyTheExceptionType() {
    CapturedLogs.clear();
    AccessPolicy p = AccessPolicy.builder().role("clinician", "patient:read")
        .resourceRule("Patient", AccessRules.rule("flaky", ctx -> {
          throw new IllegalStateException("db down for patient John Smith");
        })).build();

    AccessDecision d = p.decide(principal(ALICE, "clinician"), READ, PAT_RECORD);

    assertThat(d.permitted()).isFalse();
    assertThat(d.rule()).isEqualTo("error:flaky");
    assertThat(CapturedLogs.lines()).anyMatch(l -> l.contains("access rule flaky failed; denying"))
        .noneMatch(l -> l.contains("John Smith"));
  }

  @Test
  void resolverThatThrows_andRuleReturningNull_deny() {
    AccessPolicy throwingResolver = AccessPolicy.builder().role("patient", "patient:read")
        .resolver(ref -> {
          throw new java.io.IOException("timeout");
        })
        .resourceRule("Patient", AccessRules.owner()).build();
    AccessPolicy nullRule = AccessPolicy.builder().role("patient", "patient:read")
        .resourceRule("Patient", AccessRules.rule("broken", ctx -> null)).build();

    assertThat(throwingResolver.decide(principal(PAT, "patient"), READ, PAT_RECORD).rule())
        .isEqualTo("error:owner");
    assertThat(nullRule.decide(principal(PAT, "patient"), READ, PAT_RECORD).permitted()).isFalse();
  }

  @Test
  void resolver_isCalledAtMostOncePerDecision() {
    AtomicInteger calls = new AtomicInteger();
    AccessPolicy p = AccessPolicy.builder().role("patient", "patient:read")
        .resolver(ref -> {
          calls.incrementAndGet();
          return Optional.ofNullable(patients.get(ref.id()));
        })
        .resourceRule("Patient", AccessRules.allOf(AccessRules.tenantIsolation(x -> Optional.of("north")),
            AccessRules.owner()))
        .build();

    assertThat(p.decide(principal(PAT, "patient"), READ, PAT_RECORD).permitted()).isTrue();
    assertThat(calls).hasValue(1);
  }

  @Test
  void composites_anyOfAndFirstApplicable_nameTheDecidingRule() throws Exception {
    AccessContext ctx = new AccessContext(principal(ALICE, "clinician"), READ, Optional.of(PAT_RECORD), null);

    assertThat(AccessRules.anyOf(AccessRules.deny("a"), AccessRules.permit("b")).evaluate(ctx))
        .isEqualTo(RuleResult.permit("b"));
    assertThat(AccessRules.anyOf(AccessRules.rule("na", c -> RuleResult.notApplicable("na")), AccessRules.deny("d"))
        .evaluate(ctx)).isEqualTo(RuleResult.deny("d"));
    assertThat(AccessRules.allOf(AccessRules.permit("a"), AccessRules.deny("b"), AccessRules.permit("c"))
        .evaluate(ctx)).isEqualTo(RuleResult.deny("b"));
    assertThat(AccessRules.firstApplicable(AccessRules.whenRole("admin", AccessRules.permit("x")),
        AccessRules.deny("y")).evaluate(ctx)).isEqualTo(RuleResult.deny("y"));
    assertThatThrownBy(AccessRules::allOf).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void allOf_aRuleThatDoesNotApply_neverHidesALaterDenial_fromAnEnclosingFirstApplicable() throws Exception {
    AccessContext ctx = new AccessContext(principal(ALICE, "clinician"), READ, Optional.of(PAT_RECORD), null);
    AccessRule adminsOnly = AccessRules.whenRole("admin", AccessRules.permit("admin"));

    AccessRule policy = AccessRules.firstApplicable(AccessRules.allOf(adminsOnly, AccessRules.deny("suspended")),
        AccessRules.permit("fallback"));

    assertThat(policy.evaluate(ctx)).as("the denial decides, not the fallback").isEqualTo(RuleResult.deny("suspended"));
    assertThat(AccessRules.allOf(adminsOnly, AccessRules.permit("b")).evaluate(ctx).effect())
        .isEqualTo(Effect.NOT_APPLICABLE);
    assertThat(AccessRules.allOf(AccessRules.permit("a"), AccessRules.permit("b")).evaluate(ctx))
        .isEqualTo(RuleResult.permit("b"));
  }

  @Test
  void decision_appliedToAnAuditEvent_namesRuleAndResource() {
    AccessDecision d = policy().decide(principal(ALICE, "clinician"), READ, PAT_RECORD);

    AuditEvent e = d.applyTo(AuditEvents.create(Clock.systemUTC()).event(AuditAction.READ, "rest")).build();

    assertThat(e.rule()).hasValue("care-team");
    assertThat(e.entities()).singleElement().satisfies(x -> assertThat(x.id()).isEqualTo("p-pat"));
    assertThat(e.emergencyGrant()).isEmpty();
  }

  @Test
  void permissions_andBuilder_validate() {
    assertThat(Permission.parse("patient:read")).isEqualTo(new Permission("patient", "read"));
    assertThatThrownBy(() -> Permission.parse("patient")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Permission.parse("patient:*")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Permission.parse("Patient:Read")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AccessPolicy.builder().build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> AccessPolicy.builder().resourceRule("Patient", AccessRules.owner())
        .resourceRule("Patient", AccessRules.owner())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new ResourceRef("Patient", "a b")).isInstanceOf(IllegalArgumentException.class);
    assertThat(policy().roles()).containsEntry("patient", Set.of(READ));
  }
}
