package org.petmeeting.pets;

import io.vertx.sqlclient.Row;
import java.util.List;

/** A pet as stored and as the REST API shows it. */
public record Pet(long id, long ownerId, String name, String species, String breed, Integer birthYear, String gender,
                  String description, String photoUrl) {
  public static final List<String> SPECIES = List.of("dog", "cat", "bird", "rabbit", "rodent", "reptile", "fish", "other");
  public static final List<String> GENDERS = List.of("male", "female", "unknown");

  static Pet from(Row row) {
    return new Pet(row.getLong("id"), row.getLong("owner_id"), row.getString("name"), row.getString("species"),
        row.getString("breed"), row.getInteger("birth_year"), row.getString("gender"), row.getString("description"),
        row.getString("photo_url"));
  }
}
