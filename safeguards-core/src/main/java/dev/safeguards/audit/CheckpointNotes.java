package dev.safeguards.audit;

/** Signs a format-2 log's checkpoints as signed notes, and opens the notes it finds. */
interface CheckpointNotes extends TreeWalk.Notes {

  /** The signed checkpoint over the tree of {@code size} records with root {@code root}. */
  AuditCheckpoint sign(String origin, long size, byte[] root);
}
