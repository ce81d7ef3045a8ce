package dev.safeguards.spring.boot;

import dev.safeguards.audit.AuditSealing;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyManagementException;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit log's keys the starter keeps in {@code safeguards.keys.directory}, sealed under the master key, created
 * on the first start: the checkpoint signing keyset ({@value #CHECKPOINT}) and, when identities are sealed, the
 * sealing and blind-index keysets ({@value #IDENTITY}, {@value #INDEX}). Their ages are in the compliance report and
 * the health indicator.
 *
 * @param checkpoint the Ed25519 keyset that signs the log's checkpoints
 * @param sealing what seals events' identifying members, if {@code safeguards.audit.seal-identities}
 */
public record AuditLogKeys(ManagedKeyset checkpoint, Optional<AuditSealing> sealing) {

  /** The checkpoint keyset's file name. */
  public static final String CHECKPOINT = "audit-checkpoint.keyset.json";
  /** The identity-sealing keyset's file name. */
  public static final String IDENTITY = "audit-identity.keyset.json";
  /** The blind-index keyset's file name. */
  public static final String INDEX = "audit-index.keyset.json";

  /** Opens the keysets in {@code directory}, creating those that are missing. */
  static AuditLogKeys openOrCreate(Path directory, KeyEncryptionKey kek, boolean sealIdentities, Clock clock)
      throws IOException, KeyManagementException {
    Files.createDirectories(directory);
    ManagedKeyset checkpoint = ManagedKeyset.openOrCreate(directory.resolve(CHECKPOINT),
        KeyPurpose.RECORD_SIGNING_ED25519, kek, clock);
    Optional<AuditSealing> sealing = Optional.empty();
    if (sealIdentities) {
      sealing = Optional.of(AuditSealing.create(
          ManagedKeyset.openOrCreate(directory.resolve(IDENTITY), KeyPurpose.FIELD_ENCRYPTION, kek, clock),
          ManagedKeyset.openOrCreate(directory.resolve(INDEX), KeyPurpose.BLIND_INDEX, kek, clock)));
    }
    return new AuditLogKeys(checkpoint, sealing);
  }

  /**
   * The keys in {@code safeguards.keys.directory}, sealed under the master key of {@code
   * safeguards.keys.master-key-file} or {@code master-key-env}.
   *
   * @throws IllegalStateException naming the property that is missing
   */
  static AuditLogKeys fromProperties(SafeguardsProperties properties, Clock clock)
      throws IOException, KeyManagementException {
    SafeguardsProperties.Keys keys = properties.getKeys();
    if (keys.getDirectory() == null) {
      throw new IllegalStateException("safeguards.keys.directory is required (or declare an AuditSink bean)");
    }
    if (keys.getMasterKeyFile() != null && keys.getMasterKeyEnv() != null) {
      throw new IllegalStateException("set one of safeguards.keys.master-key-file and safeguards.keys.master-key-env");
    }
    KeyEncryptionKey kek;
    if (keys.getMasterKeyFile() != null) {
      kek = KeyEncryptionKey.fromMasterKeyFile(keys.getMasterKeyFile());
    } else if (keys.getMasterKeyEnv() != null) {
      kek = KeyEncryptionKey.fromEnvironment(keys.getMasterKeyEnv());
    } else {
      throw new IllegalStateException("safeguards.keys.master-key-file or safeguards.keys.master-key-env is "
          + "required to seal the keys in safeguards.keys.directory");
    }
    return openOrCreate(keys.getDirectory(), kek, properties.getAudit().isSealIdentities(), clock);
  }

  /**
   * Every keyset, for the key inventory of the compliance report and the health indicator.
   *
   * @return the checkpoint keyset, then the sealing and blind-index keysets when identities are sealed
   */
  public List<ManagedKeyset> all() {
    List<ManagedKeyset> all = new ArrayList<>(List.of(checkpoint));
    sealing.ifPresent(s -> all.addAll(List.of(s.identityKeys(), s.indexKeys())));
    return all;
  }
}
