package dev.safeguards.http;

import java.nio.charset.StandardCharsets;

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

  /** The body: {@code {"type":"about:blank","title":..,"status":..,"detail":..}}. */
  public byte[] body() {
    return ("{\"type\":\"about:blank\",\"title\":\"" + escape(title) + "\",\"status\":" + status + ",\"detail\":\""
        + escape(detail) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
