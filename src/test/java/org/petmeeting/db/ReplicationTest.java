package org.petmeeting.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.petmeeting.config.AppConfig;
import org.petmeeting.support.Await;
import org.petmeeting.support.TestEnv;

/** The replica pool reads what the primary pool wrote: replication is real, not a README claim. */
@ExtendWith(VertxExtension.class)
class ReplicationTest {
  private static Databases db;

  @BeforeAll
  static void start(Vertx vertx) {
    AppConfig config = TestEnv.config();
    Await.result(Migrations.run(vertx, config.db().primary()));
    db = Databases.create(vertx, config.db());
    Await.result(db.start());
  }

  @AfterAll
  static void stop() {
    Await.result(db.close());
  }

  @Test
  void aRowWrittenThroughThePrimaryIsReadBackThroughTheReplica() {
    String name = "repl-" + UUID.randomUUID().toString().substring(0, 12);
    Await.result(db.primary()
        .preparedQuery("INSERT INTO users (username, password_hash, display_name) VALUES (?, 'x', 'Replica check')")
        .execute(Tuple.of(name)));

    String seen = Await.poll(Duration.ofSeconds(20), () -> db.replicaPool()
        .preparedQuery("SELECT username FROM users WHERE username = ?").execute(Tuple.of(name))
        .map(rows -> rows.size() == 1 ? rows.iterator().next().getString(0) : null));

    assertThat(seen).isEqualTo(name);
  }

  @Test
  void aHealthyReplicaIsChosenForReads() {
    Await.poll(Duration.ofSeconds(20), () -> db.replicaAwareReads().check()
        .map(v -> db.replicaAwareReads().replicaUsable() ? Boolean.TRUE : null));
    assertThat(db.reads()).isSameAs(db.replicaPool());
    assertThat(db.replicaAwareReads().lagMs()).isBetween(0L, 5000L);
  }
}
