package dev.safeguards.examples.minimal;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.AccessTokenIssuer;
import dev.safeguards.authn.JwkSource;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.authn.TokenPolicy;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import dev.safeguards.identity.UserId;
import dev.safeguards.servlet.SafeguardsFilter;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.transport.TransportPolicy;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;

/** The smallest servlet application protected by Safeguards: {@code java -jar servlet-minimal.jar DIR [PORT]}. */
public final class MinimalApp {

  /** The application itself: it never sees a request the gate refused. */
  @SuppressWarnings("serial") public static final class Hello extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("application/json");
      resp.getWriter().print("{\"hello\":\"" + req.getUserPrincipal().getName() + "\"}");
    }
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "minimal-data");
    Server server = start(dir, args.length > 1 ? Integer.parseInt(args[1]) : 8080, Clock.systemUTC());
    System.out.println("listening on " + server.getURI() + "hello; a demo token: "
        + Files.readString(dir.resolve("demo-token.txt")));
    server.join();
    server.getBean(TamperEvidentAuditLog.class).close(); // signs a last checkpoint
  }

  static Server start(Path dir, int port, Clock clock) throws Exception {
    Files.createDirectories(dir); // its files: master key, keysets sealed under it, the audit log, a demo token
    Path masterKey = dir.resolve("master.key"); // outside a demo: in a secret manager, or a KMS
    KeyEncryptionKey kek = Files.exists(masterKey) ? KeyEncryptionKey.fromMasterKeyFile(masterKey)
        : KeyEncryptionKey.generateMasterKeyFile(masterKey);
    SigningKeyset tokenKeys = SigningKeyset.create(ManagedKeyset.openOrCreate(dir.resolve("tokens.keyset.json"),
        KeyPurpose.TOKEN_SIGNING_ED25519, kek, clock));
    SigningKeyset auditKeys = SigningKeyset.create(ManagedKeyset.openOrCreate(dir.resolve("audit.keyset.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, kek, clock));
    // A demo token in place of a real identity provider (whose JWKS URL JwkSource.remote(...) would read).
    String token = AccessTokenIssuer.builder(tokenKeys, "https://idp.example", "minimal").clock(clock).build()
        .issue(new AccessGrant(new UserId(UUID.randomUUID()), Set.of("reader"), Set.of(), Set.of("pwd", "otp"),
            clock.instant(), UUID.randomUUID().toString(), Optional.empty()));
    Files.writeString(dir.resolve("demo-token.txt"), token);
    RevocationList revoked = RevocationList.inMemory(10_000, clock);
    TamperEvidentAuditLog audit = TamperEvidentAuditLog.builder(dir.resolve("audit"), auditKeys).clock(clock).open();
    Safeguards safeguards = Safeguards.builder()
        .tokens(TokenVerifier.create(TokenPolicy.builder("https://idp.example", "minimal",
            JwkSource.of(tokenKeys.publicJwks())).requireMfa().revocations(revoked).clock(clock).build()))
        .sessions(SessionTracker.create(SessionPolicy.DEFAULT, SessionStore.inMemory(10_000, clock), revoked, clock))
        .access(AccessPolicy.builder().role("reader", "greeting:read").build())
        .routes(Routes.of(Route.protect("GET", "/hello", "greeting:read"), Route.logout("POST", "/logout")))
        .audit(audit)
        // Plain HTTP on 127.0.0.1 only, to keep this example small; anything else is refused. Serve HTTPS for real.
        .transport(TransportPolicy.builder().allowPlainHttpForLoopback().build())
        .clock(clock)
        .build();

    Server server = new Server(new InetSocketAddress("127.0.0.1", port));
    server.addBean(audit, false); // closed by main once the server stops
    ServletContextHandler context = new ServletContextHandler(); // the filter goes in front of everything
    context.addFilter(new FilterHolder(SafeguardsFilter.create(safeguards)), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(Hello.class, "/hello");
    server.setHandler(context);
    server.start();
    return server;
  }
}
