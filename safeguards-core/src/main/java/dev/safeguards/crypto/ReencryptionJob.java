package dev.safeguards.crypto;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves every encrypted value of one {@link ReencryptionSource} to the primary key of a field-encryption keyset after
 * a rotation, so that the old keys can be retired (164.312(a)(2)(iv)).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Nothing is lost. Each value is decrypted, encrypted under the target key, decrypted again and compared with
 *       the original before the source writes it with a compare-and-set; a value the application changed meanwhile is
 *       left alone and counted. A value that cannot be decrypted is never overwritten: it is reported (position,
 *       context, key id, reason; never the value) and the job goes on.
 *   <li>Stop and resume. After every batch the position and counts are saved to the {@link ReencryptionCheckpoints};
 *       {@link #requestStop()} ends a run after the current record (or, requested before it, the next run before it
 *       touches anything), and a failing source ends it with a
 *       {@link ReencryptionException}. The next run resumes at the checkpoint; records written after it are already
 *       under the target key and are only counted.
 *   <li>Evidence. A pass that reaches the end of the source with no failure and no concurrent change returns a
 *       {@link ReencryptionConfirmation} covering the keys the keyset had, besides the target, when the pass began.
 *       A rotation between runs starts a new pass.
 * </ul>
 *
 * <p>Plaintexts exist only in memory for the time of one value and are overwritten afterwards. One job runs in one
 * thread; {@link #requestStop()} may be called from any thread. Do not rotate the keyset while a job runs: the run
 * stops with a {@link ReencryptionException}, and the next run starts a new pass for the new key.
 */
public final class ReencryptionJob {

  /** How many failures a result lists at most; all are counted and logged. */
  public static final int MAX_REPORTED_FAILURES = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(ReencryptionJob.class);

  private final ManagedKeyset keyset;
  private final FieldCipher cipher;
  private final ReencryptionSource source;
  private final ReencryptionCheckpoints checkpoints;
  private final String sourceName;
  private final int batchSize;
  private final Consumer<ReencryptionProgress> listener;
  private volatile boolean stopRequested;

  private ReencryptionJob(Builder b) {
    this.keyset = b.keyset;
    this.cipher = FieldCipher.create(b.keyset);
    this.source = b.source;
    this.checkpoints = b.checkpoints;
    this.sourceName = b.sourceName;
    this.batchSize = b.batchSize;
    this.listener = b.listener;
  }

  /**
   * Starts configuring a job.
   *
   * @param keyset the {@link KeyPurpose#FIELD_ENCRYPTION} keyset the source's values are encrypted with
   * @param source the application's view of one table
   * @param checkpoints where the job keeps its position
   * @return a builder with the default batch size, source name {@code source} and no progress listener
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the keyset is not a field-encryption keyset
   */
  public static Builder builder(ManagedKeyset keyset, ReencryptionSource source, ReencryptionCheckpoints checkpoints) {
    return new Builder(keyset, source, checkpoints);
  }

  /**
   * Asks {@link #run()} to stop after the current record; safe from any thread. A stop requested while no run is going
   * (before the first, or between two) is kept: the next run then returns at once, stopped, having touched nothing.
   * Each stop request ends one run.
   */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Runs the pass from its checkpoint (or from the start) until the end of the source or a stop request. If a stop
   * was requested before this call, it returns at once, stopped, without fetching or writing anything and with the
   * checkpoint as it was. A run consumes the stop request, whichever way it ends.
   *
   * @return the outcome: complete (the checkpoint is then cleared), or stopped on request (the checkpoint holds the
   *     record where it stopped, or is unchanged if the run stopped before it began); with a confirmation only when
   *     the whole pass was clean
   * @throws ReencryptionException if the source or the checkpoint store fails, or the keyset's primary key changes
   *     during the run; the checkpoint then holds the last complete batch
   * @throws IllegalStateException if a re-encrypted value does not decrypt to the original; nothing of that record is
   *     written
   */
  public ReencryptionResult run() throws ReencryptionException {
    try {
      return runPass();
    } finally {
      stopRequested = false;
    }
  }

  private ReencryptionResult runPass() throws ReencryptionException {
    KeyId target = keyset.primaryKeyId();
    Pass pass = start(target);
    if (stopRequested) {
      LOG.info("re-encryption of {} stopped on request before it began", sourceName);
      return new ReencryptionResult(pass.progress, false, true, List.of(), Optional.empty());
    }
    List<ReencryptionFailure> failures = new ArrayList<>();
    while (true) {
      List<EncryptedRecord> batch = fetch(pass.progress.lastPosition());
      if (batch.isEmpty()) {
        return finish(pass, failures);
      }
      for (EncryptedRecord record : batch) {
        pass.progress = process(record, target, pass.progress, failures);
        if (stopRequested) {
          break;
        }
      }
      save(pass);
      listener.accept(pass.progress);
      if (stopRequested) {
        LOG.info("re-encryption of {} stopped on request after {} records", sourceName, pass.progress.recordsScanned());
        return new ReencryptionResult(pass.progress, false, true, failures, Optional.empty());
      }
    }
  }

  /** Mutable state of one pass: its checkpoint data. */
  private static final class Pass {
    final KeyId target;
    final Set<KeyId> retiring;
    ReencryptionProgress progress;

    Pass(KeyId target, Set<KeyId> retiring, ReencryptionProgress progress) {
      this.target = target;
      this.retiring = retiring;
      this.progress = progress;
    }
  }

  private Pass start(KeyId target) throws ReencryptionException {
    Optional<ReencryptionCheckpoint> saved;
    try {
      saved = checkpoints.load();
    } catch (IOException e) {
      throw new ReencryptionException("re-encryption of " + sourceName + " cannot read its checkpoint: "
          + e.getMessage(), e);
    }
    if (saved.isPresent() && saved.get().targetKeyId().equals(target)) {
      ReencryptionCheckpoint c = saved.get();
      LOG.info("re-encryption of {} to key {} resumes after {} records", sourceName, target,
          c.progress().recordsScanned());
      return new Pass(target, c.retiringKeyIds(), c.progress());
    }
    if (saved.isPresent()) {
      LOG.info("re-encryption of {}: the primary key is now {}, not {}; starting a new pass", sourceName, target,
          saved.get().targetKeyId());
    }
    Set<KeyId> retiring = new HashSet<>();
    for (KeyInfo key : keyset.inventory()) {
      if (!key.keyId().equals(target) && key.status() != KeyStatus.DESTROYED) {
        retiring.add(key.keyId());
      }
    }
    LOG.info("re-encryption of {} to key {} starts; retiring keys {}", sourceName, target, retiring);
    return new Pass(target, retiring, ReencryptionProgress.START);
  }

  private List<EncryptedRecord> fetch(Optional<String> after) throws ReencryptionException {
    List<EncryptedRecord> batch;
    try {
      batch = source.fetch(after, batchSize);
    } catch (Exception e) {
      throw new ReencryptionException("re-encryption of " + sourceName + " stopped after position "
          + after.orElse("(start)") + ": the source failed to fetch (" + e.getClass().getSimpleName() + ")", e);
    }
    Objects.requireNonNull(batch, "the source returned null instead of a batch");
    if (batch.size() > batchSize) {
      throw new ReencryptionException("the source " + sourceName + " returned more records than asked for");
    }
    Set<String> positions = new HashSet<>();
    for (EncryptedRecord r : batch) {
      if (!positions.add(r.position()) || after.filter(r.position()::equals).isPresent()) {
        throw new ReencryptionException("the source " + sourceName + " returned position " + r.position()
            + " twice: fetch must return records strictly after the position given");
      }
    }
    return batch;
  }

  private ReencryptionProgress process(EncryptedRecord record, KeyId target, ReencryptionProgress p,
      List<ReencryptionFailure> failures) throws ReencryptionException {
    long current = 0;
    long failed = 0;
    Map<String, String> replacements = new LinkedHashMap<>();
    for (Map.Entry<String, String> field : record.fields().entrySet()) {
      FieldContext context = record.context(field.getKey());
      Optional<KeyId> keyId = Optional.empty();
      try {
        keyId = Optional.of(cipher.keyIdOf(field.getValue()));
        if (keyId.get().equals(target)) {
          current++;
          continue;
        }
        replacements.put(field.getKey(), reencrypt(field.getValue(), context, target));
      } catch (DecryptionException e) {
        failed++;
        String reason = e instanceof MalformedCiphertextException ? "malformed"
            : e instanceof UnknownKeyException ? "unknown key" : "failed authentication";
        ReencryptionFailure failure = new ReencryptionFailure(record.position(), context, keyId,
            reason + ": " + e.getMessage());
        LOG.warn("re-encryption of {} leaves {} at position {} untouched: {}", sourceName, context,
            record.position(), failure.reason());
        if (failures.size() < MAX_REPORTED_FAILURES) {
          failures.add(failure);
        }
      }
    }
    long reencrypted = 0;
    long changed = 0;
    if (!replacements.isEmpty()) {
      boolean written;
      try {
        written = source.replace(record, replacements);
      } catch (Exception e) {
        throw new ReencryptionException("re-encryption of " + sourceName + " stopped at position "
            + record.position() + ": the source failed to write (" + e.getClass().getSimpleName() + ")", e);
      }
      if (written) {
        reencrypted = replacements.size();
      } else {
        changed = replacements.size();
        LOG.info("re-encryption of {}: the record at position {} changed meanwhile; left for the next pass",
            sourceName, record.position());
      }
    }
    return new ReencryptionProgress(p.recordsScanned() + 1, p.valuesReencrypted() + reencrypted,
        p.valuesAlreadyCurrent() + current, p.valuesChangedConcurrently() + changed, p.valuesFailed() + failed,
        Optional.of(record.position()));
  }

  /** Decrypts, re-encrypts under the target key, and proves the new ciphertext decrypts to the same bytes. */
  private String reencrypt(String ciphertext, FieldContext context, KeyId target)
      throws DecryptionException, ReencryptionException {
    byte[] plaintext = cipher.decryptBytes(ciphertext, context);
    byte[] check = null;
    try {
      String fresh = cipher.encrypt(plaintext, context);
      if (!cipher.keyIdOf(fresh).equals(target)) {
        throw new ReencryptionException("re-encryption of " + sourceName + " stopped: the primary key changed from "
            + target + " to " + cipher.primaryKeyId() + " during the run; run the job again");
      }
      check = cipher.decryptBytes(fresh, context);
      if (!MessageDigest.isEqual(plaintext, check)) {
        throw new IllegalStateException("a re-encrypted value of " + context + " did not decrypt to the original");
      }
      return fresh;
    } finally {
      Arrays.fill(plaintext, (byte) 0);
      if (check != null) {
        Arrays.fill(check, (byte) 0);
      }
    }
  }

  private void save(Pass pass) throws ReencryptionException {
    try {
      checkpoints.save(new ReencryptionCheckpoint(pass.target, pass.retiring, pass.progress));
    } catch (IOException e) {
      throw new ReencryptionException("re-encryption of " + sourceName + " cannot save its checkpoint: "
          + e.getClass().getSimpleName(), e);
    }
  }

  private ReencryptionResult finish(Pass pass, List<ReencryptionFailure> failures) throws ReencryptionException {
    ReencryptionProgress p = pass.progress;
    try {
      checkpoints.clear();
    } catch (IOException e) {
      throw new ReencryptionException("re-encryption of " + sourceName + " cannot clear its checkpoint: "
          + e.getClass().getSimpleName(), e);
    }
    listener.accept(p);
    boolean clean = p.valuesFailed() == 0 && p.valuesChangedConcurrently() == 0;
    LOG.info("re-encryption of {} to key {} complete: {} records, {} values re-encrypted, {} already current, "
            + "{} changed concurrently, {} failed", sourceName, pass.target, p.recordsScanned(), p.valuesReencrypted(),
        p.valuesAlreadyCurrent(), p.valuesChangedConcurrently(), p.valuesFailed());
    Optional<ReencryptionConfirmation> confirmation = clean
        ? Optional.of(new ReencryptionConfirmation(KeyPurpose.FIELD_ENCRYPTION, pass.retiring,
            "re-encryption job over " + sourceName))
        : Optional.empty();
    return new ReencryptionResult(p, true, false, failures, confirmation);
  }

  /** Configures a {@link ReencryptionJob}. */
  public static final class Builder {
    /** The default number of records fetched at once. */
    public static final int DEFAULT_BATCH_SIZE = 500;

    private final ManagedKeyset keyset;
    private final ReencryptionSource source;
    private final ReencryptionCheckpoints checkpoints;
    private String sourceName = "source";
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Consumer<ReencryptionProgress> listener = progress -> { };

    private Builder(ManagedKeyset keyset, ReencryptionSource source, ReencryptionCheckpoints checkpoints) {
      this.keyset = Objects.requireNonNull(keyset, "keyset");
      if (keyset.purpose() != KeyPurpose.FIELD_ENCRYPTION) {
        throw new IllegalArgumentException("a ReencryptionJob needs a field-encryption keyset, not "
            + keyset.purpose());
      }
      this.source = Objects.requireNonNull(source, "source");
      this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    }

    /**
     * A name for the source (e.g. the table), used in logs, exceptions and the confirmation.
     *
     * @param sourceName the name; not blank, and never PHI
     * @return this builder
     * @throws NullPointerException if {@code sourceName} is null
     * @throws IllegalArgumentException if it is blank
     */
    public Builder sourceName(String sourceName) {
      Objects.requireNonNull(sourceName, "sourceName");
      if (sourceName.isBlank()) {
        throw new IllegalArgumentException("sourceName must not be blank");
      }
      this.sourceName = sourceName;
      return this;
    }

    /**
     * How many records to fetch, process and checkpoint at once (default {@value #DEFAULT_BATCH_SIZE}).
     *
     * @param batchSize the records per batch: the {@code limit} passed to {@link ReencryptionSource#fetch}
     * @return this builder
     * @throws IllegalArgumentException unless 1 &lt;= batchSize &lt;= 10000
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1 || batchSize > 10_000) {
        throw new IllegalArgumentException("batchSize must be 1 to 10000");
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Called with the pass's progress after every batch, on the job's thread.
     *
     * @param listener receives the progress after each batch's checkpoint is saved, and once more when the pass
     *     completes; an exception it throws propagates from {@link ReencryptionJob#run()}; not null
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder progressListener(Consumer<ReencryptionProgress> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the job.
     *
     * @return a new job; run one job per source at a time
     */
    public ReencryptionJob build() {
      return new ReencryptionJob(this);
    }
  }
}
