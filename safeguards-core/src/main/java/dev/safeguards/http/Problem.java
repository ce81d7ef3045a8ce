package dev.safeguards.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An RFC 9457 problem body, {@code application/problem+json}, with a fixed title and detail per kind of refusal: it
 * never carries internals, exception text, tokens or PHI.
 *
 * @param status the HTTP status
 * @param title the status's short name, e.g. {@code Forbidden}
 * @param detail a fixed sentence saying what the client can do
 */
public record Problem(int status, String title, String detail) {

  /** The media type. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /**
   * The problem for an error status an application or framework set without a body of the gate's (the servlet's
   * {@code sendError}): the status's reason phrase as title, and a fixed detail that says nothing of the cause.
   *
   * @param status the HTTP status; one without a known reason phrase is titled {@code Client Error} below 500 and
   *     {@code Internal Server Error} from 500
   * @return the problem, never null
   */
  public static Problem ofStatus(int status) {
    String title = switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 412 -> "Precondition Failed";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> status < 500 ? "Client Error" : "Internal Server Error";
    };
    return new Problem(status, title, "The request could not be completed.");
  }

  /**
   * The body: {@code {"type":"about:blank","title":..,"status":..,"detail":..}}.
   *
   * @return a new array each call, valid JSON (RFC 8259) in UTF-8 whatever the title and detail hold: {@code "} and
   *     {@code \} are escaped, as is every control character U+0000 to U+001F (with {@code \b}, {@code \f},
   *     {@code \n}, {@code \r}, {@code \t} where JSON has them, <code>&#92;u00xx</code> otherwise), and U+2028 and
   *     U+2029 as <code>&#92;u2028</code> and <code>&#92;u2029</code> for parsers that take JSON for JavaScript
   */
  public byte[] body() {
    return ("{\"type\":\"about:blank\",\"title\":\"" + escape(title) + "\",\"status\":" + status + ",\"detail\":\""
        + escape(detail) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
