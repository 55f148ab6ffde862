package org.petmeeting.support;

import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.petmeeting.Services;

/**
 * Users made straight in the database, with tokens from the server's own issuer, for tests of the
 * chat side that should not depend on the sign-up flow.
 */
public final class TestUsers {
  private TestUsers() {}

  public record User(long id, String name, String token) {}

  public static User create(Services services, String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    long id = Await.result(services.db().primary()
        .preparedQuery("INSERT INTO users (username, password_hash, display_name) VALUES (?, 'not-a-hash', ?)")
        .execute(Tuple.of(name, name))
        .map(r -> r.property(io.vertx.mysqlclient.MySQLClient.LAST_INSERTED_ID)));
    return new User(id, name, services.tokens().issue(id, name));
  }
}
