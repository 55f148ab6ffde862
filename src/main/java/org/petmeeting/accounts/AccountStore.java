package org.petmeeting.accounts;

import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.petmeeting.db.Sql;

/** The users table. Each method takes the client to run on: a pool of the caller's choice or a transaction. */
public final class AccountStore {
  private static final Sql SQL = Sql.load("accounts");

  /** A user with their password hash, for log-in only. */
  public record Credentials(UserView user, String passwordHash) {}

  public Future<Long> insert(SqlClient db, String username, String passwordHash, String displayName) {
    return db.preparedQuery(SQL.get("insertUser")).execute(Tuple.of(username, passwordHash, displayName))
        .map(r -> r.property(MySQLClient.LAST_INSERTED_ID));
  }

  /** The user with this name, compared regardless of case (the column's collation), or null. */
  public Future<Credentials> credentials(SqlClient db, String username) {
    return db.preparedQuery(SQL.get("credentialsByUsername")).execute(Tuple.of(username))
        .map(rows -> {
          Row row = first(rows);
          return row == null ? null : new Credentials(UserView.from(row), row.getString("password_hash"));
        });
  }

  public Future<UserView> byId(SqlClient db, long id) {
    return db.preparedQuery(SQL.get("userById")).execute(Tuple.of(id)).map(rows -> view(first(rows)));
  }

  public Future<UserView> byIdForUpdate(SqlClient tx, long id) {
    return tx.preparedQuery(SQL.get("userByIdForUpdate")).execute(Tuple.of(id)).map(rows -> view(first(rows)));
  }

  public Future<Void> updateProfile(SqlClient db, UserView user) {
    return db.preparedQuery(SQL.get("updateProfile"))
        .execute(Tuple.of(user.name(), user.city(), user.bio(), user.avatarUrl(), user.id()))
        .mapEmpty();
  }

  private static UserView view(Row row) {
    return row == null ? null : UserView.from(row);
  }

  private static Row first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : rows.iterator().next();
  }
}
