package org.petmeeting.chat;

import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.petmeeting.rooms.RoomStore;

/**
 * Who is in which room, cached per node. Entries expire after the configured time and are dropped
 * at once when a membership change is announced on the event bus, so a removed member loses
 * access immediately on every node. Reads go to the primary: access control must not lag.
 */
public final class Membership {
  private record Entry(Set<Long> members, long loadedAt) {}

  private final RoomStore rooms;
  private final long ttlNanos;
  private final ConcurrentHashMap<Long, Entry> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Long> invalidatedAt = new ConcurrentHashMap<>();

  public Membership(RoomStore rooms, int ttlSeconds) {
    this.rooms = rooms;
    this.ttlNanos = ttlSeconds * 1_000_000_000L;
  }

  public Future<Set<Long>> members(long room) {
    Entry e = cache.get(room);
    if (e != null && System.nanoTime() - e.loadedAt < ttlNanos) {
      return Future.succeededFuture(e.members);
    }
    long started = System.nanoTime();
    Future<List<Long>> loaded = rooms.members(room);
    if (e != null) {
      // MySQL down: an expired entry is still the best answer there is, and it keeps sends of
      // known members flowing to Redis while the database is away.
      loaded = loaded.recover(err -> Future.succeededFuture(List.copyOf(e.members)));
    }
    return loaded.map(list -> {
      Set<Long> set = Set.copyOf(list);
      // A load that raced with an invalidation may have read the old members: do not cache it.
      Long invalidated = invalidatedAt.get(room);
      // A room with no members (or none at all) is not cached: asking about made-up room ids
      // must not grow the cache.
      if (!set.isEmpty() && (invalidated == null || invalidated < started)) {
        cache.put(room, new Entry(set, started));
      }
      return set;
    });
  }

  public Future<Boolean> isMember(long room, long user) {
    return members(room).map(m -> m.contains(user));
  }

  /** Drops expired entries and old invalidation marks; the router calls it periodically. */
  public void sweep() {
    long now = System.nanoTime();
    cache.values().removeIf(e -> now - e.loadedAt >= ttlNanos);
    // A mark only matters while a load that started before it may still be running.
    invalidatedAt.values().removeIf(at -> now - at > 60_000_000_000L);
  }

  public int size() {
    return cache.size();
  }

  public void invalidate(long room) {
    invalidatedAt.put(room, System.nanoTime());
    cache.remove(room);
  }

  /** Members of several rooms; used to route presence events. */
  public Future<List<Set<Long>>> membersOf(List<Long> roomIds) {
    return Future.all(roomIds.stream().map(this::members).toList()).map(cf -> cf.list());
  }
}
