package dev.safeguards.audit;

import static dev.safeguards.audit.AuditFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.testing.CapturedLogs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class AuditSinksTest {

  private final AuditEvents events =
      AuditEvents.create(Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneOffset.UTC));

  @Test
  void fanOut_recordsInEverySink() throws Exception {
    RecordingSink a = new RecordingSink();
    RecordingSink b = new RecordingSink();
    AuditSink sink = AuditSinks.fanOut(a, b);
    AuditEvent e = AuditFixtures.read(events, ALICE, 1);

    sink.record(e);
    sink.close();

    assertThat(a.events()).containsExactly(e);
    assertThat(b.events()).containsExactly(e);
    assertThat(a.closed()).isTrue();
    assertThat(b.closed()).isTrue();
  }

  @Test
  void fanOut_oneSinkFails_othersStillRecordAndTheCallFails() {
    RecordingSink failing = new RecordingSink();
    failing.failFromNowOn();
    RecordingSink healthy = new RecordingSink();
    AuditSink sink = AuditSinks.fanOut(failing, healthy);
    AuditEvent e = AuditFixtures.read(events, ALICE, 1);

    assertThatThrownBy(() -> sink.record(e)).isInstanceOf(AuditException.class)
        .hasMessage("an audit sink failed to record the event");
    assertThat(healthy.events()).containsExactly(e);
  }

  @Test
  void fanOut_recordAll_handsTheWholeBatchToEachSink() throws Exception {
    RecordingSink failing = new RecordingSink();
    failing.failFromNowOn();
    RecordingSink healthy = new RecordingSink();
    AuditSink sink = AuditSinks.fanOut(failing, healthy);
    java.util.List<AuditEvent> batch =
        java.util.List.of(AuditFixtures.read(events, ALICE, 1), AuditFixtures.read(events, ALICE, 2));

    assertThatThrownBy(() -> sink.recordAll(batch)).isInstanceOf(AuditException.class)
        .hasMessage("an audit sink failed to record the events");
    assertThat(failing.batches()).containsExactly(2);
    assertThat(healthy.batches()).containsExactly(2);
    assertThat(healthy.events()).containsExactlyElementsOf(batch);
  }

  @Test
  void fanOut_isAvailable_onlyWhileEverySinkIs() throws Exception {
    RecordingSink a = new RecordingSink();
    RecordingSink b = new RecordingSink();
    AuditSink both = AuditSinks.fanOut(a, b);
    both.checkAvailable();

    b.failFromNowOn();

    assertThatThrownBy(both::checkAvailable).isInstanceOf(AuditException.class)
        .hasMessage("an audit sink cannot record now");
    b.recover();
    both.checkAvailable();
  }

  @Test
  void fanOut_noSinks_isRefused() {
    assertThatThrownBy(AuditSinks::fanOut).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void slf4j_writesOneJsonLinePerEventOnTheNamedLogger() throws Exception {
    CapturedLogs.clear();
    AuditSink sink = AuditSinks.slf4j("audit.test");
    AuditEvent e = AuditFixtures.read(events, ALICE, 1);

    sink.record(e);

    assertThat(CapturedLogs.lines()).containsExactly(
        "INFO audit.test: " + new String(AuditJson.encode(e), StandardCharsets.US_ASCII));
  }

  @Test
  void slf4j_loggerNotAtInfo_failsInsteadOfDropping() {
    CapturedLogs.silence("audit.silent");
    try {
      AuditSink sink = AuditSinks.slf4j("audit.silent");

      assertThatThrownBy(() -> sink.record(AuditFixtures.read(events, ALICE, 1)))
          .isInstanceOf(AuditException.class).hasMessageContaining("does not log at INFO");
    } finally {
      CapturedLogs.unsilence("audit.silent");
    }
  }
}
