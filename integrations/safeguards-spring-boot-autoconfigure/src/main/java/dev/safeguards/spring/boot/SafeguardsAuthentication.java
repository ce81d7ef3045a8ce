package dev.safeguards.spring.boot;

import dev.safeguards.identity.Principal;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The caller the gate authenticated, as Spring Security sees it: its principal is the gate's {@link Principal} (what
 * {@code @AuthenticationPrincipal} gives a controller), its authorities are {@code ROLE_<role>} for each role and
 * {@code SCOPE_<scope>} for each scope, and it holds no credentials (the token stays with the gate).
 */
public final class SafeguardsAuthentication extends AbstractAuthenticationToken {

  private static final long serialVersionUID = 1L;

  /** The caller the gate authenticated. */
  private final transient Principal principal;

  /**
   * Refused: it lives for one request (the starter keeps it in a request attribute, never in an HTTP session), and the
   * gate's principal is not serializable.
   *
   * @param out unused
   * @throws NotSerializableException always
   */
  private void writeObject(ObjectOutputStream out) throws IOException {
    throw new NotSerializableException("a SafeguardsAuthentication lives for one request and is never stored");
  }

  /**
   * The authentication of {@code principal}, marked authenticated.
   *
   * @param principal the caller the gate authenticated; its roles and scopes become the authorities
   */
  public SafeguardsAuthentication(Principal principal) {
    super(authorities(Objects.requireNonNull(principal, "principal")));
    this.principal = principal;
    setAuthenticated(true);
  }

  private static List<GrantedAuthority> authorities(Principal principal) {
    List<GrantedAuthority> authorities = new ArrayList<>();
    principal.roles().stream().sorted().forEach(r -> authorities.add(new SimpleGrantedAuthority("ROLE_" + r)));
    principal.scopes().stream().sorted().forEach(s -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + s)));
    return authorities;
  }

  /** None: the token was verified by the gate and is not kept. */
  @Override
  public Object getCredentials() {
    return null;
  }

  @Override
  public Principal getPrincipal() {
    return principal;
  }

  @Override
  public String getName() {
    return principal.userId().toString();
  }
}
