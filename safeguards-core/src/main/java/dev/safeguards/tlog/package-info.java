/**
 * Transparency-log building blocks, independent of what the log holds: RFC 9162 Merkle tree hashing ({@link
 * dev.safeguards.tlog.Merkle}), inclusion and consistency proofs ({@link dev.safeguards.tlog.Proofs}), the tree's
 * hashes stored as C2SP tlog-tiles ({@link dev.safeguards.tlog.TileWriter}, {@link dev.safeguards.tlog.TileReader}),
 * and C2SP signed notes, checkpoints and witness cosignatures.
 *
 * <p>The audit log ({@code dev.safeguards.audit}) stacks on these: its records are the leaves, its checkpoints are
 * signed notes over the tree, and anchors keep copies of them where the writer's host cannot rewrite them.
 */
package dev.safeguards.tlog;
