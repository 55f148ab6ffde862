package org.petmeeting.accounts;

import io.vertx.sqlclient.Row;

/** A user as the REST API shows it; {@code name} is the display name. */
public record UserView(long id, String username, String name, String city, String bio, String avatarUrl) {
  static UserView from(Row row) {
    return new UserView(row.getLong("id"), row.getString("username"), row.getString("display_name"),
        row.getString("city"), row.getString("bio"), row.getString("avatar_url"));
  }
}
