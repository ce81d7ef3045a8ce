package dev.safeguards.crypto;

import java.util.Locale;

/**
 * The life-cycle state of one key in a keyset (164.312(a)(2)(iv)).
 *
 * <ul>
 *   <li>{@link #ENABLED}: decrypts; the primary key (always enabled) also encrypts.
 *   <li>{@link #DISABLED}: kept, but neither encrypts nor decrypts; it can be enabled again.
 *   <li>{@link #DESTROYED}: its material is gone for good; only its inventory entry remains.
 * </ul>
 */
public enum KeyStatus {
  /** Decrypts and verifies; the primary key, always enabled, also encrypts and signs. */
  ENABLED,
  /** Kept in the keyset but unusable until it is enabled again. */
  DISABLED,
  /** Its material is erased; only its inventory entry remains. */
  DESTROYED;

  /** The lower-case name used in keyset files. */
  String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static KeyStatus fromFileName(String name) {
    for (KeyStatus s : values()) {
      if (s.fileName().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown key status");
  }
}
