package org.petmeeting.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.petmeeting.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Flyway migrations over JDBC, run once at start-up on a worker thread, never on an event loop. */
public final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  public static Future<Integer> run(Vertx vertx, AppConfig.Database primary) {
    return vertx.executeBlocking(() -> migrate(primary), false);
  }

  static int migrate(AppConfig.Database d) throws Exception {
    String server = "jdbc:mariadb://" + d.host() + ":" + d.port() + "/";
    // The database name was validated as [A-Za-z0-9_], so it is safe to quote into DDL.
    try (Connection c = DriverManager.getConnection(server, d.user(), d.password());
         Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS `" + d.database() + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }
    Flyway flyway = Flyway.configure()
        .dataSource(server + d.database(), d.user(), d.password())
        .locations("classpath:db/migration")
        .load();
    int applied = flyway.migrate().migrationsExecuted;
    log.info("schema migrations: {} applied", applied);
    return applied;
  }
}
