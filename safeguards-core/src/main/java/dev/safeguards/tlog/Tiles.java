package dev.safeguards.tlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The C2SP tlog-tiles layout of a tree's hashes: tiles of height 8, so a tile at level {@code L} and index {@code N}
 * holds the hashes of tree level {@code 8L} with indexes {@code [256N, 256N + W)}, concatenated ({@code W} at most
 * 256). A full tile ({@code W = 256}) is the file {@code tile/<L>/<N>} and never changes; a partial one is {@code
 * tile/<L>/<N>.p/<W>}. {@code N} is written in groups of three digits, every group but the last prefixed by {@code x}
 * ({@code 1234067} is {@code x001/x234/067}).
 */
final class Tiles {

  /** Hashes in a full tile. */
  static final int WIDTH = 256;
  /** Tree levels in a tile. */
  static final int HEIGHT = 8;
  /** Tile levels of a tree of up to 2^63 leaves. */
  static final int LEVELS = 8;

  private Tiles() {}

  /** The path of tile {@code (level, index)} of {@code width} hashes under {@code dir}. */
  static Path path(Path dir, int level, long index, int width) {
    String name = "tile/" + level + "/" + encode(index);
    return dir.resolve(width == WIDTH ? name : name + ".p/" + width);
  }

  /** {@code N} as the tile path writes it. */
  static String encode(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("a tile index is not negative");
    }
    String digits = Long.toString(index);
    digits = "00".substring(0, (3 - digits.length() % 3) % 3) + digits;
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < digits.length(); i += 3) {
      if (i + 3 < digits.length()) {
        path.append('x').append(digits, i, i + 3).append('/');
      } else {
        path.append(digits, i, i + 3);
      }
    }
    return path.toString();
  }

  /**
   * Reads at least the first {@code width} hashes of tile {@code (level, index)}: the full tile if present, else the
   * narrowest partial tile holding them.
   *
   * @throws NoSuchFileException if no file holds them
   * @throws IOException if a file's length is not its width times 32 bytes
   */
  static byte[] read(Path dir, int level, long index, int width) throws IOException {
    Path full = path(dir, level, index, WIDTH);
    if (Files.exists(full)) {
      return readExactly(full, WIDTH);
    }
    Path partials = full.resolveSibling(full.getFileName() + ".p");
    int best = Integer.MAX_VALUE;
    if (Files.isDirectory(partials)) {
      try (Stream<Path> files = Files.list(partials)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          int w = parseWidth(p.getFileName().toString());
          if (w >= width && w < best) {
            best = w;
          }
        }
      }
    }
    if (best == Integer.MAX_VALUE) {
      throw new NoSuchFileException(full + " (or a partial tile of at least " + width + " hashes)");
    }
    return readExactly(partials.resolve(Integer.toString(best)), best);
  }

  /** A partial tile's width from its file name, or -1 for any other name. */
  static int parseWidth(String name) {
    if (name.isEmpty() || name.length() > 3 || name.charAt(0) == '0') {
      return -1;
    }
    int w = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      w = w * 10 + (c - '0');
    }
    return w < WIDTH ? w : -1;
  }

  private static byte[] readExactly(Path file, int width) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length != width * Merkle.HASH_SIZE) {
      throw new IOException("tile " + file + " holds " + bytes.length + " bytes, not " + width * Merkle.HASH_SIZE);
    }
    return bytes;
  }

  /**
   * The root of the perfect subtree over {@code count} (a power of two) consecutive hashes of {@code tile} from hash
   * {@code offset}.
   */
  static byte[] subtree(byte[] tile, int offset, int count) {
    byte[][] level = new byte[count][];
    for (int i = 0; i < count; i++) {
      level[i] = hashAt(tile, offset + i);
    }
    for (int n = count; n > 1; n /= 2) {
      for (int i = 0; i < n / 2; i++) {
        level[i] = Merkle.nodeHash(level[2 * i], level[2 * i + 1]);
      }
    }
    return level[0];
  }

  static byte[] hashAt(byte[] tile, int i) {
    byte[] hash = new byte[Merkle.HASH_SIZE];
    System.arraycopy(tile, i * Merkle.HASH_SIZE, hash, 0, Merkle.HASH_SIZE);
    return hash;
  }

  /**
   * Reads node {@code (level, index)} from tiles: the tile at level {@code level / 8} that holds the perfect subtree's
   * base hashes, then hashes up within it.
   */
  static byte[] node(TileSource tiles, int level, long index) throws IOException {
    if (level < 0 || level >= 64 || index < 0 || (level > 0 && index >>> (63 - level) != 0)) {
      throw new IllegalArgumentException("no node at level " + level + ", index " + index);
    }
    int tileLevel = level / HEIGHT;
    int up = level % HEIGHT;
    long first = index << up;
    int offset = (int) (first % WIDTH);
    int count = 1 << up;
    byte[] tile = tiles.tile(tileLevel, first / WIDTH, offset + count);
    return up == 0 ? hashAt(tile, offset) : subtree(tile, offset, count);
  }

  /** Where tiles come from: at least the first {@code width} hashes of a tile. */
  @FunctionalInterface
  interface TileSource {
    byte[] tile(int level, long index, int width) throws IOException;
  }
}
