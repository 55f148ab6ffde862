package org.petmeeting.sittings;

import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.petmeeting.accounts.UserRef;
import org.petmeeting.db.Sql;

/**
 * The sittings and sitting_pets tables. A sitting is read with its owner and pets in one query
 * (one row per pet), so a page of sittings costs one round trip. Each method takes the client to
 * run on: a pool of the caller's choice or a transaction.
 */
public final class SittingStore {
  private static final Sql SQL = Sql.load("sittings");

  /** The list filters; null means "any". Sittings overlapping {@code from..to} match. */
  public record Filter(String city, String species, LocalDate from, LocalDate to) {}

  /** Inserts a sitting (its id, owner name, status and time are ignored) with its pets; returns the id. */
  public Future<Long> insert(SqlClient tx, Sitting s) {
    return tx.preparedQuery(SQL.get("insertSitting"))
        .execute(Tuple.of(s.owner().id(), s.city(), s.startDate(), s.endDate(), s.reward(),
            String.join(",", s.housingTypes()), s.text()))
        .map(r -> (long) r.property(MySQLClient.LAST_INSERTED_ID))
        .compose(id -> insertPets(tx, id, s.pets()).map(id));
  }

  /** The owner of the sitting, locking its row for the rest of the transaction; null when there is none. */
  public Future<Long> lockOwner(SqlClient tx, long id) {
    return tx.preparedQuery(SQL.get("lockSitting")).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("owner_id"));
  }

  public Future<Sitting> byId(SqlClient db, long id) {
    return db.preparedQuery(SQL.get("sittingById")).execute(Tuple.of(id)).map(rows -> {
      List<Sitting> found = assemble(rows);
      return found.isEmpty() ? null : found.get(0);
    });
  }

  /** Open sittings matching the filter, newest first, with ids below {@code beforeId} (null: from the newest). */
  public Future<List<Sitting>> list(SqlClient db, Filter f, Long beforeId, int limit) {
    return db.preparedQuery(SQL.get("listSittings"))
        .execute(Tuple.wrap(Arrays.asList(f.city(), f.city(), f.from(), f.from(), f.to(), f.to(),
            beforeId, beforeId, f.species(), f.species(), limit)))
        .map(SittingStore::assemble);
  }

  /** Writes every field of {@code s}; with {@code replacePets}, its pets too. */
  public Future<Void> update(SqlClient tx, Sitting s, boolean replacePets) {
    Future<Void> updated = tx.preparedQuery(SQL.get("updateSitting"))
        .execute(Tuple.wrap(Arrays.asList(s.city(), s.startDate(), s.endDate(), s.reward(),
            String.join(",", s.housingTypes()), s.text(), s.status(), s.id())))
        .mapEmpty();
    if (!replacePets) {
      return updated;
    }
    return updated
        .compose(v -> tx.preparedQuery(SQL.get("deleteSittingPets")).execute(Tuple.of(s.id())))
        .compose(v -> insertPets(tx, s.id(), s.pets()));
  }

  public Future<Void> delete(SqlClient tx, long id) {
    return tx.preparedQuery(SQL.get("deleteSitting")).execute(Tuple.of(id)).mapEmpty();
  }

  private static Future<Void> insertPets(SqlClient tx, long sittingId, List<Sitting.PetRef> pets) {
    List<Tuple> rows = new ArrayList<>();
    for (Sitting.PetRef pet : pets) {
      rows.add(Tuple.of(sittingId, pet.id()));
    }
    return tx.preparedQuery(SQL.get("insertSittingPet")).executeBatch(rows).mapEmpty();
  }

  /** Folds one-row-per-pet results into sittings, keeping the query's order. */
  private static List<Sitting> assemble(Iterable<Row> rows) {
    Map<Long, Sitting> out = new LinkedHashMap<>();
    for (Row row : rows) {
      Sitting s = out.computeIfAbsent(row.getLong("id"), id -> new Sitting(id,
          new UserRef(row.getLong("owner_id"), row.getString("owner_name")),
          new ArrayList<>(),
          row.getString("city"),
          row.getLocalDate("start_date"),
          row.getLocalDate("end_date"),
          row.getString("reward"),
          List.of(row.getString("housing_types").split(",")),
          row.getString("text"),
          row.getString("status"),
          Instant.ofEpochMilli(row.getLong("created_ms"))));
      Long petId = row.getLong("pet_id");
      if (petId != null) {
        s.pets().add(new Sitting.PetRef(petId, row.getString("pet_name"), row.getString("pet_species")));
      }
    }
    return List.copyOf(out.values());
  }
}
