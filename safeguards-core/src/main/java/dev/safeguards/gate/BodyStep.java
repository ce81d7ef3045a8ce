package dev.safeguards.gate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.safeguards.http.HttpFields;
import dev.safeguards.integrity.DigestFields;
import dev.safeguards.integrity.IntegrityException;
import dev.safeguards.transport.RequestLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The request body, read only once the caller is known to be allowed: its size, its content type, its RFC 9530
 * {@code Content-Digest} (164.312(e)(2)(i)) and, for JSON, its shape. Also notes the digest the client wants on the
 * response.
 */
final class BodyStep implements Step {

  private final RequestLimits limits;
  private final boolean requireDigest;
  private final JsonFactory json;

  BodyStep(RequestLimits limits, boolean requireDigest) {
    this.limits = limits;
    this.requireDigest = requireDigest;
    this.json = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxJsonDepth())
            .maxStringLength(limits.maxJsonStringLength())
            .maxNumberLength(100)
            .build())
        .build();
  }

  @Override
  public Optional<Refused> check(Exchange x) {
    Optional<Refused> refused = read(x);
    if (refused.isEmpty()) {
      try {
        x.wantDigest = DigestFields.preferredAlgorithm(x.request.headers().values("want-content-digest"));
      } catch (IntegrityException e) {
        x.wantDigest = Optional.empty(); // a malformed preference is ignored (RFC 9530 section 4)
      }
    }
    return refused;
  }

  private Optional<Refused> read(Exchange x) {
    Route route = x.match.route();
    HttpFields h = x.request.headers();
    List<String> lengths = h.values("content-length");
    long declared = -1;
    if (!lengths.isEmpty()) {
      try {
        declared = Long.parseLong(lengths.get(0).strip());
      } catch (NumberFormatException e) {
        return Optional.of(Refusals.badContentLength());
      }
      if (declared < 0) {
        return Optional.of(Refusals.badContentLength());
      }
    }
    if (declared <= 0 && h.values("transfer-encoding").isEmpty()) {
      // No content: a Content-Digest still says what the content was, so a body removed in transit is caught.
      return digestMatches(h, x.body) ? Optional.empty() : Optional.of(Refusals.digestMismatch());
    }
    if (route.contentTypes().isEmpty()) {
      return Optional.of(Refusals.noBodyAccepted());
    }
    List<String> types = h.values("content-type");
    String mediaType = types.isEmpty() ? "" : types.get(0).split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!route.contentTypes().contains(mediaType)) {
      return Optional.of(Refusals.contentType(route.contentTypes()));
    }
    if (declared > limits.maxBodyBytes()) {
      return Optional.of(Refusals.bodyTooLarge());
    }
    try {
      byte[] body = readAtMost(x.bodyStream, limits.maxBodyBytes());
      if (body == null) {
        return Optional.of(Refusals.bodyTooLarge());
      }
      x.body = body;
    } catch (IOException e) {
      return Optional.of(Refusals.bodyUnreadable());
    }
    List<String> digest = h.values("content-digest");
    if (digest.isEmpty() && requireDigest) {
      return Optional.of(Refusals.digestMissing());
    }
    if (!digestMatches(h, x.body)) {
      return Optional.of(Refusals.digestMismatch());
    }
    if (route.json() && mediaType.equals("application/json") && !wellFormed(x.body)) {
      return Optional.of(Refusals.malformedJson());
    }
    return Optional.empty();
  }

  /** Whether the {@code Content-Digest}, if any, verifies against {@code body}. */
  private static boolean digestMatches(HttpFields h, byte[] body) {
    List<String> digest = h.values("content-digest");
    if (digest.isEmpty()) {
      return true;
    }
    try {
      DigestFields.parse("Content-Digest", digest).verify(body);
      return true;
    } catch (IntegrityException e) {
      return false;
    }
  }

  private boolean wellFormed(byte[] body) {
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] readAtMost(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (out.size() + n > max) {
        return null;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}
