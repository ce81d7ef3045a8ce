package dev.safeguards.transport;

/**
 * Size limits checked before anything else reads a request (164.312(c)(1), (e)(1)): the request header block (431),
 * the bearer token (431), and the body (413); and the limits a JSON body must respect (400): nesting depth, string
 * length, number length.
 *
 * @param maxHeaderBytes the most bytes all header fields may take together (names, values, and 4 bytes per field)
 * @param maxTokenBytes the longest bearer token
 * @param maxBodyBytes the longest body
 * @param maxJsonDepth the deepest nesting of a JSON body
 * @param maxJsonStringLength the longest string in a JSON body
 */
public record RequestLimits(int maxHeaderBytes, int maxTokenBytes, int maxBodyBytes, int maxJsonDepth,
    int maxJsonStringLength) {

  /** 16 KiB of headers, an 8 KiB token, a 1 MiB body, JSON nested 32 deep with strings up to 64 KiB. */
  public static final RequestLimits DEFAULTS = new RequestLimits(16 * 1024, 8 * 1024, 1 << 20, 32, 64 * 1024);

  /**
   * Checks every limit.
   *
   * @throws IllegalArgumentException if a limit is not positive
   */
  public RequestLimits {
    if (maxHeaderBytes < 1 || maxTokenBytes < 1 || maxBodyBytes < 0 || maxJsonDepth < 1 || maxJsonStringLength < 1) {
      throw new IllegalArgumentException("request limits must be positive");
    }
  }
}
