package dev.safeguards.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.access.FieldClassification;
import dev.safeguards.access.MinimumNecessary;
import dev.safeguards.access.Phi;
import dev.safeguards.access.PhiCategory;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.annotation.Unannotated;
import dev.safeguards.authn.AuthenticationException;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.conformance.CapturingAuditSink;
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
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.Test;

/** JAX-RS-specific behaviour on Jersey: deployment refusal, minimum-necessary entity filtering. */
class JerseyAdapterTest {

  /** A patient as a JAX-RS resource returns it. */
  public record PatientView(
      String id,
      @Phi(category = PhiCategory.IDENTIFIER) String name,
      @Phi(category = PhiCategory.DEMOGRAPHIC) String dateOfBirth,
      @Phi(category = PhiCategory.IDENTIFIER) String ssn,
      @Phi(category = PhiCategory.CLINICAL) String diagnosis) {}

  @Path("/patients")
  public static class Patients {
    @GET
    @Path("{id}")
    @RequiresPermission("patient:read")
    @Produces(MediaType.APPLICATION_JSON)
    public PatientView read() {
      return new PatientView("p-1", "Jane Roe", "1961-03-04", "123-45-6789", "E11.9");
    }

    @GET
    @Path("{id}/fhir")
    @RequiresPermission("patient:read")
    @Produces("application/fhir+json")
    public PatientView fhir() {
      return read();
    }

    @GET
    @Path("{id}/csv")
    @RequiresPermission("patient:read")
    @Produces("text/csv")
    public PatientView csv() {
      return read();
    }
  }

  /** Writes a patient as a CSV line: a writer the filter cannot see into. */
  @Produces("text/csv")
  public static class CsvWriter implements jakarta.ws.rs.ext.MessageBodyWriter<PatientView> {
    @Override
    public boolean isWriteable(Class<?> type, java.lang.reflect.Type generic,
        java.lang.annotation.Annotation[] annotations, MediaType mediaType) {
      return type == PatientView.class;
    }

    @Override
    public void writeTo(PatientView p, Class<?> type, java.lang.reflect.Type generic,
        java.lang.annotation.Annotation[] annotations, MediaType mediaType,
        jakarta.ws.rs.core.MultivaluedMap<String, Object> headers, java.io.OutputStream out) throws java.io.IOException {
      out.write(String.join(",", p.id(), p.name(), p.dateOfBirth(), p.ssn(), p.diagnosis())
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** What a typed resource reads. */
  public record Input(int age) {}

  @Path("/typed")
  public static class Typed {
    @jakarta.ws.rs.POST
    @RequiresPermission("patient:read")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public String create(Input input) {
      return "{\"age\":" + input.age() + "}";
    }

    @GET
    @Path("{id}")
    @RequiresPermission("patient:read")
    public jakarta.ws.rs.core.Response missing() {
      return jakarta.ws.rs.core.Response.status(404).build();
    }
  }

  @Path("/crash")
  public static class Crash {
    @GET
    @RequiresPermission("patient:read")
    @Produces(MediaType.APPLICATION_JSON)
    public String crash() {
      throw new AssertionError("Jane Roe's chart exploded");
    }
  }

  @Path("/open")
  public static class Forgotten {
    @GET
    public String forgotten() {
      return "anyone";
    }
  }

  private final Clock clock = Clock.systemUTC();
  private final CapturingAuditSink audit = new CapturingAuditSink();

  /** Tokens are role names here: this test is about the adapter, not about token verification. */
  private Safeguards safeguards() {
    return Safeguards.builder()
        .tokens(token -> {
          if (!Set.of("clinician", "billing").contains(token)) {
            throw new AuthenticationException(AuthenticationException.Reason.MALFORMED, "unknown test token");
          }
          return new Principal(UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c"), Set.of(token), Set.of(),
              Set.of("pwd", "otp"), clock.instant(), Optional.of("s-" + token), Optional.empty(), Optional.empty(),
              clock.instant().plusSeconds(600));
        })
        .sessions(SessionTracker.create(SessionPolicy.DEFAULT, SessionStore.inMemory(10, clock),
            RevocationList.inMemory(10, clock), clock))
        .access(AccessPolicy.builder().role("clinician", "patient:read").role("billing", "patient:read").build())
        .routes(Routes.of())
        .audit(audit)
        .transport(TransportPolicy.builder().allowPlainHttpForLoopback().build())
        .build();
  }

  private static int start(ResourceConfig app, Server jetty) throws Exception {
    ServerConnector plain = new ServerConnector(jetty);
    plain.setHost("127.0.0.1");
    jetty.addConnector(plain);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new ServletContainer(app)), "/*");
    jetty.setHandler(context);
    jetty.start();
    return plain.getLocalPort();
  }

  private static HttpResponse<String> get(int port, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void entity_isFilteredToWhatTheCallersRolesMaySee() throws Exception {
    MinimumNecessary minimum = MinimumNecessary.builder(FieldClassification.fromAnnotations(PatientView.class))
        .role("clinician", PhiCategory.values()).role("billing", PhiCategory.DEMOGRAPHIC).build();
    Server jetty = new Server();
    Safeguards safeguards = safeguards();
    try {
      int port = start(new ResourceConfig().register(Patients.class).register(CsvWriter.class).register(
          SafeguardsFeature.builder(safeguards).servletConnections().minimumNecessary(minimum).build()), jetty);
      assertThat(safeguards.endpoints()).as("the endpoint inventory of the compliance report")
          .extracting(r -> r.method() + " " + r.pattern()).contains("GET /patients/{id}");

      HttpResponse<String> clinician = get(port, "/patients/p-1", "clinician");
      HttpResponse<String> billing = get(port, "/patients/p-1", "billing");

      assertThat(clinician.statusCode()).isEqualTo(200);
      assertThat(clinician.body()).contains("\"ssn\":\"123-45-6789\"", "\"diagnosis\":\"E11.9\"");
      assertThat(billing.statusCode()).isEqualTo(200);
      assertThat(billing.body()).isEqualTo("{\"id\":\"p-1\",\"dateOfBirth\":\"1961-03-04\"}");
      assertThat(audit.events()).hasSize(2);
      // any JSON type is filtered; an object written as anything else is refused rather than sent whole
      HttpResponse<String> fhir = get(port, "/patients/p-1/fhir", "billing");
      assertThat(fhir.body()).isEqualTo("{\"id\":\"p-1\",\"dateOfBirth\":\"1961-03-04\"}");
      HttpResponse<String> csv = get(port, "/patients/p-1/csv", "billing");
      assertThat(csv.statusCode()).isEqualTo(500);
      assertThat(csv.body()).doesNotContain("123-45-6789", "E11.9", "Jane Roe");
    } finally {
      jetty.stop();
    }
  }

  @Test
  void unannotatedResourceMethod_failsTheDeployment() throws Exception {
    Server jetty = new Server();
    try {
      int port = -1;
      Exception failure = null;
      try {
        port = start(new ResourceConfig().register(Forgotten.class)
            .register(SafeguardsFeature.create(safeguards())), jetty);
      } catch (Exception e) {
        failure = e;
      }
      assertThat(failure).as("the deployment fails").isNotNull();
      assertThat(port).isEqualTo(-1);
    } finally {
      jetty.stop();
    }
  }

  @Test
  void unannotatedResourceMethod_withDenyAsTheDefault_isRefusedAndAudited() throws Exception {
    Server jetty = new Server();
    try {
      int port = start(new ResourceConfig().register(Forgotten.class).register(SafeguardsFeature.builder(safeguards())
          .servletConnections().unannotated(Unannotated.DENY).build()), jetty);

      HttpResponse<String> r = get(port, "/open", "clinician");

      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(audit.events()).singleElement().satisfies(e -> assertThat(e.rule()).hasValue("route:deny-all"));
    } finally {
      jetty.stop();
    }
  }

  @Test
  void jsonThatDoesNotBind_andAnErrorWithoutBody_areProblems_notJacksonTextOrContainerHtml() throws Exception {
    Server jetty = new Server();
    try {
      int port = start(new ResourceConfig().register(Typed.class)
          .register(org.glassfish.jersey.jackson.JacksonFeature.class)
          .register(SafeguardsFeature.builder(safeguards()).servletConnections().build()), jetty);

      for (String body : new String[] {"{\"age\":\"old\"}", "{\"age\":3,\"secret\":1}", "[1,2]"}) {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/typed")).header("Authorization", "Bearer clinician")
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).doesNotContain("Input", "age", "secret", "Exception", "jackson");
      }
      HttpResponse<String> missing = get(port, "/typed/p-1", "clinician");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(missing.body()).startsWith("{\"type\":\"about:blank\"").doesNotContain("<html");
    } finally {
      jetty.stop();
    }
  }

  @Test
  void matrixParameterOnAPathParameter_isRefused_notDecidedOnAnotherIdThanTheResourceGets() throws Exception {
    // Found by JettyHostileEdgesTest: JAX-RS gives {id} without its matrix parameters ("p-1"), while the gate decided
    // and audited the request as "p-1;x=y".
    Server jetty = new Server();
    try {
      int port = start(new ResourceConfig().register(Patients.class)
          .register(SafeguardsFeature.builder(safeguards()).servletConnections().build()), jetty);

      HttpResponse<String> r = get(port, "/patients/p-1;x=y", "clinician");

      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(r.body()).doesNotContain("Jane Roe", "p-1");
      assertThat(audit.events()).singleElement().satisfies(e -> assertThat(e.rule()).hasValue("input:path-id"));
    } finally {
      jetty.stop();
    }
  }

  @Test
  void errorFromTheResource_is500WithAGenericProblem_andAudited() throws Exception {
    Server jetty = new Server();
    try {
      int port = start(new ResourceConfig().register(Crash.class)
          .register(SafeguardsFeature.builder(safeguards()).servletConnections().build()), jetty);

      HttpResponse<String> r = get(port, "/crash", "clinician");

      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(r.body()).doesNotContain("Jane Roe", "AssertionError");
      assertThat(audit.events()).singleElement().satisfies(e -> assertThat(e.httpStatus()).hasValue(500));
    } finally {
      jetty.stop();
    }
  }
}
