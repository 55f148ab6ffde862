package org.petmeeting.support;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.petmeeting.Services;

/** Direct reads of what MySQL holds, for assertions. */
public final class Db {
  private Db() {}

  /** The (seq, cid) pairs stored for a room, in seq order. */
  public static List<String> messages(Services s, long room) {
    return Await.result(s.db().primary()
        .preparedQuery("SELECT seq, cid FROM messages WHERE room_id = ? ORDER BY seq").execute(Tuple.of(room))
        .map(rows -> {
          List<String> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(r.getLong(0) + ":" + r.getString(1));
          }
          return out;
        }));
  }

  public static long count(Services s, long room) {
    return Await.result(s.db().primary().preparedQuery("SELECT COUNT(*) FROM messages WHERE room_id = ?")
        .execute(Tuple.of(room)).map(rows -> rows.iterator().next().getLong(0)));
  }
}
