package org.petmeeting.pets;

import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.petmeeting.db.Sql;

/** The pets table. Each method takes the client to run on: a pool of the caller's choice or a transaction. */
public final class PetStore {
  private static final Sql SQL = Sql.load("pets");

  /** Inserts a pet (its id is ignored) and returns the new id. */
  public Future<Long> insert(SqlClient db, Pet pet) {
    return db.preparedQuery(SQL.get("insertPet"))
        .execute(Tuple.of(pet.ownerId(), pet.name(), pet.species(), pet.breed(), pet.birthYear(), pet.gender(),
            pet.description(), pet.photoUrl()))
        .map(r -> r.property(MySQLClient.LAST_INSERTED_ID));
  }

  public Future<Pet> byId(SqlClient db, long id) {
    return db.preparedQuery(SQL.get("petById")).execute(Tuple.of(id)).map(PetStore::first);
  }

  public Future<Pet> byIdForUpdate(SqlClient tx, long id) {
    return tx.preparedQuery(SQL.get("petByIdForUpdate")).execute(Tuple.of(id)).map(PetStore::first);
  }

  public Future<List<Pet>> ofOwner(SqlClient db, long ownerId) {
    return db.preparedQuery(SQL.get("petsOfOwner")).execute(Tuple.of(ownerId)).map(rows -> {
      List<Pet> out = new ArrayList<>();
      rows.forEach(row -> out.add(Pet.from(row)));
      return out;
    });
  }

  public Future<Void> update(SqlClient db, Pet pet) {
    return db.preparedQuery(SQL.get("updatePet"))
        .execute(Tuple.of(pet.name(), pet.species(), pet.breed(), pet.birthYear(), pet.gender(), pet.description(),
            pet.photoUrl(), pet.id()))
        .mapEmpty();
  }

  public Future<Void> delete(SqlClient db, long id) {
    return db.preparedQuery(SQL.get("deletePet")).execute(Tuple.of(id)).mapEmpty();
  }

  private static Pet first(Iterable<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Pet.from(it.next()) : null;
  }
}
