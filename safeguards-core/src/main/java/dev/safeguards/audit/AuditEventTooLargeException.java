package dev.safeguards.audit;

/**
 * One event of a batch can never be recorded by the sink that refused it: written, its record would be longer than a
 * record may be. Nothing of the batch was written, and every other event of it can be handed over again; a queue in
 * front of the sink ({@link AsyncAuditSink}) so delivers the rest instead of holding the whole batch forever.
 */
public final class AuditEventTooLargeException extends AuditException {

  private static final long serialVersionUID = 1L;

  /** The position of the event in the batch handed over. */
  private final int index;

  /**
   * An exception for the event at {@code index} of the batch, whose record would take {@code bytes} bytes.
   *
   * @param index the event's position in the batch handed over (0 for a single event)
   * @param bytes how long its record would be
   */
  public AuditEventTooLargeException(int index, int bytes) {
    super("an audit event of " + bytes + " bytes is longer than a record may be");
    this.index = index;
  }

  /**
   * Where the event is in the batch that was handed over.
   *
   * @return its position, from 0
   */
  public int index() {
    return index;
  }
}
