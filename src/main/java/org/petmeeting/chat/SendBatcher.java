package org.petmeeting.chat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.petmeeting.metrics.ChatMetrics;

/**
 * Group commit of the router's appends. Sends that arrive while earlier batches are at Redis
 * gather here and go out together: one script run, one reply and one WAIT for the batch instead of
 * one of each per message, which is most of what a message costs Redis and the Redis client. When
 * the router is idle a send goes out alone, at the end of the event-loop task that brought it, so
 * batching adds no wait of its own.
 *
 * <p>Confined to the router's context: no locks. Within a batch the script runs the messages in
 * the order they arrived; batches at Redis at the same time travel on different pooled connections
 * and may land in either order, as two separate sends always could.
 */
final class SendBatcher {
  private record Pending(RoomLog.Append append, Promise<RoomLog.Appended> promise) {}

  private final Context context;
  private final RoomLog log;
  private final ChatMetrics metrics;
  private final int maxBatch;
  private final int maxInFlight;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
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
      context.runOnContext(v -> enqueue(new Pending(append, promise)));
    } else {
      enqueue(new Pending(append, promise));
    }
    return promise.future();
  }

  private void enqueue(Pending pending) {
    queue.add(pending);
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
      List<Pending> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
      while (batch.size() < maxBatch && !queue.isEmpty()) {
        batch.add(queue.poll());
      }
      inFlight++;
      metrics.sendBatchSize.record(batch.size());
      List<RoomLog.Append> appends = new ArrayList<>(batch.size());
      batch.forEach(p -> appends.add(p.append()));
      log.appendBatch(appends).onComplete(ar -> {
        inFlight--;
        if (ar.failed()) {
          batch.forEach(p -> p.promise().fail(ar.cause()));
        } else {
          List<RoomLog.Appended> results = ar.result();
          for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            RoomLog.Appended appended = results.get(i);
            if (appended != null) {
              p.promise().complete(appended);
            } else {
              // A room Redis has no sequence for (new, or Redis lost it): start it from MySQL and
              // send the message again, alone.
              RoomLog.Append a = p.append();
              log.append(a.room(), a.from(), a.cid(), a.text(), a.meta(), a.kind()).onComplete(p.promise());
            }
          }
        }
        flush();
      });
    }
  }
}
