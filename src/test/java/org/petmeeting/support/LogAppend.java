package org.petmeeting.support;

import io.vertx.core.Future;
import java.util.List;
import org.petmeeting.chat.RoomLog;

/**
 * Appends one message straight to a room's log, as the router does but with no delivery event:
 * for tests that need messages in Redis without a sender (a lost event, a backlog).
 */
public final class LogAppend {
  private LogAppend() {}

  public static Future<RoomLog.Appended> append(RoomLog log, long room, long from, String cid, String text,
                                                String meta, String kind) {
    List<RoomLog.Append> one = List.of(new RoomLog.Append(room, from, cid, text, meta, kind));
    return log.appendBatch(one).compose(r -> r.get(0) != null ? Future.succeededFuture(r.get(0))
        : log.ensureRoom(room).compose(head -> log.appendBatch(one)).map(again -> again.get(0)));
  }
}
