package org.petmeeting.db;

import io.vertx.sqlclient.DatabaseException;

/** Recognises the database errors that REST answers translate (a unique key taken: 409). */
public final class DbErrors {
  private static final int ER_DUP_ENTRY = 1062;

  private DbErrors() {}

  public static boolean isDuplicateKey(Throwable err) {
    return err instanceof DatabaseException d && d.getErrorCode() == ER_DUP_ENTRY;
  }
}
