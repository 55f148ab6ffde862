package org.petmeeting.chat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.petmeeting.metrics.ChatMetrics;

/**
 * Group commit of the router's appends. Sends that arrive while earlier batches are at Redis
 * gather here and go out together: one script run, one reply and one WAIT for the batch instead of
 * one of each per message, which is most of what a message costs Redis and the Redis client. When
 * the router is idle a send goes out alone, at the end of the event-loop task that brought it, so
 * batching adds no wait of its own.
 *
 * <p>A room's messages take seqs in the order they reached the batcher: a batch runs its messages
 * in order, and a room is in at most one batch at Redis at a time (batches in flight together
 * travel on different pooled connections and could land in either order). Messages of a room whose
 * sequence Redis has lost wait until {@code init_room.lua} has restarted it, then go again first,
 * in their order. Confined to the router's context: no locks.
 */
final class SendBatcher {
  private record Pending(RoomLog.Append append, Promise<RoomLog.Appended> promise, boolean retried) {}

  private final Context context;
  private final RoomLog log;
  private final ChatMetrics metrics;
  private final int maxBatch;
  private final int maxInFlight;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  /** Rooms with a batch at Redis, or a sequence being restarted: their queued messages wait. */
  private final Set<Long> busyRooms = new HashSet<>();
  private int inFlight;
  private boolean scheduled;

  SendBatcher(Context context, RoomLog log, ChatMetrics metrics, int maxBatch, int maxInFlight) {
    this.context = context;
    this.log = log;
    this.metrics = metrics;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
  }

  /** Appends one message; completes with where it landed (or that its cid was seen before). */
  Future<RoomLog.Appended> append(RoomLog.Append append) {
    Promise<RoomLog.Appended> promise = Promise.promise();
    if (!((ContextInternal) context).inThread()) {
      // The state below belongs to the router's event loop; a caller elsewhere hops onto it.
      // (Not a comparison of contexts: event-bus handlers run on duplicates of the router's.)
      context.runOnContext(v -> enqueue(new Pending(append, promise, false)));
    } else {
      enqueue(new Pending(append, promise, false));
    }
    return promise.future();
  }

  private void enqueue(Pending pending) {
    queue.add(pending);
    schedule();
  }

  private void schedule() {
    if (!scheduled) {
      // Flushed after the tasks already queued on this event loop: under load those are more
      // sends, which then share the batch.
      scheduled = true;
      context.runOnContext(v -> {
        scheduled = false;
        flush();
      });
    }
  }

  private void flush() {
    while (inFlight < maxInFlight && !queue.isEmpty()) {
      List<Pending> batch = take();
      if (batch.isEmpty()) {
        return; // everything queued belongs to busy rooms; a completing batch flushes again
      }
      inFlight++;
      metrics.sendBatchSize.record(batch.size());
      List<RoomLog.Append> appends = new ArrayList<>(batch.size());
      batch.forEach(p -> appends.add(p.append()));
      Future<List<RoomLog.Appended>> sent;
      try {
        sent = log.appendBatch(appends);
      } catch (RuntimeException e) {
        // A bad argument must fail its batch, not leave its rooms busy and the slot taken forever.
        sent = Future.failedFuture(e);
      }
      sent.onComplete(ar -> {
        inFlight--;
        if (ar.failed()) {
          batch.forEach(p -> {
            busyRooms.remove(p.append().room());
            p.promise().fail(ar.cause());
          });
        } else {
          completed(batch, ar.result());
        }
        flush();
      });
    }
  }

  /** Up to maxBatch queued messages of rooms not busy, in queue order; their rooms become busy. */
  private List<Pending> take() {
    List<Pending> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
    Set<Long> inBatch = new HashSet<>();
    Iterator<Pending> it = queue.iterator();
    while (it.hasNext() && batch.size() < maxBatch) {
      Pending p = it.next();
      long room = p.append().room();
      if (busyRooms.contains(room) && !inBatch.contains(room)) {
        continue; // stays queued, and so does everything after it for this room
      }
      it.remove();
      batch.add(p);
      inBatch.add(room);
      busyRooms.add(room);
    }
    return batch;
  }

  private void completed(List<Pending> batch, List<RoomLog.Appended> results) {
    // Messages whose room had no sequence, by room, in order.
    Map<Long, List<Pending>> restart = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      RoomLog.Appended appended = results.get(i);
      if (appended != null) {
        p.promise().complete(appended);
      } else {
        restart.computeIfAbsent(p.append().room(), r -> new ArrayList<>()).add(p);
      }
    }
    for (Pending p : batch) {
      if (!restart.containsKey(p.append().room())) {
        busyRooms.remove(p.append().room());
      }
    }
    restart.forEach(this::restartRoom);
  }

  /**
   * A room Redis has no sequence for (new, or Redis lost it): started from MySQL's highest seq,
   * then its messages go again ahead of everything queued, in their order. The room stays busy
   * meanwhile, so its later messages cannot overtake them.
   */
  private void restartRoom(long room, List<Pending> all) {
    List<Pending> waiting = new ArrayList<>(all.size());
    for (Pending p : all) {
      if (p.retried()) {
        // Restarted a moment ago and gone again: fail rather than loop.
        p.promise().fail(new IllegalStateException("room " + room + " sequence vanished"));
      } else {
        waiting.add(p);
      }
    }
    if (waiting.isEmpty()) {
      busyRooms.remove(room);
      return;
    }
    log.ensureRoom(room).onComplete(ar -> {
      busyRooms.remove(room);
      if (ar.failed()) {
        waiting.forEach(p -> p.promise().fail(ar.cause()));
      } else {
        for (int i = waiting.size() - 1; i >= 0; i--) {
          Pending p = waiting.get(i);
          queue.addFirst(new Pending(p.append(), p.promise(), true));
        }
      }
      flush();
    });
  }
}
