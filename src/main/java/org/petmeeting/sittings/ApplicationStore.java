package org.petmeeting.sittings;

import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.petmeeting.db.Sql;

/** The applications table: at most one application per user and sitting (a unique key). */
public final class ApplicationStore {
  private static final Sql SQL = Sql.load("applications");

  public Future<Long> insert(SqlClient db, long sittingId, long applicantId, String motivation, int experienceCount,
                             String housingType, long roomId) {
    return db.preparedQuery(SQL.get("insertApplication"))
        .execute(Tuple.of(sittingId, applicantId, motivation, experienceCount, housingType, roomId))
        .map(r -> r.property(MySQLClient.LAST_INSERTED_ID));
  }

  public Future<Boolean> exists(SqlClient db, long sittingId, long applicantId) {
    return db.preparedQuery(SQL.get("applicationOf")).execute(Tuple.of(sittingId, applicantId))
        .map(rows -> rows.size() > 0);
  }

  public Future<Application> byId(SqlClient db, long id) {
    return db.preparedQuery(SQL.get("applicationById")).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : Application.from(rows.iterator().next()));
  }

  /** A sitting's applications, newest first, with ids below {@code beforeId} (null: from the newest). */
  public Future<List<Application>> ofSitting(SqlClient db, long sittingId, Long beforeId, int limit) {
    return db.preparedQuery(SQL.get("applicationsOfSitting"))
        .execute(Tuple.wrap(Arrays.asList(sittingId, beforeId, beforeId, limit)))
        .map(rows -> {
          List<Application> out = new ArrayList<>();
          rows.forEach(row -> out.add(Application.from(row)));
          return out;
        });
  }
}
