package dev.safeguards.tlog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a tree's hashes from C2SP tlog-tiles under a directory (see {@link TileWriter}), for proofs and roots of any
 * tree size the tiles hold. It trusts nothing it reads: a proof made from a damaged tile does not verify against a
 * signed checkpoint. Keeps the tiles it read last in memory; not thread-safe.
 */
public final class TileReader implements HashReader {

  private static final int CACHED = 64;

  private final Path dir;
  private final Map<String, byte[]> cache = new LinkedHashMap<>(CACHED, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
      return size() > CACHED;
    }
  };

  /**
   * A reader of the tiles under {@code dir} (the directory that holds {@code tile/}).
   *
   * @param dir the directory that holds {@code tile/}; not null. It need not exist yet: reading a hash fails until it
   *     does
   */
  public TileReader(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  @Override
  public byte[] node(int level, long index) throws IOException {
    return Tiles.node(this::tile, level, index);
  }

  private byte[] tile(int level, long index, int width) throws IOException {
    if (level == lastLevel && index == lastIndex && lastTile.length >= width * Merkle.HASH_SIZE) {
      return lastTile; // a walk over the records asks for the same tile 256 times in a row
    }
    byte[] tile = cached(level, index, width);
    lastLevel = level;
    lastIndex = index;
    lastTile = tile;
    return tile;
  }

  private int lastLevel = -1;
  private long lastIndex = -1;
  private byte[] lastTile = new byte[0];

  private byte[] cached(int level, long index, int width) throws IOException {
    String key = level + "/" + index;
    byte[] tile = cache.get(key);
    if (tile == null || tile.length < width * Merkle.HASH_SIZE) {
      tile = Tiles.read(dir, level, index, width);
      cache.put(key, tile);
    }
    return tile;
  }
}
