package dev.safeguards.crypto;

import com.google.crypto.tink.prf.Prf;
import com.google.crypto.tink.prf.PrfSet;
import dev.safeguards.internal.LengthPrefixed;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@link BlindIndex} over a Tink HMAC_SHA256_PRF keyset. */
final class PrfBlindIndex implements BlindIndex {

  static final String DOMAIN = "safeguards/blind-index/v1";

  private final ManagedKeyset keyset;
  private final String entityType;
  private final String fieldName;
  private final Normalizer normalizer;
  private final int bytes;
  /** The encoded domain, entity type and field name: the same for every value of this index. */
  private final byte[] context;

  PrfBlindIndex(ManagedKeyset keyset, String entityType, String fieldName, Normalizer normalizer, int bytes) {
    this.keyset = keyset;
    this.entityType = entityType;
    this.fieldName = fieldName;
    this.normalizer = normalizer;
    this.bytes = bytes;
    this.context = LengthPrefixed.encode(DOMAIN, entityType, fieldName);
  }

  @Override
  public String token(String value) {
    byte[] input = input(value);
    PrfSet prfs = prfs(keyset.snapshot());
    try {
      return token(new KeyId(prfs.getPrimaryId()), prfs.computePrimary(input, bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 failed for the " + entityType + "." + fieldName + " index", e);
    }
  }

  @Override
  public List<String> searchTokens(String value) {
    byte[] input = input(value);
    ManagedKeyset.Snapshot snapshot = keyset.snapshot();
    PrfSet prfs = prfs(snapshot);
    try {
      Map<Integer, Prf> all = prfs.getPrfs();
      List<String> tokens = new ArrayList<>(all.size());
      tokens.add(token(new KeyId(prfs.getPrimaryId()), prfs.computePrimary(input, bytes)));
      for (Map.Entry<Integer, Prf> e : all.entrySet()) {
        if (e.getKey() != prfs.getPrimaryId()) {
          tokens.add(token(new KeyId(e.getKey()), e.getValue().compute(input, bytes)));
        }
      }
      return List.copyOf(tokens);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 failed for the " + entityType + "." + fieldName + " index", e);
    }
  }

  private byte[] input(String value) {
    String normalized = normalizer.normalize(Objects.requireNonNull(value, "value"));
    if (normalized == null || normalized.isEmpty()) {
      throw new IllegalArgumentException("the value for the " + entityType + "." + fieldName
          + " index is empty after normalization");
    }
    return LengthPrefixed.append(context, normalized); // = encode(DOMAIN, entityType, fieldName, normalized)
  }

  private static String token(KeyId keyId, byte[] mac) {
    return PREFIX + keyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
  }

  /** Tink's PrfSet holds every enabled key; disabled keys are left out by Tink itself. */
  private static PrfSet prfs(ManagedKeyset.Snapshot snapshot) {
    return snapshot.cached(PrfSet.class, s -> {
      try {
        return s.handle().getPrimitive(TinkRuntime.config(), PrfSet.class);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot build HMAC-SHA256 from the blind-index keyset", e);
      }
    });
  }
}
