package dev.safeguards.tlog;

import dev.safeguards.internal.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Grows a Merkle tree leaf by leaf and stores its hashes as C2SP tlog-tiles under a directory, so that any proof
 * reads a few files and the directory can be served as static files.
 *
 * <p>{@link #append} only works in memory. {@link #sync} writes every tile the tree filled since the last sync and the
 * partial tiles of the current size, each durably (written, synced, renamed, its directory synced), and then removes
 * partial tiles a wider or full one replaced. A log that must not stall its appends for that takes a {@link
 * #snapshot} under its lock and writes it outside. Sign a checkpoint over a size only once its tiles are written: then
 * every hash a proof for it needs is on disk. A crash loses at most what was appended since the last write; {@link
 * #open} resumes from a size whose tiles were written and removes any tile written past it.
 *
 * <p>Not thread-safe: one thread at a time appends and takes snapshots (under the caller's lock); one other thread at a
 * time may write snapshots.
 */
public final class TileWriter implements HashReader, GrowingTree {

  private final Path dir;
  /** Per tile level, the hashes of its incomplete right-edge tile (fewer than 256). */
  private final List<List<byte[]>> edge = new ArrayList<>();
  /** Full tiles filled and not yet written, by level and index; a snapshot's writer removes those it wrote. */
  private final Map<String, byte[]> unsynced = new java.util.concurrent.ConcurrentHashMap<>();
  private Frontier frontier = new Frontier();
  private long size;
  private volatile long synced;

  private TileWriter(Path dir, long size) {
    this.dir = dir;
    this.size = size;
    this.synced = size;
  }

  /**
   * A writer over {@code dir} that continues the tree of {@code size} leaves whose tiles were synced there (0 for a
   * new tree). Tiles beyond that size (left by a crash after a sync that was not finished) are removed.
   *
   * @param dir the directory that holds (or will hold) {@code tile/}; not null
   * @param size how many leaves the tree whose tiles were synced there has (the size of the last checkpoint signed over
   *     them); not negative
   * @return a writer at that size, its root that of the first {@code size} leaves, nothing unsynced
   * @throws IllegalArgumentException if {@code size} is negative
   * @throws NoSuchFileException if a tile the tree of {@code size} leaves needs is missing
   * @throws IOException if a tile cannot be read or is malformed, or a stale tile cannot be removed
   */
  public static TileWriter open(Path dir, long size) throws IOException {
    Objects.requireNonNull(dir, "dir");
    if (size < 0) {
      throw new IllegalArgumentException("a tree size is not negative");
    }
    TileWriter writer = new TileWriter(dir, size);
    for (int level = 0; level == 0 || (level < Tiles.LEVELS && (size >>> (Tiles.HEIGHT * level)) > 0); level++) {
      long count = size >>> (Tiles.HEIGHT * level);
      long index = count / Tiles.WIDTH;
      int width = (int) (count % Tiles.WIDTH);
      List<byte[]> hashes = new ArrayList<>(Tiles.WIDTH);
      if (width > 0) {
        byte[] tile = Tiles.read(dir, level, index, width);
        for (int i = 0; i < width; i++) {
          hashes.add(Tiles.hashAt(tile, i));
        }
      }
      writer.edge.add(hashes);
      writer.removeBeyond(level, index, width);
    }
    writer.frontier = Frontier.of(writer, size);
    return writer;
  }

  @Override
  public long size() {
    return size;
  }

  /**
   * The number of leaves whose tiles are on disk.
   *
   * @return the largest size of a snapshot written, or the size the writer was opened at; at most {@link #size()}
   */
  public long syncedSize() {
    return synced;
  }

  @Override
  public void append(byte[] leafHash) {
    Merkle.checkHash(leafHash, "a leaf hash");
    byte[] hash = leafHash.clone();
    frontier.append(hash);
    for (int level = 0; ; level++) {
      if (edge.size() == level) {
        edge.add(new ArrayList<>(Tiles.WIDTH));
      }
      List<byte[]> hashes = edge.get(level);
      hashes.add(hash);
      if (hashes.size() < Tiles.WIDTH) {
        break;
      }
      byte[] tile = concat(hashes, Tiles.WIDTH);
      long index = ((size >>> (Tiles.HEIGHT * level)) / Tiles.WIDTH);
      unsynced.put(level + "/" + index, tile);
      hashes.clear();
      hash = Tiles.subtree(tile, 0, Tiles.WIDTH);
    }
    size++;
  }

  /** The root hash of the tree of all leaves appended: {@code O(log n)} hashing, no I/O. */
  @Override
  public byte[] root() {
    return frontier.root();
  }

  /**
   * Writes the tiles of the tree of {@link #size()} leaves durably; afterwards {@link #syncedSize()} is that size.
   * The same as {@link #snapshot} and {@link Snapshot#write}.
   *
   * @throws IOException if a tile cannot be written: the files may then hold any part of the tiles written so far,
   *     never a tile with other hashes than the tree's, and this writer can try again
   */
  public void sync() throws IOException {
    snapshot().write();
  }

  /**
   * The tree as it is now (size, root) with the tiles it needs that are not on disk yet, to be written by {@link
   * Snapshot#write} while the writer goes on appending (under the caller's lock, the write outside it, on any one
   * thread). Write the snapshots of one writer one at a time, in the order they were taken.
   *
   * @return the snapshot, unaffected by later appends
   */
  public Snapshot snapshot() {
    Map<Path, byte[]> files = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> full : unsynced.entrySet()) {
      String[] at = full.getKey().split("/");
      files.put(Tiles.path(dir, Integer.parseInt(at[0]), Long.parseLong(at[1]), Tiles.WIDTH), full.getValue());
    }
    List<Path> replaced = new ArrayList<>();
    for (int level = 0; level < edge.size(); level++) {
      List<byte[]> hashes = edge.get(level);
      long index = (size >>> (Tiles.HEIGHT * level)) / Tiles.WIDTH;
      if (!hashes.isEmpty()) {
        files.put(Tiles.path(dir, level, index, hashes.size()), concat(hashes, hashes.size()));
      }
      long before = (synced >>> (Tiles.HEIGHT * level)) / Tiles.WIDTH;
      for (long i = before; i <= index; i++) {
        replaced.add(partialsOf(Tiles.path(dir, level, i, Tiles.WIDTH)));
      }
    }
    return new Snapshot(size, root(), Set.copyOf(unsynced.keySet()), files, replaced);
  }

  /** The tiles of a tree of one size; see {@link TileWriter#snapshot}. */
  public final class Snapshot {
    private final long size;
    private final byte[] root;
    private final Set<String> fullTiles;
    private final Map<Path, byte[]> files;
    private final List<Path> replaced;

    private Snapshot(long size, byte[] root, Set<String> fullTiles, Map<Path, byte[]> files, List<Path> replaced) {
      this.size = size;
      this.root = root;
      this.fullTiles = fullTiles;
      this.files = files;
      this.replaced = replaced;
    }

    /**
     * The number of leaves.
     *
     * @return the tree size the snapshot was taken at
     */
    public long size() {
      return size;
    }

    /**
     * The root hash.
     *
     * @return the 32-byte root of the tree of {@link #size()} leaves, a copy
     */
    public byte[] root() {
      return root.clone();
    }

    /**
     * Writes the tiles durably (each written, synced and renamed into place, the directories synced); from then on
     * the writer reads them from disk. Then removes the partial tiles that a wider or a full tile replaced.
     *
     * @throws IOException if a tile cannot be written; writing again is safe
     */
    public void write() throws IOException {
      Set<Path> dirs = new LinkedHashSet<>();
      for (Map.Entry<Path, byte[]> file : files.entrySet()) {
        writeTile(file.getKey(), file.getValue(), dirs);
      }
      for (Path d : dirs) {
        AtomicFiles.fsyncDirectory(d);
      }
      unsynced.keySet().removeAll(fullTiles);
      synced = Math.max(synced, size);
      for (Path partials : replaced) {
        removeNarrowerPartials(partials);
      }
    }
  }

  @Override
  public byte[] node(int level, long index) throws IOException {
    return Tiles.node(this::tile, level, index);
  }

  private byte[] tile(int level, long index, int width) throws IOException {
    if (level < edge.size() && index == (size >>> (Tiles.HEIGHT * level)) / Tiles.WIDTH) {
      List<byte[]> hashes = edge.get(level);
      if (hashes.size() >= width) {
        return concat(hashes, hashes.size());
      }
      throw new NoSuchFileException("tile " + level + "/" + index + " is not complete up to " + width);
    }
    byte[] full = unsynced.get(level + "/" + index);
    return full != null ? full : Tiles.read(dir, level, index, width);
  }

  /**
   * Keeps, in a tile's partial directory, only the widest partial tile (or none once the full tile exists): the
   * hashes only grow, so the widest one serves every narrower request.
   */
  private static void removeNarrowerPartials(Path partials) throws IOException {
    if (!Files.isDirectory(partials)) {
      return;
    }
    boolean full = Files.exists(partials.resolveSibling(partials.getFileName().toString().replace(".p", "")));
    int widest = -1;
    try (Stream<Path> files = Files.list(partials)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        widest = Math.max(widest, Tiles.parseWidth(p.getFileName().toString()));
      }
    }
    try (Stream<Path> files = Files.list(partials)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        int w = Tiles.parseWidth(p.getFileName().toString());
        if (w >= 0 && (full || w < widest)) {
          Files.deleteIfExists(p);
        }
      }
    }
    if (full) {
      try (Stream<Path> left = Files.list(partials)) {
        if (left.findAny().isEmpty()) {
          Files.deleteIfExists(partials);
        }
      }
    }
  }

  /** Removes tiles of {@code level} a crash left beyond the edge tile {@code index} of {@code width} hashes. */
  private void removeBeyond(int level, long index, int width) throws IOException {
    Path full = Tiles.path(dir, level, index, Tiles.WIDTH);
    Files.deleteIfExists(full); // the edge tile is not full yet
    removeWiderPartials(partialsOf(full), width);
    for (long i = index + 1; ; i++) {
      Path next = Tiles.path(dir, level, i, Tiles.WIDTH);
      Path partials = partialsOf(next);
      boolean any = Files.deleteIfExists(next);
      if (Files.isDirectory(partials)) {
        removeWiderPartials(partials, 0);
        any = true;
      }
      if (!any) {
        return;
      }
    }
  }

  private static void removeWiderPartials(Path partials, int width) throws IOException {
    if (!Files.isDirectory(partials)) {
      return;
    }
    try (Stream<Path> files = Files.list(partials)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Tiles.parseWidth(p.getFileName().toString()) > width) {
          Files.delete(p);
        }
      }
    }
  }

  /** The directory of a tile's partial versions. */
  private static Path partialsOf(Path fullTile) {
    return fullTile.resolveSibling(fullTile.getFileName() + ".p");
  }

  private static void writeTile(Path file, byte[] tile, Set<Path> dirs) throws IOException {
    Path parent = file.getParent();
    if (!Files.isDirectory(parent)) {
      Path existing = parent;
      while (!Files.isDirectory(existing)) {
        existing = existing.getParent();
      }
      AtomicFiles.createOwnerOnlyDirectories(parent);
      for (Path created = parent; !created.equals(existing); created = created.getParent()) {
        dirs.add(created.getParent()); // a new directory's entry is durable once its parent is synced
      }
    }
    Path tmp = AtomicFiles.createOwnerOnlyTempFile(parent, file.getFileName().toString());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(tile);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(false);
      }
      AtomicFiles.move(tmp, file, true);
    } finally {
      Files.deleteIfExists(tmp);
    }
    dirs.add(parent);
  }

  private static byte[] concat(List<byte[]> hashes, int count) {
    byte[] tile = new byte[count * Merkle.HASH_SIZE];
    for (int i = 0; i < count; i++) {
      System.arraycopy(hashes.get(i), 0, tile, i * Merkle.HASH_SIZE, Merkle.HASH_SIZE);
    }
    return tile;
  }
}
