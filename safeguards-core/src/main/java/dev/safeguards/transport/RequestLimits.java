package dev.safeguards.transport;

/**
 * Size limits checked before anything else reads a request (164.312(c)(1), (e)(1)): the request header block (431),
 * the bearer token (431), and the body (413); and the limits a JSON body must respect (400): nesting depth, string
 * length, and numbers of at most 100 digits (fixed).
 *
 * @param maxHeaderBytes the most bytes all header fields may take together (names, values, and 4 bytes per field,
 *     counted one per character as the container decoded them); at least 1
 * @param maxTokenBytes the longest bearer token, in characters; at least 1
 * @param maxBodyBytes the longest body, in bytes; 0 refuses every non-empty body
 * @param maxJsonDepth the deepest nesting of a JSON body; at least 1
 * @param maxJsonStringLength the longest string in a JSON body, in characters; at least 1
 */
public record RequestLimits(int maxHeaderBytes, int maxTokenBytes, int maxBodyBytes, int maxJsonDepth,
    int maxJsonStringLength) {

  /** 16 KiB of headers, an 8 KiB token, a 1 MiB body, JSON nested 32 deep with strings up to 64 KiB. */
  public static final RequestLimits DEFAULTS = new RequestLimits(16 * 1024, 8 * 1024, 1 << 20, 32, 64 * 1024);

  /**
   * Checks every limit.
   *
   * @param maxHeaderBytes the most bytes of all header fields together; at least 1
   * @param maxTokenBytes the longest bearer token; at least 1
   * @param maxBodyBytes the longest body; at least 0
   * @param maxJsonDepth the deepest JSON nesting; at least 1
   * @param maxJsonStringLength the longest JSON string; at least 1
   * @throws IllegalArgumentException if a limit is below its minimum (every limit but {@code maxBodyBytes} must be
   *     positive)
   */
  public RequestLimits {
    if (maxHeaderBytes < 1 || maxTokenBytes < 1 || maxBodyBytes < 0 || maxJsonDepth < 1 || maxJsonStringLength < 1) {
      throw new IllegalArgumentException("request limits must be positive");
    }
  }
}
