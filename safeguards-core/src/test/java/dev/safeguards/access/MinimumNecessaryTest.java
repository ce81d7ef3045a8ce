package dev.safeguards.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MinimumNecessaryTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A patient as the clinic example returns it. */
  record PatientView(
      String id,
      @Phi(category = PhiCategory.IDENTIFIER) String name,
      @Phi(category = PhiCategory.DEMOGRAPHIC) @JsonProperty("dateOfBirth") String dob,
      @Phi(category = PhiCategory.IDENTIFIER) String ssn,
      @Phi(category = PhiCategory.CLINICAL) String diagnosis) {}

  private static final PatientView PATIENT =
      new PatientView("p-1", "Jane Roe", "1961-03-04", "123-45-6789", "E11.9 type 2 diabetes");

  private final FieldClassification fromAnnotations = FieldClassification.fromAnnotations(PatientView.class);

  private MinimumNecessary filter(FieldClassification c) {
    return MinimumNecessary.builder(c)
        .role("clinician", PhiCategory.values())
        .role("billing", PhiCategory.DEMOGRAPHIC, PhiCategory.FINANCIAL)
        .role("admin")
        .build();
  }

  @Test
  void annotations_classifyFieldsByTheirJsonNames() {
    assertThat(fromAnnotations.categoryOf("dateOfBirth")).hasValue(PhiCategory.DEMOGRAPHIC);
    assertThat(fromAnnotations.categoryOf("diagnosis")).hasValue(PhiCategory.CLINICAL);
    assertThat(fromAnnotations.isNotPhi("id")).isTrue();
    assertThat(fromAnnotations.categoryOf("dob")).isEmpty();
  }

  @Test
  void phiOnAGetter_doesNotCompile_ratherThanLeaveItsFieldUnmarked() throws Exception {
    javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    javax.tools.JavaFileObject source = new javax.tools.SimpleJavaFileObject(java.net.URI.create("string:///G.java"),
        javax.tools.JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return "class G { private String diagnosis; @dev.safeguards.access.Phi(category = "
            + "dev.safeguards.access.PhiCategory.CLINICAL) public String getDiagnosis() { return diagnosis; } }";
      }
    };
    String classes = java.nio.file.Path.of(Phi.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    javax.tools.DiagnosticCollector<javax.tools.JavaFileObject> errors = new javax.tools.DiagnosticCollector<>();
    boolean compiled = javac.getTask(null, null, errors, List.of("-proc:none", "-classpath", classes, "-d",
        java.nio.file.Files.createTempDirectory("phi-getter").toString()), null, List.of(source)).call();

    assertThat(compiled).isFalse();
    assertThat(errors.getDiagnostics()).anySatisfy(d -> assertThat(d.getCode()).contains("annotation"));
  }

  @Test
  void filters_jsonAndEveryPlusJsonType_andNothingElse() {
    assertThat(MinimumNecessary.filters("application/json")).isTrue();
    assertThat(MinimumNecessary.filters("Application/FHIR+JSON; charset=UTF-8")).isTrue();
    assertThat(MinimumNecessary.filters("application/problem+json")).isTrue();
    assertThat(MinimumNecessary.filters("text/csv")).isFalse();
    assertThat(MinimumNecessary.filters("application/xml")).isFalse();
    assertThat(MinimumNecessary.filters("text/json+x")).isFalse();
    assertThat(MinimumNecessary.filters(null)).isFalse();
  }

  @Test
  void filter_perRole_keepsOnlyWhatTheRoleMaySee() {
    MinimumNecessary mn = filter(fromAnnotations);

    assertThat(mn.filterValue(PATIENT, Set.of("clinician")).toString())
        .isEqualTo(JSON.valueToTree(PATIENT).toString());
    assertThat(fieldNames(mn.filterValue(PATIENT, Set.of("billing")))).containsExactlyInAnyOrder("id", "dateOfBirth");
    assertThat(fieldNames(mn.filterValue(PATIENT, Set.of("admin")))).containsExactly("id");
    assertThat(fieldNames(mn.filterValue(PATIENT, Set.of()))).containsExactly("id");
    assertThat(fieldNames(mn.filterValue(PATIENT, List.of("billing", "admin"))))
        .containsExactlyInAnyOrder("id", "dateOfBirth");
  }

  @Test
  void filter_unclassifiedField_isRemovedUnlessExplicitlyKept() throws Exception {
    JsonNode doc = JSON.readTree("{\"id\":\"p-1\",\"notes\":\"lives with partner\"}");

    assertThat(fieldNames(filter(fromAnnotations).filter(doc, Set.of("clinician")))).containsExactly("id");
    MinimumNecessary lenient = MinimumNecessary.builder(fromAnnotations).role("clinician", PhiCategory.values())
        .keepUnclassifiedFields().build();
    assertThat(fieldNames(lenient.filter(doc, Set.of("clinician")))).containsExactlyInAnyOrder("id", "notes");
    assertThat(doc.has("notes")).as("the input is not changed").isTrue();
  }

  @Test
  void filter_nestedObjectsAndArrays_followDottedPaths() throws Exception {
    FieldClassification c = FieldClassification.builder()
        .notPhi("total")
        .notPhi("patients.id")
        .phi("patients.name", PhiCategory.IDENTIFIER)
        .phi("patients.address.city", PhiCategory.DEMOGRAPHIC)
        .phi("patients.address.line1", PhiCategory.IDENTIFIER)
        .build();
    JsonNode doc = JSON.readTree("{\"total\":2,\"patients\":["
        + "{\"id\":\"a\",\"name\":\"Ann\",\"address\":{\"city\":\"Leeds\",\"line1\":\"1 High St\"}},"
        + "{\"id\":\"b\",\"name\":\"Bo\",\"address\":{\"city\":\"York\",\"line1\":\"2 Low Rd\"},\"extra\":1}]}");

    JsonNode billing = filter(c).filter(doc, Set.of("billing"));

    assertThat(billing.toString()).isEqualTo("{\"total\":2,\"patients\":[{\"id\":\"a\",\"address\":{\"city\":"
        + "\"Leeds\"}},{\"id\":\"b\",\"address\":{\"city\":\"York\"}}]}");
  }

  @Test
  void redact_forLogs_masksPhiAndUnclassifiedValuesButKeepsNames() throws Exception {
    JsonNode doc = JSON.readTree("{\"id\":\"p-1\",\"name\":\"Jane Roe\",\"ssn\":\"123-45-6789\","
        + "\"diagnosis\":\"E11.9\",\"notes\":\"call her sister\"}");

    assertThat(fromAnnotations.redact(doc).toString()).isEqualTo("{\"id\":\"p-1\",\"name\":\"[identifier]\","
        + "\"ssn\":\"[identifier]\",\"diagnosis\":\"[clinical]\",\"notes\":\"[unclassified]\"}");
  }

  @Test
  void builder_badOrDuplicatePaths_areRefused() {
    assertThatThrownBy(() -> FieldClassification.builder().phi("a..b", PhiCategory.CLINICAL))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldClassification.builder().phi("a", PhiCategory.CLINICAL).notPhi("a"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void filterByDecision_billingPlusNurse_seesOnlyWhatBillingAuthorised() {
    AccessPolicy policy = AccessPolicy.builder()
        .role("billing", "patient:read")
        .role("nurse", "emergency:open")
        .build();
    MinimumNecessary mn = MinimumNecessary.builder(fromAnnotations)
        .role("billing", PhiCategory.DEMOGRAPHIC)
        .role("nurse", PhiCategory.values())
        .build();

    AccessDecision d = policy.decide(AccessFixtures.principal(AccessFixtures.ALICE, "billing", "nurse"),
        Permission.parse("patient:read"), new ResourceRef("Patient", "p-1"));

    assertThat(d.authorizingRoles()).containsExactly("billing");
    assertThat(fieldNames(mn.filterValue(PATIENT, d))).containsExactlyInAnyOrder("id", "dateOfBirth");
  }

  @Test
  void filterByDecision_roleTheResourceRuleRefuses_addsNothing() {
    AccessRule billingAnyClinicianOwn = AccessRules.anyOf(
        AccessRules.whenRole("billing", AccessRules.permit("billing-any")),
        AccessRules.whenRole("clinician", AccessRules.relationship("care-team", (user, resource) -> false)));
    AccessPolicy policy = AccessPolicy.builder()
        .role("billing", "patient:read")
        .role("clinician", "patient:read")
        .resourceRule("Patient", billingAnyClinicianOwn)
        .build();
    MinimumNecessary mn = filter(fromAnnotations);

    AccessDecision d = policy.decide(AccessFixtures.principal(AccessFixtures.ALICE, "billing", "clinician"),
        Permission.parse("patient:read"), new ResourceRef("Patient", "p-1"));

    assertThat(d.permitted()).isTrue();
    assertThat(d.authorizingRoles()).containsExactly("billing");
    assertThat(fieldNames(mn.filterValue(PATIENT, d))).doesNotContain("ssn", "diagnosis", "name");
  }

  @Test
  void filterByDecision_emergencyGrant_showsTheEmergencyCategories_andADenialShowsNothing() {
    MinimumNecessary all = filter(fromAnnotations);
    MinimumNecessary clinicalOnly = MinimumNecessary.builder(fromAnnotations)
        .emergencyAccess(PhiCategory.CLINICAL).build();
    AccessDecision grant = new AccessDecision(true, "emergency:g-1", Permission.parse("patient:read"),
        java.util.Optional.of(new ResourceRef("Patient", "p-1")), java.util.Optional.of("g-1"));
    AccessDecision denial = new AccessDecision(false, "deny-by-default", Permission.parse("patient:read"),
        java.util.Optional.empty(), java.util.Optional.empty());

    assertThat(all.filterValue(PATIENT, grant).toString()).isEqualTo(JSON.valueToTree(PATIENT).toString());
    assertThat(fieldNames(clinicalOnly.filterValue(PATIENT, grant))).containsExactlyInAnyOrder("id", "diagnosis");
    assertThat(fieldNames(all.filterValue(PATIENT, denial))).containsExactly("id");
  }
}
