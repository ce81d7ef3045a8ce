package dev.safeguards.examples.clinic.spring;

import dev.safeguards.annotation.AuditedResource;
import dev.safeguards.annotation.Logout;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.audit.AuditAction;
import dev.safeguards.conformance.ConformanceSuite;
import dev.safeguards.identity.Principal;
import dev.safeguards.servlet.SafeguardsFilter;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application the conformance suite expects behind the adapter (see {@link ConformanceSuite}), as Spring MVC
 * handler methods protected by their annotations, in place of the clinic's controllers.
 */
@RestController
public class ConformanceController {

  @GetMapping(path = "/health", produces = MediaType.TEXT_PLAIN_VALUE)
  @PermitAll
  public String health() {
    return "ok";
  }

  @GetMapping(path = "/patients/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  @RequiresPermission("patient:read")
  @AuditedResource(type = "Patient", idParam = "id", uuid = true)
  public String patient(@PathVariable("id") String id, Principal reader, HttpServletRequest request) {
    return "{\"id\":\"" + id + "\",\"name\":\"Jane Roe\",\"diagnosis\":\"E11.9\",\"reader\":\"" + reader.userId()
        + "\",\"clinician\":" + request.isUserInRole("clinician") + "}";
  }

  @PostMapping(path = "/patients", produces = MediaType.APPLICATION_JSON_VALUE)
  @RequiresPermission("patient:create")
  public ResponseEntity<String> create(@RequestBody byte[] body, HttpServletRequest request) {
    ConformanceSuite.WRITES.incrementAndGet();
    SafeguardsFilter.audit(request).entity("Patient", ConformanceSuite.CREATED);
    return ResponseEntity.status(HttpStatus.CREATED).body("{\"received\":" + body.length + "}");
  }

  @PostMapping(path = "/patients/search", produces = MediaType.APPLICATION_JSON_VALUE)
  @RequiresPermission("patient:read")
  public String search(@RequestBody byte[] body, HttpServletRequest request) {
    SafeguardsFilter.audit(request).action(AuditAction.SEARCH).entity("Patient", ConformanceSuite.PATIENT)
        .entity("Patient", ConformanceSuite.OTHER_PATIENT);
    return "[]";
  }

  @GetMapping("/boom")
  @RequiresPermission("patient:read")
  public String boom() {
    throw new IllegalStateException("Jane Roe's chart exploded");
  }

  @GetMapping("/missing")
  @RequiresPermission("patient:read")
  public void missing(HttpServletResponse response) throws IOException {
    response.sendError(404, "no chart for Jane Roe");
  }

  @PostMapping("/logout")
  @Logout
  public void logout() {
    throw new IllegalStateException("the gate answers logout itself");
  }
}
