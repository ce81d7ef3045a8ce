package dev.safeguards.integrity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a test vector file and undoes RFC 8792 single-backslash line folding. */
final class Rfc8792 {

  private Rfc8792() {}

  /** The resource's text with every {@code \<LF>} plus the next line's leading white space removed. */
  static String unfolded(String resource) throws IOException {
    try (InputStream in = Rfc8792.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\\\\n[ \t]*", "");
    }
  }
}
