package dev.safeguards.crypto;

import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.ConfigurationV0;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.security.GeneralSecurityException;

/**
 * Tink's key managers, registered once. Key generation and keyset parsing still go through Tink's registry; primitives
 * are always built from {@link ConfigurationV0}, Tink's fixed set of vetted implementations, so that nothing another
 * library registers globally can change how our data is encrypted.
 */
final class TinkRuntime {

  private static final Configuration PRIMITIVES;

  static {
    try {
      AeadConfig.register();
      PrfConfig.register();
      StreamingAeadConfig.register();
      PRIMITIVES = ConfigurationV0.get();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private TinkRuntime() {}

  /** The one set of key parameters every key of {@code purpose} has. */
  static Parameters parameters(KeyPurpose purpose) {
    return switch (purpose) {
      case FIELD_ENCRYPTION -> PredefinedAeadParameters.AES256_GCM;
      case BLIND_INDEX -> PredefinedPrfParameters.HMAC_SHA256_PRF;
      case STREAMING_ENCRYPTION -> PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB;
    };
  }

  /** The configuration every primitive is built from; calling this ensures the key managers are registered. */
  static Configuration primitives() {
    return PRIMITIVES;
  }
}
