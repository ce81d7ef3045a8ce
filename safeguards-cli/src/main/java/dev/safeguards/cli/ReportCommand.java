package dev.safeguards.cli;

import dev.safeguards.compliance.ComplianceReport;
import dev.safeguards.compliance.Status;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code safeguards report}: the compliance evidence report (164.312, docs/compliance.md) of a running application,
 * fetched from its report endpoint, or read from a saved JSON report; printed as Markdown or JSON.
 */
@Command(name = "report",
    description = {
        "Prints the compliance evidence report of a running application (--url, e.g. the clinic example's "
            + "/compliance) or of a saved JSON report (FILE), as Markdown (default) or JSON.",
        "The access token for --url is read from --token-file or the environment variable SAFEGUARDS_TOKEN, "
            + "never from the command line.",
        "With --require-met, exit status 1 when any of the nine specifications is not met."})
final class ReportCommand implements Callable<Integer> {

  static final String TOKEN_VARIABLE = "SAFEGUARDS_TOKEN";

  static final class Source {
    @Parameters(index = "0", paramLabel = "FILE", description = "A saved JSON compliance report.")
    Path file;

    @Option(names = "--url", paramLabel = "URL", description = "The application's report endpoint (HTTPS).")
    URI url;
  }

  @Spec
  private CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Source source;

  @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the access token for --url.")
  private Path tokenFile;

  @Option(names = "--cacert", paramLabel = "FILE",
      description = "A PEM certificate to trust for --url (e.g. a self-signed one), instead of the system's CAs.")
  private Path caCertificate;

  @Option(names = "--format", defaultValue = "markdown", paramLabel = "FORMAT",
      description = "markdown (default) or json.")
  private String format;

  @Option(names = "--require-met", description = "Fail (exit status 1) unless every specification is met.")
  private boolean requireMet;

  @Override
  public Integer call() {
    if (!format.equals("markdown") && !format.equals("json")) {
      throw CliException.input("--format: markdown or json, not '" + format + "'");
    }
    String json = source.file != null ? Inputs.text(source.file, "report file") : fetch(source.url);
    ComplianceReport report;
    try {
      report = ComplianceReport.parse(json);
    } catch (IllegalArgumentException e) {
      throw CliException.input((source.file != null ? "report file " + source.file : "the answer of " + source.url)
          + " is not a compliance report: " + e.getMessage());
    }
    spec.commandLine().getOut().print(format.equals("json") ? report.toJson() : report.toMarkdown());
    spec.commandLine().getOut().flush();
    long unmet = report.rows().stream().filter(r -> r.status() != Status.MET).count();
    if (requireMet && unmet > 0) {
      throw CliException.verificationFailed(unmet + " of the nine specifications are not met");
    }
    return ExitCodes.OK;
  }

  private String fetch(URI url) {
    if (!"https".equals(url.getScheme())) {
      throw CliException.input("--url: an https URL, not " + url.getScheme());
    }
    String token = token();
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (caCertificate != null) {
      client.sslContext(trusting(Inputs.file(caCertificate, "certificate file (--cacert)")));
    }
    HttpResponse<String> response;
    try {
      response = client.build().send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw CliException.input("cannot reach " + url + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.input("interrupted while fetching " + url);
    }
    if (response.statusCode() != 200) {
      throw CliException.input(url + " answered " + response.statusCode()
          + (response.statusCode() == 401 || response.statusCode() == 403
              ? ": the token was refused, or its user may not read the report" : ""));
    }
    return response.body();
  }

  private String token() {
    String token = tokenFile != null ? Inputs.text(tokenFile, "token file (--token-file)").strip()
        : System.getenv(TOKEN_VARIABLE);
    if (token == null || token.isBlank()) {
      throw CliException.input("--url needs an access token: --token-file FILE or $" + TOKEN_VARIABLE);
    }
    if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw CliException.input("the access token is not printable ASCII");
    }
    return token;
  }

  private static SSLContext trusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("cacert", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw CliException.input("certificate file (--cacert) " + pem + " is not a PEM X.509 certificate");
    }
  }
}
