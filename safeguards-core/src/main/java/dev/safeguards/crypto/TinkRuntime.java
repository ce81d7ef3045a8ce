package dev.safeguards.crypto;

import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.config.TinkConfig2026;
import com.google.crypto.tink.mac.HmacParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.signature.EcdsaParameters;
import com.google.crypto.tink.signature.Ed25519Parameters;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import java.security.GeneralSecurityException;

/**
 * The one Tink configuration the library uses: {@link TinkConfig2026}, a fixed set of vetted key types and
 * implementations. Key generation, keyset parsing and primitives all go through it rather than through Tink's global
 * registry, so nothing another library registers globally can change how our data is encrypted.
 */
final class TinkRuntime {

  private static final Configuration CONFIG = TinkConfig2026.get();

  // Signing keys carry no Tink output prefix: a record signature names its key id itself, so that any Ed25519 or
  // ECDSA implementation can verify it.
  private static final Parameters ED25519 = Ed25519Parameters.create(Ed25519Parameters.Variant.NO_PREFIX);
  private static final Parameters ECDSA_P256;
  private static final Parameters HMAC_SHA256;

  static {
    try {
      ECDSA_P256 = EcdsaParameters.builder()
          .setCurveType(EcdsaParameters.CurveType.NIST_P256)
          .setHashType(EcdsaParameters.HashType.SHA256)
          .setSignatureEncoding(EcdsaParameters.SignatureEncoding.IEEE_P1363)
          .setVariant(EcdsaParameters.Variant.NO_PREFIX)
          .build();
      HMAC_SHA256 = HmacParameters.builder()
          .setKeySizeBytes(32)
          .setTagSizeBytes(32)
          .setHashType(HmacParameters.HashType.SHA256)
          .setVariant(HmacParameters.Variant.NO_PREFIX)
          .build();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

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
      case RECORD_SIGNING_ED25519, TOKEN_SIGNING_ED25519 -> ED25519;
      case RECORD_SIGNING_P256, TOKEN_SIGNING_P256 -> ECDSA_P256;
      case RECORD_MAC -> HMAC_SHA256;
    };
  }
}
