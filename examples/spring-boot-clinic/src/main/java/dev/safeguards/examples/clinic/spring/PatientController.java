package dev.safeguards.examples.clinic.spring;

import dev.safeguards.annotation.AuditedResource;
import dev.safeguards.annotation.BreakGlassAllowed;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.examples.clinic.domain.ClinicService;
import dev.safeguards.examples.clinic.domain.InvalidRequestException;
import dev.safeguards.examples.clinic.domain.PatientStore;
import dev.safeguards.examples.clinic.domain.Views;
import dev.safeguards.identity.Principal;
import dev.safeguards.servlet.SafeguardsFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The patient endpoints, translated to the {@link ClinicService}. The gate has already authenticated the caller,
 * checked the session, decided the permission on this very patient (or an open emergency grant, where {@code
 * @BreakGlassAllowed}) and checked the JSON body before a method runs; it audits every call with its final status,
 * and the starter trims every response to what authorised the caller (minimum necessary).
 */
@RestController
@RequestMapping("/patients")
public class PatientController {

  private final ClinicService clinic;

  /** The endpoints of {@code clinic}. */
  public PatientController(ClinicService clinic) {
    this.clinic = clinic;
  }

  @PostMapping
  @RequiresPermission("patient:create")
  public ResponseEntity<Views.Created> create(@RequestBody(required = false) ClinicService.PatientInput input,
      Principal caller, HttpServletRequest request) throws InvalidRequestException, SQLException {
    UUID id = clinic.create(input, caller.userId(), SafeguardsFilter.audit(request));
    return ResponseEntity.created(ServletUriComponentsBuilder.fromRequestUri(request).path("/{id}")
        .buildAndExpand(id).toUri()).body(new Views.Created(id.toString()));
  }

  @GetMapping("/{id}")
  @RequiresPermission("patient:read")
  @AuditedResource(type = PatientStore.TYPE, idParam = "id", uuid = true)
  @BreakGlassAllowed
  public Views.Patient read(@PathVariable("id") String id) throws SQLException, PatientStore.TamperedException {
    return clinic.read(id).orElseThrow(ClinicController::notFound);
  }

  @PutMapping("/{id}")
  @RequiresPermission("patient:update")
  @AuditedResource(type = PatientStore.TYPE, idParam = "id", uuid = true)
  public Views.Patient update(@PathVariable("id") String id,
      @RequestBody(required = false) ClinicService.PatientInput input, Principal caller)
      throws InvalidRequestException, SQLException, PatientStore.TamperedException {
    return clinic.update(id, input, caller.userId()).orElseThrow(ClinicController::notFound);
  }

  @DeleteMapping("/{id}")
  @RequiresPermission("patient:delete")
  @AuditedResource(type = PatientStore.TYPE, idParam = "id", uuid = true)
  public ResponseEntity<Void> delete(@PathVariable("id") String id) throws SQLException {
    if (!clinic.delete(id)) {
      throw ClinicController.notFound();
    }
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/{id}/history")
  @RequiresPermission("patient:history")
  @AuditedResource(type = PatientStore.TYPE, idParam = "id", uuid = true)
  public Views.History history(@PathVariable("id") String id) throws SQLException, PatientStore.TamperedException {
    return clinic.history(id).orElseThrow(ClinicController::notFound);
  }

  @PostMapping("/search")
  @RequiresPermission("patient:search")
  public List<Views.Patient> search(@RequestBody(required = false) ClinicService.SsnQuery query,
      HttpServletRequest request) throws InvalidRequestException, SQLException, PatientStore.TamperedException {
    return clinic.search(query, SafeguardsFilter.audit(request));
  }
}
