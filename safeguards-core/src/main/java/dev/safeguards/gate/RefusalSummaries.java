package dev.safeguards.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Counts repeated refusals of anonymous requests instead of recording each (164.312(b) without filling the disk):
 * the first refusal per source, route, status and rule in a window is recorded in full; the identical ones after it
 * in the same window are counted, and a summary event with the count and the first and last time is recorded once
 * the window has passed. Nothing is dropped: a key that cannot be tracked (too many sources at once) is recorded one
 * by one, and a summary that could not be recorded is counted again. Thread-safe.
 */
final class RefusalSummaries {

  /** What makes two refusals the same. */
  record Key(String address, String method, String pattern, int status, String rule) {}

  /** Refusals counted for one key and not yet recorded. */
  record Pending(Key key, long count, Instant from, Instant until) {}

  private static final class Window {
    final Instant opened;
    long count;
    Instant from;
    Instant until;

    Window(Instant opened) {
      this.opened = opened;
    }
  }

  /** The most keys counted at once; beyond it, refusals are recorded one by one. */
  static final int MAX_KEYS = 10_000;

  private final Duration window;
  private final Map<Key, Window> open = new HashMap<>();
  private volatile Instant nextSweep = Instant.MIN;

  RefusalSummaries(Duration window) {
    this.window = window;
  }

  boolean enabled() {
    return !window.isZero();
  }

  /**
   * Whether this refusal is counted (true) rather than recorded now (false): the first of its window is recorded and
   * opens the window.
   */
  synchronized boolean count(Key key, Instant now) {
    Window w = open.get(key);
    if (w != null && now.isBefore(w.opened.plus(window))) {
      if (w.count == 0) {
        w.from = now;
      }
      w.count++;
      w.until = now;
      return true;
    }
    if (w == null && open.size() >= MAX_KEYS) {
      return false;
    }
    if (w != null && w.count > 0) {
      return true; // the previous window is still to be summarised: count on in it until the sweep takes it
    }
    open.put(key, new Window(now));
    return false;
  }

  /** The windows that have passed and hold counted refusals; at most once a second unless {@code all}. */
  List<Pending> due(Instant now, boolean all) {
    if (!all && now.isBefore(nextSweep)) {
      return List.of(); // every request asks: answered without the lock until a sweep is due
    }
    return sweep(now, all);
  }

  private synchronized List<Pending> sweep(Instant now, boolean all) {
    if (!all && now.isBefore(nextSweep)) {
      return List.of();
    }
    nextSweep = now.plusSeconds(1);
    List<Pending> due = new ArrayList<>();
    for (Iterator<Map.Entry<Key, Window>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Window> e = it.next();
      Window w = e.getValue();
      if (all || !now.isBefore(w.opened.plus(window))) {
        it.remove();
        if (w.count > 0) {
          due.add(new Pending(e.getKey(), w.count, w.from, w.until));
        }
      }
    }
    return due;
  }

  /** Puts back a summary that could not be recorded, to be recorded with the next sweep. */
  synchronized void restore(Pending p) {
    Window w = open.computeIfAbsent(p.key(), k -> new Window(p.from()));
    if (w.count == 0 || p.from().isBefore(w.from)) {
      w.from = p.from();
    }
    if (w.until == null || p.until().isAfter(w.until)) {
      w.until = p.until();
    }
    w.count += p.count();
  }
}
