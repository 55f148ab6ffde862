package org.petmeeting.rooms;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.petmeeting.db.Sql;

/** Rooms and their members in MySQL. Membership reads go to the primary: access control must not lag. */
public final class RoomStore {
  private static final Sql SQL = Sql.load("rooms");

  /** An opened direct room and whether this call created it. */
  public record Opened(long roomId, boolean created) {}

  private final Pool primary;

  public RoomStore(Pool primary) {
    this.primary = primary;
  }

  static String directKey(long a, long b) {
    return Math.min(a, b) + ":" + Math.max(a, b);
  }

  /** The direct room of two users, created with both as members on first use. Idempotent. */
  public Future<Opened> openDirect(long creator, long other) {
    String key = directKey(creator, other);
    return primary.withTransaction(tx -> tx.preparedQuery(SQL.get("insertDirect")).execute(Tuple.of(key, creator))
        .compose(inserted -> tx.preparedQuery(SQL.get("findDirect")).execute(Tuple.of(key))
            .compose(rows -> {
              long roomId = rows.iterator().next().getLong(0);
              boolean created = inserted.rowCount() == 1;
              return addMember(tx, roomId, creator)
                  .compose(v -> addMember(tx, roomId, other))
                  .map(new Opened(roomId, created));
            })));
  }

  public Future<Long> createGroup(long creator, String name, List<Long> memberIds) {
    return primary.withTransaction(tx -> tx.preparedQuery(SQL.get("insertGroup")).execute(Tuple.of(name, creator))
        .compose(r -> {
          long roomId = r.property(io.vertx.mysqlclient.MySQLClient.LAST_INSERTED_ID);
          Future<Void> chain = addMember(tx, roomId, creator);
          for (Long member : memberIds) {
            chain = chain.compose(v -> addMember(tx, roomId, member));
          }
          return chain.map(roomId);
        }));
  }

  /** Adds a member; true when they were not one before. */
  public Future<Boolean> addMember(long roomId, long userId) {
    return primary.preparedQuery(SQL.get("insertMemberIgnore")).execute(Tuple.of(roomId, userId))
        .map(r -> r.rowCount() == 1);
  }

  private static Future<Void> addMember(SqlClient tx, long roomId, long userId) {
    return tx.preparedQuery(SQL.get("insertMemberIgnore")).execute(Tuple.of(roomId, userId)).mapEmpty();
  }

  /** Removes a member; true when they were one. */
  public Future<Boolean> removeMember(long roomId, long userId) {
    return primary.preparedQuery(SQL.get("deleteMember")).execute(Tuple.of(roomId, userId))
        .map(r -> r.rowCount() == 1);
  }

  public Future<List<Long>> members(long roomId) {
    return primary.preparedQuery(SQL.get("membersOf")).execute(Tuple.of(roomId)).map(RoomStore::longs);
  }

  public Future<List<Long>> roomsOf(long userId) {
    return primary.preparedQuery(SQL.get("roomsOfUser")).execute(Tuple.of(userId)).map(RoomStore::longs);
  }

  /** "direct" or "group", or null when the room does not exist. */
  public Future<String> kind(long roomId) {
    return primary.preparedQuery(SQL.get("roomKind")).execute(Tuple.of(roomId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("kind"));
  }

  public Future<Boolean> userExists(long userId) {
    return primary.preparedQuery(SQL.get("userExists")).execute(Tuple.of(userId)).map(rows -> rows.size() == 1);
  }

  private static List<Long> longs(Iterable<Row> rows) {
    List<Long> out = new ArrayList<>();
    for (Row row : rows) {
      out.add(row.getLong(0));
    }
    return out;
  }
}
