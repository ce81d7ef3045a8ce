package dev.safeguards.servlet;

import dev.safeguards.gate.Exchange;
import dev.safeguards.gate.Gate;
import dev.safeguards.identity.Principal;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** The request as the application sees it: the gate's principal and client address, and the checked body. */
final class GatedRequest extends HttpServletRequestWrapper {

  /** The request attribute holding the gate's {@link Exchange} (principal, decision, path parameters). */
  static final String ENTRY_ATTRIBUTE = "dev.safeguards.gate.Exchange";

  private final Exchange entry;
  private final byte[] body;

  GatedRequest(HttpServletRequest request, Exchange entry) {
    super(request);
    this.entry = entry;
    this.body = entry.body();
    request.setAttribute(ENTRY_ATTRIBUTE, entry);
  }

  @Override
  public java.security.Principal getUserPrincipal() {
    return entry.principal().orElse(null);
  }

  @Override
  public String getRemoteUser() {
    return entry.principal().map(p -> p.userId().toString()).orElse(null);
  }

  @Override
  public boolean isUserInRole(String role) {
    return entry.principal().map(p -> p.hasRole(role)).orElse(false);
  }

  @Override
  public String getAuthType() {
    return entry.principal().isPresent() ? Gate.AUTHENTICATION_SCHEME : null;
  }

  @Override
  public String getRemoteAddr() {
    return entry.clientAddress();
  }

  @Override
  public ServletInputStream getInputStream() {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return new ServletInputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, len);
      }

      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {
        throw new IllegalStateException("the body is already buffered; read it synchronously");
      }
    };
  }

  @Override
  public BufferedReader getReader() throws UnsupportedEncodingException {
    String encoding = getCharacterEncoding();
    Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
    return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
  }
}
