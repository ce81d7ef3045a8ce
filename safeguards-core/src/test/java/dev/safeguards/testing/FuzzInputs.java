package dev.safeguards.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the bytes of a fuzz input into what a target takes, the same way in regression and fuzzing mode, so that a
 * seed file reads as what it means: text is UTF-8 (malformed sequences become U+FFFD, so every char a container could
 * hand over is reachable), and a line feed separates the parts of an input (field lines, a pattern and its paths).
 */
public final class FuzzInputs {

  /** Longest exception message a parser may give: a message that echoed its input would grow with it. */
  public static final int MAX_MESSAGE = 300;

  private FuzzInputs() {}

  /** The whole input as UTF-8 text. */
  public static String text(byte[] data) {
    return new String(data, StandardCharsets.UTF_8);
  }

  /** The input as text, one element per line feed; no element for an empty input (an absent field). */
  public static List<String> lines(byte[] data) {
    if (data.length == 0) {
      return List.of();
    }
    return List.of(text(data).split("\n", -1));
  }

  /**
   * The input split at its first {@code n - 1} line feeds into exactly {@code n} parts, missing parts empty, the last
   * part keeping any further line feeds.
   */
  public static List<byte[]> parts(byte[] data, int n) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < n - 1; i++) {
      int lf = indexOf(data, (byte) '\n', start);
      if (lf < 0) {
        out.add(Arrays.copyOfRange(data, start, data.length));
        start = data.length;
      } else {
        out.add(Arrays.copyOfRange(data, start, lf));
        start = lf + 1;
      }
    }
    out.add(Arrays.copyOfRange(data, start, data.length));
    return out;
  }

  private static int indexOf(byte[] data, byte b, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Fails unless {@code e}'s message is short enough that it cannot be echoing a long input. */
  public static void assertBoundedMessage(Throwable e) {
    assertThat(e.getMessage()).as("exception message of %s", e.getClass().getSimpleName()).isNotNull()
        .hasSizeLessThanOrEqualTo(MAX_MESSAGE);
  }
}
