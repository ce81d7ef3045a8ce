package dev.safeguards.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.access.Permission;
import dev.safeguards.annotation.AuditedResource;
import dev.safeguards.annotation.BreakGlassAllowed;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.annotation.Unannotated;
import dev.safeguards.gate.Route;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How annotations become the gate's routes. */
class ResourceRoutesTest {

  @Path("/patients")
  @RequiresPermission("patient:read")
  static class Patients {
    @GET
    @Path("{id: [0-9a-f-]+}")
    @AuditedResource(type = "Patient", idParam = "id", uuid = true)
    public String read() {
      return "";
    }

    @PUT
    @Path("/{id}/")
    @RequiresPermission("patient:update")
    @AuditedResource(type = "Patient", idParam = "id")
    @BreakGlassAllowed
    public void update() {}

    @DELETE
    @Path("{id}")
    @RolesAllowed({"admin", "owner"})
    public void delete() {}

    @GET
    @Path("count")
    @PermitAll
    public int count() {
      return 0;
    }

    @POST
    @Path("purge")
    @DenyAll
    public void purge() {}

    @Path("sub")
    public Object locator() {
      return this;
    }
  }

  static class Bare {
    @GET
    @Path("/x")
    public String x() {
      return "";
    }
  }

  private static Method method(Class<?> type, String name) throws Exception {
    for (Method m : type.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new NoSuchMethodException(name);
  }

  private final ResourceRoutes routes = new ResourceRoutes(Unannotated.REFUSE);

  private Route route(String name) throws Exception {
    return routes.add(Patients.class, method(Patients.class, name)).orElseThrow();
  }

  @Test
  void classPermission_isTheDefault_andResourcesAreNamed() throws Exception {
    Route read = route("read");

    assertThat(read.method()).isEqualTo("GET");
    assertThat(read.pattern()).isEqualTo("/patients/{id:uuid}");
    assertThat(read.permission()).hasValue(Permission.parse("patient:read"));
    assertThat(read.resourceType()).hasValue("Patient");
    assertThat(read.breakGlass()).as("only with @BreakGlassAllowed").isFalse();
  }

  @Test
  void methodAnnotations_overrideTheClass() throws Exception {
    Route update = route("update");
    Route delete = route("delete");

    assertThat(update.pattern()).isEqualTo("/patients/{id}");
    assertThat(update.permission()).hasValue(Permission.parse("patient:update"));
    assertThat(update.breakGlass()).isTrue();
    assertThat(delete.roles()).isEqualTo(Set.of("admin", "owner"));
    assertThat(delete.permission()).isEmpty();
    assertThat(route("count").kind()).isEqualTo(Route.Kind.PUBLIC);
    assertThat(route("purge").kind()).isEqualTo(Route.Kind.DENIED);
  }

  @Test
  void subResourceLocators_haveNoRoute_andAllRoutesAreCollected() throws Exception {
    assertThat(routes.add(Patients.class, method(Patients.class, "locator"))).isEmpty();
    route("read");
    route("count");

    assertThat(routes.routes().all()).hasSize(2);
    assertThat(routes.routes().lookup("GET", "/patients/count").match()).isPresent();
  }

  @Test
  void unannotatedMethod_isRefused_unlessADefaultWasChosen() throws Exception {
    Method x = method(Bare.class, "x");

    assertThatThrownBy(() -> routes.add(Bare.class, x)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no access annotation");
    assertThat(new ResourceRoutes(Unannotated.DENY).add(Bare.class, x).orElseThrow()
        .kind()).isEqualTo(Route.Kind.DENIED);
    assertThat(new ResourceRoutes(Unannotated.PUBLIC).add(Bare.class, x).orElseThrow()
        .kind()).isEqualTo(Route.Kind.PUBLIC);
  }
}
