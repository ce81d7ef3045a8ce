package dev.safeguards.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.audit.AuditAction;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutesTest {

  private final Routes routes = Routes.of(
      Route.publicRoute("GET", "/health"),
      Route.protect("GET", "/patients/{id:uuid}", "patient:read").withResource("Patient", "id"),
      Route.protect("PUT", "/patients/{id:uuid}", "patient:update").withResource("Patient", "id"),
      Route.protect("POST", "/patients/search", "patient:search").withAction(AuditAction.SEARCH),
      Route.protect("GET", "/notes/{slug}", "note:read"));

  @Test
  void lookup_matchesMethodAndPath_withParameters() {
    Routes.Lookup l = routes.lookup("GET", "/patients/0193b2c4-7f00-7000-8000-000000000001");

    assertThat(l.match()).isPresent();
    assertThat(l.match().get().parameters()).isEqualTo(Map.of("id", "0193b2c4-7f00-7000-8000-000000000001"));
    assertThat(l.match().get().route().action()).isEqualTo(AuditAction.READ);
    assertThat(routes.lookup("POST", "/patients/search").match().orElseThrow().route().action())
        .isEqualTo(AuditAction.SEARCH);
  }

  @Test
  void lookup_knownPathOtherMethod_listsTheAllowedMethods_unknownPathNone() {
    assertThat(routes.lookup("DELETE", "/patients/x").allowedMethods()).containsExactly("GET", "PUT");
    assertThat(routes.lookup("GET", "/admin").match()).isEmpty();
    assertThat(routes.lookup("GET", "/admin").allowedMethods()).isEmpty();
    assertThat(routes.lookup("GET", "/patients/").match()).as("an empty parameter").isEmpty();
    assertThat(routes.lookup("GET", "/patients/a/b").match()).isEmpty();
    assertThat(routes.lookup("GET", "/health/").match()).isEmpty();
  }

  @Test
  void uuidParameters_areCheckedSeparately() {
    Routes.Match bad = routes.lookup("GET", "/patients/not-a-uuid").match().orElseThrow();
    Routes.Match free = routes.lookup("GET", "/notes/anything").match().orElseThrow();

    assertThat(routes.canonical(bad)).isEmpty();
    assertThat(routes.canonical(free).orElseThrow().parameters()).containsEntry("slug", "anything");
  }

  @Test
  void canonical_upperCaseUuid_isLowerCased() {
    Routes.Match upper = routes.lookup("GET", "/patients/0190A5B2-7C3D-7E4F-8A1B-2C3D4E5F6A7B").match().orElseThrow();

    assertThat(routes.canonical(upper).orElseThrow().parameters())
        .containsEntry("id", "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b");
  }

  @Test
  void canonical_parameterTheAuditLogCannotName_isMalformed() {
    Routes.Match longId = routes.lookup("GET", "/notes/" + "a".repeat(257)).match().orElseThrow();
    Routes.Match encodedSpace = routes.lookup("GET", "/notes/a b").match().orElseThrow();

    assertThat(routes.canonical(longId)).isEmpty();
    assertThat(routes.canonical(encodedSpace)).isEmpty();
    assertThat(routes.canonical(routes.lookup("GET", "/notes/" + "a".repeat(256)).match().orElseThrow()))
        .isPresent();
  }

  @Test
  void canonical_parameterTheContainerWouldResolveOrStrip_isMalformed() {
    // Found by JettyHostileEdgesTest: /notes/.. was decided as a note and served by the container as /, and
    // /notes/x;y decided and audited as note "x;y" while the application was given "x".
    for (String value : java.util.List.of(".", "..", "%2e%2E", ".%2e", "x;y", "..;", "a%2Fb", "a%5cb")) {
      assertThat(routes.canonical(routes.lookup("GET", "/notes/" + value).match().orElseThrow())).as(value).isEmpty();
    }
    assertThat(routes.canonical(routes.lookup("GET", "/notes/a.b...").match().orElseThrow())).isPresent();
  }

  @Test
  void canonical_percentEncoding_isInItsNormalForm() {
    assertThat(routes.canonical(routes.lookup("GET", "/notes/%61b%7ec%c3%a9").match().orElseThrow()).orElseThrow()
        .parameters()).containsEntry("slug", "ab~c%C3%A9");
    assertThat(routes.canonical(routes.lookup("GET", "/notes/a%4").match().orElseThrow())).isEmpty();
    assertThat(routes.canonical(routes.lookup("GET", "/notes/a%zz").match().orElseThrow())).isEmpty();
  }

  @Test
  void lookup_pathNotStartingWithSlash_matchesNoRoute() {
    // Found by RoutesFuzzTest: an empty path threw StringIndexOutOfBoundsException.
    Routes root = Routes.of(Route.publicRoute("GET", "/"), Route.publicRoute("GET", "/{page}"));
    for (String path : new String[] {"", "*", "health", "patients/x"}) {
      assertThat(root.lookup("GET", path).match()).as(path).isEmpty();
      assertThat(root.lookup("GET", path).allowedMethods()).as(path).isEmpty();
      assertThat(routes.lookup("GET", path).match()).as(path).isEmpty();
    }
  }

  @Test
  void route_patternNamingAParameterTwice_isRefused() {
    // Found by RoutesFuzzTest: /x/{id:uuid}/{id} kept only the second value, so the UUID check of the first segment
    // looked at the second one and let "not-a-uuid" through.
    assertThatThrownBy(() -> Route.publicRoute("GET", "/x/{id:uuid}/{id}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("once");
    assertThatThrownBy(() -> Route.protect("GET", "/a/{id}/b/{id}", "a:b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Route.publicRoute("GET", "/a/{id}/b/{other}").pattern()).isEqualTo("/a/{id}/b/{other}");
  }

  @Test
  void routes_validate() {
    assertThatThrownBy(() -> Route.protect("get", "/x", "a:b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Route.protect("GET", "x", "a:b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Route.protect("GET", "/x/{id", "a:b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Route.protect("GET", "/x", "a:b").withResource("X", "id"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Routes.of(Route.publicRoute("GET", "/h"), Route.publicRoute("GET", "/h")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Route.protect("POST", "/x", "a:b").contentTypes()).isEqualTo(Set.of("application/json"));
    assertThat(Route.protect("POST", "/x", "a:b").withContentTypes("text/csv").json()).isFalse();
    assertThat(Route.protect("POST", "/x", "a:b").withContentTypes("Application/JSON").json())
        .as("a type in capitals keeps JSON validation on").isTrue();
  }
}
