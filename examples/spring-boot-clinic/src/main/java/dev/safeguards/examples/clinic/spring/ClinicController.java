package dev.safeguards.examples.clinic.spring;

import dev.safeguards.access.AccessDeniedException;
import dev.safeguards.alert.AlertException;
import dev.safeguards.annotation.Logout;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.audit.AuditException;
import dev.safeguards.examples.clinic.domain.ClinicService;
import dev.safeguards.examples.clinic.domain.InvalidRequestException;
import dev.safeguards.examples.clinic.domain.PatientStore;
import dev.safeguards.examples.clinic.domain.Views;
import dev.safeguards.identity.Principal;
import jakarta.annotation.security.PermitAll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Health, logout, break-glass, the administrator's audit review and compliance report. */
@RestController
public class ClinicController {

  private final ClinicService clinic;

  /** The endpoints of {@code clinic}. */
  public ClinicController(ClinicService clinic) {
    this.clinic = clinic;
  }

  /** A 404, whose body the gate makes a generic problem (the same bytes clinic-api sends). */
  static ResponseStatusException notFound() {
    return new ResponseStatusException(HttpStatus.NOT_FOUND);
  }

  @GetMapping("/health")
  @PermitAll
  public Views.Health health() {
    return clinic.health();
  }

  /** The gate answers this itself: it ends the session (204) and revokes the token; this method never runs. */
  @PostMapping("/logout")
  @Logout
  public void logout() {
    throw new IllegalStateException("the gate answers logout");
  }

  /**
   * Opens an emergency grant to one patient: audited with its reason and alerted at once; it expires on its own and
   * is reviewed afterwards (164.312(a)(2)(ii)).
   */
  @PostMapping("/break-glass")
  @RequiresPermission("emergency:open")
  public ResponseEntity<Views.Grant> breakGlass(@RequestBody(required = false) ClinicService.BreakGlassRequest request,
      Principal caller) throws InvalidRequestException, SQLException, PatientStore.TamperedException, AlertException,
      AuditException {
    try {
      return ResponseEntity.status(HttpStatus.CREATED).body(clinic.breakGlass(request, caller).orElseThrow(
          ClinicController::notFound));
    } catch (AccessDeniedException e) {
      throw new ResponseStatusException(HttpStatus.FORBIDDEN);
    }
  }

  /** The audit review: who did what to which patient, when (identifiers only). */
  @GetMapping("/audit")
  @RequiresPermission("audit:read")
  public List<Views.AuditEntry> audit(@RequestParam(name = "user", required = false) String user,
      @RequestParam(name = "patient", required = false) String patient,
      @RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to)
      throws InvalidRequestException, AuditException, IOException {
    return clinic.auditReview(user, patient, from, to);
  }

  /**
   * The compliance evidence report of the running configuration (docs/compliance.md): JSON, or Markdown with
   * {@code ?format=markdown}. It holds settings and identifiers only, so it is sent as it is, unfiltered.
   */
  @GetMapping("/compliance")
  @RequiresPermission("compliance:read")
  public ResponseEntity<byte[]> compliance(@RequestParam(name = "format", required = false) String format)
      throws InvalidRequestException {
    ClinicService.Document report = clinic.compliance(format);
    return ResponseEntity.ok().contentType(MediaType.parseMediaType(report.mediaType()))
        .body(report.text().getBytes(StandardCharsets.UTF_8));
  }
}
