package dev.safeguards.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.authn.AuthenticationException;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.conformance.CapturingAuditSink;
import dev.safeguards.conformance.ConformanceSuite;
import dev.safeguards.conformance.TestTls;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.transport.TransportPolicy;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two resource methods on one method and path that differ only by media type are each guarded by their own
 * annotations, whichever is declared first (issue 17, finding 1: a reader got the export). Run on Jersey and on RESTEasy
 * by the subclasses, each in the test JVM of its implementation.
 */
abstract class MediaTypeRoutesCases {

  /** The JSON view first, the export second. */
  @Path("/patients")
  public static class JsonFirst {
    @GET
    @Path("{id}")
    @RequiresPermission("patient:read")
    @Produces(MediaType.APPLICATION_JSON)
    public String json() {
      return "{\"id\":\"p-1\"}";
    }

    @GET
    @Path("{id}")
    @RequiresPermission("patient:export")
    @Produces("text/csv")
    public String csv() {
      return "id,name\np-1,Jane Roe\n";
    }
  }

  /** The export first, the JSON view second. */
  @Path("/records")
  public static class CsvFirst {
    @GET
    @Path("{id}")
    @RequiresPermission("patient:export")
    @Produces("text/csv")
    public String csv() {
      return "id,name\np-1,Jane Roe\n";
    }

    @GET
    @Path("{id}")
    @RequiresPermission("patient:read")
    @Produces(MediaType.APPLICATION_JSON)
    public String json() {
      return "{\"id\":\"p-1\"}";
    }
  }

  private final Clock clock = Clock.systemUTC();
  private final CapturingAuditSink audit = new CapturingAuditSink();

  /** Tokens are role names here: the test is about routing, not token verification. */
  private Safeguards safeguards() {
    return Safeguards.builder()
        .tokens(token -> {
          if (!Set.of("reader", "exporter").contains(token)) {
            throw new AuthenticationException(AuthenticationException.Reason.MALFORMED, "unknown test token");
          }
          return new Principal(UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c"), Set.of(token), Set.of(),
              Set.of("pwd", "otp"), clock.instant(), Optional.of("s-" + token), Optional.empty(), Optional.empty(),
              clock.instant().plusSeconds(600));
        })
        .sessions(SessionTracker.create(SessionPolicy.DEFAULT, SessionStore.inMemory(10, clock),
            RevocationList.inMemory(10, clock), clock))
        .access(AccessPolicy.builder().role("reader", "patient:read")
            .role("exporter", "patient:read", "patient:export").build())
        .routes(Routes.of())
        .audit(audit)
        .transport(TransportPolicy.builder().allowPlainHttpForLoopback().build())
        .build();
  }

  /** Starts the implementation with both resource classes and {@code feature}, plain HTTP on loopback. */
  abstract ConformanceSuite.Server start(SafeguardsFeature feature, TestTls tls) throws Exception;

  private static HttpResponse<String> get(ConformanceSuite.Server server, String path, String token, String accept)
      throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .header("Authorization", "Bearer " + token).header("Accept", accept).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void eachMethod_isGuardedByItsOwnPermission_whateverTheDeclarationOrder() throws Exception {
    Safeguards safeguards = safeguards();
    ConformanceSuite.Server server = start(SafeguardsFeature.builder(safeguards).servletConnections().build(),
        TestTls.generate(Files.createTempDirectory("media-type-routes")));
    try {
      for (String base : new String[] {"/patients/p-1", "/records/p-1"}) {
        audit.clear();
        HttpResponse<String> json = get(server, base, "reader", "application/json");
        assertThat(json.statusCode()).as(base + " JSON for a reader").isEqualTo(200);
        assertThat(json.body()).isEqualTo("{\"id\":\"p-1\"}");

        HttpResponse<String> csv = get(server, base, "reader", "text/csv");
        assertThat(csv.statusCode()).as(base + " CSV for a reader").isEqualTo(403);
        assertThat(csv.body()).doesNotContain("Jane Roe");

        assertThat(get(server, base, "exporter", "text/csv").statusCode()).as(base + " CSV for an exporter")
            .isEqualTo(200);
        assertThat(audit.events()).extracting(e -> e.httpStatus().orElseThrow()).containsExactly(200, 403, 200);
      }
      Map<String, String> inventory = new java.util.HashMap<>();
      for (Route r : safeguards.endpoints()) {
        r.handler().ifPresent(h -> inventory.put(h, r.method() + " " + r.pattern() + " " + r.permission()
            .orElseThrow()));
      }
      assertThat(inventory).as("the endpoint inventory lists each method")
          .containsEntry("JsonFirst.json", "GET /patients/{id} patient:read")
          .containsEntry("JsonFirst.csv", "GET /patients/{id} patient:export")
          .containsEntry("CsvFirst.csv", "GET /records/{id} patient:export")
          .containsEntry("CsvFirst.json", "GET /records/{id} patient:read");
    } finally {
      server.stop();
    }
  }
}
