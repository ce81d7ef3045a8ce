package dev.safeguards.servlet;

import dev.safeguards.audit.AuditAction;
import dev.safeguards.conformance.ConformanceSuite;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The application the conformance suite expects behind the adapter (see ConformanceSuite). */
final class ConformanceServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getRequestURI();
    if (path.equals("/health")) {
      write(res, 200, "text/plain", "ok");
    } else if (path.startsWith("/patients/")) {
      String id = path.substring("/patients/".length());
      write(res, 200, "application/json", "{\"id\":\"" + id + "\",\"name\":\"Jane Roe\",\"diagnosis\":\"E11.9\","
          + "\"reader\":\"" + (req.getUserPrincipal() instanceof dev.safeguards.identity.Principal p ? p.userId().toString() : "untyped") + "\",\"clinician\":" + req.isUserInRole("clinician")
          + "}");
    } else if (path.equals("/boom")) {
      throw new IllegalStateException("Jane Roe's chart exploded");
    } else {
      res.sendError(404, "no chart for Jane Roe");
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
    byte[] body = req.getInputStream().readAllBytes();
    if (req.getRequestURI().equals("/patients/search")) {
      SafeguardsFilter.audit(req).action(AuditAction.SEARCH).entity("Patient", ConformanceSuite.PATIENT)
          .entity("Patient", ConformanceSuite.OTHER_PATIENT);
      write(res, 200, "application/json", "[]");
      return;
    }
    ConformanceSuite.WRITES.incrementAndGet();
    SafeguardsFilter.audit(req).entity("Patient", ConformanceSuite.CREATED);
    write(res, 201, "application/json", "{\"received\":" + body.length + "}");
  }

  private static void write(HttpServletResponse res, int status, String type, String body) throws IOException {
    res.setStatus(status);
    res.setContentType(type);
    res.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }
}
