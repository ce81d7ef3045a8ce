package dev.safeguards.http;

import java.util.List;

/**
 * The header fields of an HTTP message as Safeguards sees them, whatever container carries the message.
 *
 * <p>Implementations are read-only views; adapters supply them over their container's request and response.
 */
public interface HttpMessageView {

  /**
   * The values of every field line named {@code name}, compared case-insensitively, in the order they appear in the
   * message; empty when the field is absent. Values are as received, without the field name.
   *
   * @param name the field name, in any case
   * @return the values, never null
   */
  List<String> fieldValues(String name);
}
