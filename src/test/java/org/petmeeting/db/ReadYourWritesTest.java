package org.petmeeting.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.Services;
import org.petmeeting.support.Await;
import org.petmeeting.support.TestServer;

/** A user who just wrote reads from the primary; everyone else keeps reading from the healthy replica. */
class ReadYourWritesTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void aUsersReadsGoToThePrimaryRightAfterTheyWroteAndOthersStayOnTheReplica() {
    Services services = server.app().services();
    Databases db = services.db();
    ReadYourWrites rw = new ReadYourWrites(db, services.redis().api(), services.config().db().replica());
    // Ids no real user has, so that no marker of another test is in the way.
    long writer = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
    long reader = writer + 1;
    Await.poll(Duration.ofSeconds(30), () -> rw.poolFor(reader).map(p -> p == db.replicaPool() ? p : null));

    assertThat(Await.result(rw.poolFor(writer))).isSameAs(db.replicaPool());
    Await.result(rw.wrote(writer));
    assertThat(Await.result(rw.poolFor(writer))).isSameAs(db.primary());
    assertThat(Await.result(rw.poolFor(reader))).isSameAs(db.replicaPool());

    long ttl = Await.result(services.redis().api().pttl(ReadYourWrites.key(writer))).toLong();
    assertThat(ttl).isBetween(1L, rw.markerMs());
    // The marker outlives the worst lag at which the replica is still used.
    assertThat(rw.markerMs()).isGreaterThan(services.config().db().replica().maxLagSeconds() * 1000L);
    Await.result(services.redis().api().del(List.of(ReadYourWrites.key(writer))));
  }
}
