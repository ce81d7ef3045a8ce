package dev.safeguards.integrity;

import dev.safeguards.http.HttpMessageView;
import dev.safeguards.http.HttpRequestView;
import dev.safeguards.http.HttpResponseView;
import dev.safeguards.integrity.IntegrityException.Reason;
import dev.safeguards.integrity.internal.StructuredFields;
import dev.safeguards.integrity.internal.StructuredFields.InnerList;
import dev.safeguards.integrity.internal.StructuredFields.Member;
import dev.safeguards.integrity.internal.StructuredFields.SfBytes;
import dev.safeguards.integrity.internal.StructuredFields.StructuredFieldException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the RFC 9421 signature base (section 2.5) of a message: one line per covered component, then the
 * {@code @signature-params} line. Every value must be printable ASCII without line breaks, so no value can forge a
 * line of the base.
 */
final class SignatureBase {

  /** Structured types of the fields that {@code ;sf} may re-serialize without a {@code ;key}. */
  private enum Type { DICTIONARY, LIST }

  private static final Map<String, Type> KNOWN_STRUCTURED_FIELDS = Map.ofEntries(
      Map.entry("content-digest", Type.DICTIONARY),
      Map.entry("repr-digest", Type.DICTIONARY),
      Map.entry("want-content-digest", Type.DICTIONARY),
      Map.entry("want-repr-digest", Type.DICTIONARY),
      Map.entry("signature", Type.DICTIONARY),
      Map.entry("signature-input", Type.DICTIONARY),
      Map.entry("priority", Type.DICTIONARY),
      Map.entry("cache-status", Type.LIST),
      Map.entry("proxy-status", Type.LIST),
      Map.entry("accept-ch", Type.LIST));

  private SignatureBase() {}

  /**
   * The signature base of {@code message}.
   *
   * @param message the signed request or response
   * @param request for a response, the request it answers (for {@code ;req} components); otherwise null
   * @param components the covered components, in order
   * @param signatureParams the signature's inner list: the components' identifiers and the signature parameters
   */
  static byte[] build(HttpMessageView message, HttpRequestView request, List<SignatureComponent> components,
      InnerList signatureParams) throws IntegrityException {
    StringBuilder base = new StringBuilder();
    Set<SignatureComponent> seen = new HashSet<>();
    for (SignatureComponent c : components) {
      if (!seen.add(c)) {
        throw new IntegrityException(Reason.MALFORMED, "the component " + c + " is covered twice");
      }
      String value = value(c, message, request);
      requirePrintable(value, c);
      base.append(c).append(": ").append(value).append('\n');
    }
    base.append("\"@signature-params\": ").append(StructuredFields.serializeInnerList(signatureParams));
    return base.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static String value(SignatureComponent c, HttpMessageView message, HttpRequestView request)
      throws IntegrityException {
    HttpMessageView target = message;
    if (c.flag("req")) {
      if (message instanceof HttpRequestView) {
        throw new IntegrityException(Reason.MALFORMED, "the component " + c + " uses ;req on a request");
      }
      if (request == null) {
        throw new IntegrityException(Reason.MISSING, "the component " + c + " needs the request the response answers");
      }
      target = request;
    }
    return c.isDerived() ? derived(c, target) : field(c, target);
  }

  private static String derived(SignatureComponent c, HttpMessageView target) throws IntegrityException {
    if (c.name().equals("@status")) {
      if (!(target instanceof HttpResponseView response)) {
        throw new IntegrityException(Reason.MALFORMED, "@status belongs to responses");
      }
      return String.format(Locale.ROOT, "%03d", response.status());
    }
    if (!(target instanceof HttpRequestView request)) {
      throw new IntegrityException(Reason.MALFORMED, c.name() + " belongs to requests (use ;req on a response)");
    }
    URI uri = request.targetUri();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery();
    return switch (c.name()) {
      case "@method" -> request.method();
      case "@target-uri" -> uri.toASCIIString();
      case "@authority" -> authority(uri);
      case "@scheme" -> uri.getScheme().toLowerCase(Locale.ROOT);
      case "@request-target" -> query == null ? path : path + "?" + query;
      case "@path" -> path;
      case "@query" -> "?" + (query == null ? "" : query);
      case "@query-param" -> queryParam(query, c.stringParam("name").orElseThrow(), c);
      default -> throw new IntegrityException(Reason.MALFORMED, "unknown derived component " + c.name());
    };
  }

  static String authority(URI uri) {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
    return defaultPort ? host : host + ":" + port;
  }

  /**
   * RFC 9421 section 2.2.8: the query is parsed as application/x-www-form-urlencoded, and each name and value is
   * re-encoded with the percent-encoding of that format (space as {@code %20}); exactly one parameter may carry the
   * name.
   */
  private static String queryParam(String rawQuery, String name, SignatureComponent c) throws IntegrityException {
    List<String> values = new ArrayList<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&", -1)) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String n = pair.substring(0, eq < 0 ? pair.length() : eq);
        String v = eq < 0 ? "" : pair.substring(eq + 1);
        if (encode(decode(n)).equals(name)) {
          values.add(encode(decode(v)));
        }
      }
    }
    if (values.size() != 1) {
      throw new IntegrityException(values.isEmpty() ? Reason.MISSING : Reason.MALFORMED,
          "the query parameter of " + c + " appears " + values.size() + " times; exactly once is required");
    }
    return values.get(0);
  }

  private static byte[] decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '+') {
        out.write(' ');
      } else if (b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
        out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
        i += 2;
      } else {
        out.write(b);
      }
    }
    return out.toByteArray();
  }

  private static String encode(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' || c == '-'
          || c == '.' || c == '_') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }

  private static String field(SignatureComponent c, HttpMessageView target) throws IntegrityException {
    List<String> lines = target.fieldValues(c.name());
    if (lines.isEmpty()) {
      throw new IntegrityException(Reason.MISSING, "the covered field " + SignatureComponent.shorten(c.name())
          + " is absent");
    }
    if (c.flag("bs")) {
      List<String> wrapped = new ArrayList<>();
      for (String line : lines) {
        wrapped.add(StructuredFields.serializeBareItem(new SfBytes(trim(line).getBytes(StandardCharsets.ISO_8859_1))));
      }
      return String.join(", ", wrapped);
    }
    List<String> trimmed = new ArrayList<>();
    lines.forEach(l -> trimmed.add(trim(l)));
    if (c.stringParam("key").isPresent()) {
      String key = c.stringParam("key").get();
      Member member = parseDictionary(c, trimmed).get(key);
      if (member == null) {
        throw new IntegrityException(Reason.MISSING, "the covered dictionary member " + c + " is absent");
      }
      return member instanceof InnerList list ? StructuredFields.serializeInnerList(list)
          : StructuredFields.serializeItem((StructuredFields.Item) member);
    }
    if (c.flag("sf")) {
      Type type = KNOWN_STRUCTURED_FIELDS.get(c.name());
      if (type == null) {
        throw new IntegrityException(Reason.MALFORMED, "the structured type of " + c + " is not known");
      }
      try {
        return type == Type.DICTIONARY ? StructuredFields.serializeDictionary(parseDictionary(c, trimmed))
            : StructuredFields.serializeList(StructuredFields.parseList(trimmed));
      } catch (StructuredFieldException e) {
        throw new IntegrityException(Reason.MALFORMED, "the covered field " + c + " is not a valid structured field");
      }
    }
    return String.join(", ", trimmed);
  }

  private static Map<String, Member> parseDictionary(SignatureComponent c, List<String> lines)
      throws IntegrityException {
    try {
      return StructuredFields.parseDictionary(lines);
    } catch (StructuredFieldException e) {
      throw new IntegrityException(Reason.MALFORMED, "the covered field " + c + " is not a valid dictionary");
    }
  }

  private static String trim(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
      end--;
    }
    return value.substring(start, end);
  }

  private static void requirePrintable(String value, SignatureComponent c) throws IntegrityException {
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if ((ch < 0x20 && ch != '\t') || ch > 0x7e) {
        throw new IntegrityException(Reason.MALFORMED, "the value of " + c
            + " has a character that cannot enter a signature base (cover the field with ;bs)");
      }
    }
  }
}
