package org.petmeeting.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.petmeeting.support.Await;
import org.petmeeting.support.TestServer;

/**
 * A short run of the load tool, against the durable server and against the reference server:
 * proves the tool's accounting end to end (every acked message reaches every member of its room
 * once, in order). Timings are recorded, never asserted: those are benchmarks (docs/benchmarks.md).
 */
class LoadToolTest {

  private static LoadConfig config(String url, String... more) {
    String[] base = {"--url", url, "--clients", "20", "--rooms", "6", "--ramp-up", "1", "--warmup", "1",
        "--duration", "5", "--drain", "30", "--event-loops", "2"};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return LoadConfig.parse(all);
  }

  private static void assertEveryMessageAccountedFor(Report r) {
    assertThat(r.problems()).isEmpty();
    assertThat(r.ok()).isTrue();
    assertThat(r.connections().connected()).isEqualTo(20);
    assertThat(r.connections().failed()).isZero();
    Report.Accounting a = r.accounting();
    assertThat(a.ackedMessages()).isPositive();
    assertThat(a.lost()).isZero();
    assertThat(a.duplicated()).isZero();
    assertThat(a.outOfOrder()).isZero();
    assertThat(a.sendsNeverAcked()).isZero();
    assertThat(a.unackedDelivered()).isZero();
    assertThat(a.deliveredUnique()).isEqualTo(a.expectedDeliveries());
    assertThat(r.errors()).isEmpty();
    assertThat(r.sendToDeliver().count()).isPositive();
  }

  @Test
  void aRunAgainstTheDurableServerDeliversEveryAckedMessageToEveryMemberOnceInOrder() throws Exception {
    try (TestServer server = TestServer.start(Map.of())) {
      // Groups of 4: each message reaches 4 connections. 60 msg/s over 20 clients stays under the
      // server's default limit of 20 sends per second per connection.
      Report r = new LoadTool(config(server.url(""), "--room-size", "4", "--rate", "60")).run();
      assertEveryMessageAccountedFor(r);
      assertThat(r.accounting().expectedDeliveries()).isEqualTo(r.accounting().ackedMessages() * 4);
      // The durable server reports its persistence backlog; after the drain MariaDB has caught up
      // with a run this small, or is about to (the gauge lags by up to a second).
      assertThat(r.persistBacklog()).isNotNull();
      assertThat(r.persistBacklog().afterDrain()).isBetween(0L, r.accounting().ackedMessages());
    }
  }

  @Test
  void aClosedLoopRunAgainstTheReferenceServerAccountsForEveryMessageToo() throws Exception {
    ReferenceServer ref = Await.result(ReferenceServer.start("127.0.0.1", 0, 2));
    try {
      Report r = new LoadTool(config("http://127.0.0.1:" + ref.port(), "--room-size", "2", "--window", "2",
          "--duration", "3")).run();
      assertEveryMessageAccountedFor(r);
      assertThat(r.accounting().expectedDeliveries()).isEqualTo(r.accounting().ackedMessages() * 2);
      // No persistence there, so no backlog figure.
      assertThat(r.persistBacklog()).isNull();
    } finally {
      Await.result(ref.close());
    }
  }

  @Test
  void thePersistBacklogIsReadFromThePrometheusText() {
    String text = "# HELP pm_persist_backlog ...\n# TYPE pm_persist_backlog gauge\npm_persist_backlog 1234.0\n"
        + "pm_persist_backlog_other 9.0\n";
    assertThat(PersistBacklog.parse(text)).isEqualTo(1234);
    assertThat(PersistBacklog.parse("pm_messages_in_total 5.0\n")).isEqualTo(-1);
  }

  @Test
  void directRoomsPairClientsWithoutRepeatingAPair() {
    for (int clients : new int[] {2, 3, 4, 7, 10}) {
      java.util.Set<java.util.Set<Integer>> pairs = new java.util.HashSet<>();
      for (int r = 0; r < clients * (clients - 1) / 2; r++) {
        int[] m = Provisioning.members(r, clients, 2);
        assertThat(m[0]).isNotEqualTo(m[1]);
        assertThat(pairs.add(java.util.Set.of(m[0], m[1]))).as("room %d of %d clients", r, clients).isTrue();
      }
    }
  }
}
