package org.petmeeting.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one connection has delivered of one room: the last seq written, and messages that arrived
 * ahead of a gap, held until the gap is filled. Pure logic, no I/O: the session feeds it and
 * writes what it releases. Until the room's head is known ({@link #start}) everything is held.
 */
final class RoomCursor {
  private long last = -1;
  private long start = -1;
  private String epoch;
  /** Allocated when a message first has to wait: most cursors never hold anything. */
  private TreeMap<Long, String> held;
  boolean repairing;

  boolean started() {
    return last >= 0;
  }

  long last() {
    return last;
  }

  /** Sets the starting point (the room's head when the connection began) and releases what follows. */
  List<String> start(long head) {
    return start(head, null);
  }

  /** As {@link #start(long)}, knowing the room's epoch ({@code null} when not known yet). */
  List<String> start(long head, String epoch) {
    if (last < 0) {
      last = head;
      start = head;
      this.epoch = shared(epoch);
    }
    return release();
  }

  String epoch() {
    return epoch;
  }

  /**
   * The room's sequence was restarted (Redis lost it): seqs may repeat under the new epoch. What
   * is held belongs to the old one; the stream goes on after {@code last} in the new one, and the
   * client, seeing the new epoch, reloads the room.
   */
  void restart(long last, String epoch) {
    held = null;
    this.last = last;
    this.start = last;
    this.epoch = shared(epoch);
  }

  /** One copy of a room's epoch for all its cursors, instead of one per connection. */
  private static String shared(String epoch) {
    return epoch == null ? null : epoch.intern();
  }

  /** Where this connection's live stream of the room began: it pushes every seq after this one. */
  long liveStart() {
    return start;
  }

  /** Offers a message of a known epoch; a new epoch restarts the cursor just before it. */
  List<String> offer(long seq, String epoch, String json) {
    if (epoch != null && last >= 0) {
      if (this.epoch == null) {
        this.epoch = shared(epoch);
      } else if (!this.epoch.equals(epoch)) {
        restart(seq - 1, epoch);
      }
    }
    return offer(seq, json);
  }

  /** Offers a message; returns the frames to write now, in order (possibly none). */
  List<String> offer(long seq, String json) {
    if (last >= 0 && seq <= last) {
      return List.of();
    }
    if (last >= 0 && seq == last + 1 && (held == null || held.isEmpty())) {
      // In order, nothing waiting: the common case, without touching the map.
      last = seq;
      return List.of(json);
    }
    if (held == null) {
      held = new TreeMap<>();
    }
    held.putIfAbsent(seq, json);
    return last < 0 ? List.of() : release();
  }

  /** True when a message is held behind a missing one. */
  boolean hasGap() {
    return last >= 0 && held != null && !held.isEmpty() && held.firstKey() > last + 1;
  }

  /** The first seq held ahead of the gap, or -1. */
  long firstHeld() {
    return held == null || held.isEmpty() ? -1 : held.firstKey();
  }

  int heldCount() {
    return held == null ? 0 : held.size();
  }

  private List<String> release() {
    List<String> out = null;
    while (held != null && !held.isEmpty()) {
      Map.Entry<Long, String> first = held.firstEntry();
      if (first.getKey() <= last) {
        held.pollFirstEntry();
      } else if (first.getKey() == last + 1) {
        held.pollFirstEntry();
        last = first.getKey();
        if (out == null) {
          out = new ArrayList<>();
        }
        out.add(first.getValue());
      } else {
        break;
      }
    }
    return out == null ? List.of() : out;
  }
}
