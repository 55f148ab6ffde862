package org.petmeeting.sittings;

import io.vertx.sqlclient.Row;
import java.time.Instant;
import org.petmeeting.accounts.UserRef;

/** An application to look after the pets of a sitting, with the direct room where the two sides talk. */
public record Application(long id, long sittingId, UserRef applicant, String motivation, int experienceCount,
                          String housingType, long roomId, Instant createdAt) {
  static Application from(Row row) {
    return new Application(row.getLong("id"), row.getLong("sitting_id"),
        new UserRef(row.getLong("applicant_id"), row.getString("applicant_name")),
        row.getString("motivation"), row.getInteger("experience_count"), row.getString("housing_type"),
        row.getLong("room_id"), Instant.ofEpochMilli(row.getLong("created_ms")));
  }
}
