package dev.safeguards.cli;

import com.sun.net.httpserver.HttpServer;
import dev.safeguards.audit.AuditWitness;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyManagementException;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code safeguards witness serve}: the C2SP tlog-witness add-checkpoint endpoint over HTTP. */
@Command(name = "serve",
    description = {
        "Serves POST /add-checkpoint (C2SP tlog-witness) for the audit logs named by --log: keeps the latest "
            + "checkpoint of each in the state directory, accepts only consistent growth (409 for another old size, "
            + "422 for a rollback, a fork or a bad proof, 403 for a checkpoint the log's key did not sign, 404 for "
            + "an unknown log) and answers with an Ed25519 cosignature.",
        "The witness key is generated in the state directory on first start, sealed under the master key; the "
            + "verifier key to give the logs (WitnessAnchor) is printed at start. Runs until stopped. Plain HTTP: "
            + "everything it exchanges is signed; put it behind a TLS proxy to hide which logs it witnesses."})
final class WitnessServeCommand implements Callable<Integer> {

  private static final int MAX_REQUEST = 64 * 1024;

  @Spec
  private CommandSpec spec;

  @Option(names = "--state", required = true, paramLabel = "DIR",
      description = "The witness's state directory (its key and the latest checkpoint of each log); another host "
          + "or mount than the logs'.")
  private Path state;

  @Option(names = "--name", required = true, paramLabel = "NAME",
      description = "The witness's name in its cosignatures, a schema-less URL such as witness.example/w1.")
  private String name;

  @Option(names = "--log", required = true, paramLabel = "ORIGIN=FILE",
      description = "A log to witness: its origin and its checkpoint public keys (a JWK set, as 'keys public' "
          + "prints it). Repeatable.")
  private List<String> logs;

  @Option(names = "--listen", defaultValue = "127.0.0.1:7380", paramLabel = "HOST:PORT",
      description = "Where to listen (default ${DEFAULT-VALUE}; port 0 picks a free one).")
  private String listen;

  @Mixin
  private MasterKeyOption masterKey;

  @Option(names = "--new-master-key-file", paramLabel = "FILE",
      description = "On the first start: generates the witness's master key into FILE (owner-only, never "
          + "overwritten) instead of reading one; later starts take it with --master-key-file.")
  private Path newMasterKey;

  @Override
  public Integer call() throws Exception {
    Clock clock = SafeguardsCli.clock(spec);
    Map<String, SigningKeyset> known = new HashMap<>();
    for (String log : logs) {
      int eq = log.indexOf('=');
      if (eq <= 0) {
        throw CliException.input("--log " + log + ": ORIGIN=FILE");
      }
      Path file = Path.of(log.substring(eq + 1));
      try {
        known.put(log.substring(0, eq), SigningKeyset.fromPublicJwks(Inputs.text(file, "public key file (--log)")));
      } catch (IllegalArgumentException e) {
        throw CliException.input("--log " + log + ": not a JWK set of Ed25519 public keys: " + e.getMessage());
      }
    }
    KeyEncryptionKey kek;
    if (newMasterKey == null) {
      kek = masterKey.load();
    } else {
      try {
        kek = KeyEncryptionKey.generateMasterKeyFile(newMasterKey);
      } catch (dev.safeguards.crypto.MasterKeyException e) {
        throw CliException.input(e.getMessage() + " (--new-master-key-file)");
      }
    }
    AuditWitness witness;
    try {
      SigningKeyset key = SigningKeyset.create(ManagedKeyset.openOrCreate(state.resolve("witness-key.keyset.json"),
          KeyPurpose.RECORD_SIGNING_ED25519, kek, clock));
      witness = AuditWitness.open(state, name, key, known, clock);
    } catch (IllegalArgumentException | KeyManagementException | IOException e) {
      throw CliException.input("cannot open the witness in " + state + ": " + e.getMessage());
    }
    HttpServer server = start(witness, address());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop(1);
      stopped.countDown();
    }, "safeguards-witness-stop"));
    spec.commandLine().getOut().println("witness " + name + " listening on http://"
        + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/add-checkpoint");
    spec.commandLine().getOut().println("verifier key: " + witness.verifierKey());
    spec.commandLine().getOut().flush();
    stopped.await();
    return ExitCodes.OK;
  }

  private InetSocketAddress address() {
    int colon = listen.lastIndexOf(':');
    try {
      int port = Integer.parseInt(listen.substring(colon + 1));
      if (colon <= 0 || port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(listen.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw CliException.input("--listen " + listen + ": HOST:PORT");
    }
  }

  /** An HTTP server answering POST /add-checkpoint with {@code witness}; every other request gets 404 or 405. */
  static HttpServer start(AuditWitness witness, InetSocketAddress address) throws IOException {
    HttpServer server = HttpServer.create(address, 64);
    server.createContext("/", exchange -> {
      try (exchange) {
        AuditWitness.Response r;
        if (!exchange.getRequestURI().getPath().equals("/add-checkpoint")) {
          r = new AuditWitness.Response(404, "text/plain; charset=utf-8", "not found\n");
        } else if (!exchange.getRequestMethod().equals("POST")) {
          exchange.getResponseHeaders().set("Allow", "POST");
          r = new AuditWitness.Response(405, "text/plain; charset=utf-8", "POST only\n");
        } else {
          r = witness.addCheckpoint(readAtMost(exchange.getRequestBody(), MAX_REQUEST + 1));
        }
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", r.contentType());
        exchange.sendResponseHeaders(r.status(), body.length);
        exchange.getResponseBody().write(body);
      }
    });
    server.start();
    return server;
  }

  private static byte[] readAtMost(InputStream in, int limit) throws IOException {
    return in.readNBytes(limit);
  }
}
