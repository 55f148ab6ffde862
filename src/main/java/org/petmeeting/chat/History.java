package org.petmeeting.chat;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Complete ranges of a room's messages: the Redis log for what it still holds, MySQL for what it
 * no longer does (first the stale-tolerant read pool, then the primary when that one lags). A
 * range that neither can complete (MySQL down while the log was trimmed past unsaved messages)
 * fails with {@link Incomplete} rather than answering with a gap.
 */
public final class History {
  /** A page of messages {@code after < seq <= upTo}, oldest first. */
  public record Page(String epoch, long head, List<ChatMessage> messages, boolean more) {}

  public static final class Incomplete extends RuntimeException {
    Incomplete(long room) {
      super("history of room " + room + " is temporarily incomplete", null, false, false);
    }
  }

  private final RoomLog log;
  private final Pool primary;
  private final Supplier<Pool> reads;

  public History(RoomLog log, Pool primary, Supplier<Pool> reads) {
    this.log = log;
    this.primary = primary;
    this.reads = reads;
  }

  /** Messages with {@code seq > after}, at most {@code limit}, oldest first. */
  public Future<Page> after(long room, long after, int limit) {
    return after(room, after, limit, Long.MAX_VALUE);
  }

  /** As {@link #after(long, long, int)}, but never beyond {@code cap}; {@code more} then means "more up to cap". */
  public Future<Page> after(long room, long after, int limit, long cap) {
    return log.head(room).compose(head -> {
      long end = Math.min(head.seq(), cap);
      // Saturating: an "after" near Long.MAX_VALUE must not wrap around.
      long upTo = after >= end ? end : Math.min(end, after + limit);
      return range(room, after, upTo).map(messages -> new Page(head.epoch(), head.seq(), messages,
          after < upTo && upTo < end));
    });
  }

  /** Messages with {@code seq < before}, the newest {@code limit} of them, oldest first. */
  public Future<Page> before(long room, long before, int limit) {
    return log.head(room).compose(head -> {
      long upTo = Math.min(head.seq(), before - 1);
      long after = Math.max(0, upTo - limit);
      return range(room, after, upTo).map(messages -> new Page(head.epoch(), head.seq(), messages, after > 0));
    });
  }

  /** Every message with {@code after < seq <= upTo}, or a failed future. */
  public Future<List<ChatMessage>> range(long room, long after, long upTo) {
    if (upTo <= after) {
      return Future.succeededFuture(List.of());
    }
    return log.read(room, after + 1, upTo).compose(tail -> {
      long firstInLog = tail.isEmpty() ? upTo + 1 : tail.get(0).seq();
      if (firstInLog == after + 1 && tail.size() == upTo - after) {
        return Future.succeededFuture(tail);
      }
      long dbUpTo = firstInLog - 1;
      int wanted = (int) (dbUpTo - after);
      return fromDb(reads.get(), room, after, dbUpTo)
          .compose(rows -> rows.size() == wanted || reads.get() == primary ? Future.succeededFuture(rows)
              : fromDb(primary, room, after, dbUpTo))
          .compose(rows -> {
            if (rows.size() != wanted) {
              return Future.failedFuture(new Incomplete(room));
            }
            List<ChatMessage> all = new ArrayList<>(rows.size() + tail.size());
            all.addAll(rows);
            all.addAll(tail);
            return Future.succeededFuture(all);
          });
    });
  }

  private static Future<List<ChatMessage>> fromDb(Pool pool, long room, long after, long upTo) {
    return pool.preparedQuery(RoomLog.SQL.get("range")).execute(Tuple.of(room, after, upTo, upTo - after))
        .map(rows -> {
          List<ChatMessage> out = new ArrayList<>(rows.size());
          for (Row row : rows) {
            out.add(new ChatMessage(room, row.getLong("seq"), row.getString("epoch"), row.getString("cid"),
                row.getLong("sender_id"), row.getString("text"), row.getString("meta"),
                ChatMessage.formatTs(row.getLocalDateTime("created_at").toInstant(ZoneOffset.UTC).toEpochMilli()),
                row.getString("kind")));
          }
          return out;
        });
  }
}
