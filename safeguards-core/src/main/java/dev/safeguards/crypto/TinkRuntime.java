package dev.safeguards.crypto;

import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.config.TinkConfig2026;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;

/**
 * The one Tink configuration the library uses: {@link TinkConfig2026}, a fixed set of vetted key types and
 * implementations. Key generation, keyset parsing and primitives all go through it rather than through Tink's global
 * registry, so nothing another library registers globally can change how our data is encrypted.
 */
final class TinkRuntime {

  private static final Configuration CONFIG = TinkConfig2026.get();

  private TinkRuntime() {}

  /** The configuration every key, keyset and primitive is made with. */
  static Configuration config() {
    return CONFIG;
  }

  /** A keyset builder bound to {@link #config()}. */
  static KeysetHandle.Builder newBuilder() {
    return KeysetHandle.newBuilder().setConfiguration(CONFIG);
  }

  /** A builder that starts from {@code handle}, bound to {@link #config()}. */
  static KeysetHandle.Builder newBuilder(KeysetHandle handle) {
    return KeysetHandle.newBuilder(handle).setConfiguration(CONFIG);
  }

  /** The one set of key parameters every key of {@code purpose} has. */
  static Parameters parameters(KeyPurpose purpose) {
    return switch (purpose) {
      case FIELD_ENCRYPTION -> PredefinedAeadParameters.AES256_GCM;
      case BLIND_INDEX -> PredefinedPrfParameters.HMAC_SHA256_PRF;
      case STREAMING_ENCRYPTION -> PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB;
    };
  }
}
