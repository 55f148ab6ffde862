package org.petmeeting.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.petmeeting.Services;
import org.petmeeting.support.Await;
import org.petmeeting.support.Db;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestEnv;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;
import org.petmeeting.support.WsClient;

/**
 * Redis loses a room (its seq, epoch and log keys) while members are connected: the room restarts
 * under a new epoch from MySQL's highest persisted seq, and open connections follow it (PROTOCOL.md,
 * "A new epoch on an open connection") without stalling behind a gap or getting a seq twice
 * within an epoch.
 */
class EpochRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  /** A Redis database of its own: the test deletes room keys and its worker persists its rooms. */
  private static final String REDIS = TestEnv.env("PM_TEST_REDIS_EPOCH", "redis://127.0.0.1:16379/5");

  @Test
  void aMessageSentAfterRedisLostTheRoomArrivesUnderANewEpochWithTheNextSeq() {
    // No head check during the test: the first send after the loss is what restarts the room.
    try (TestServer server = TestServer.start(Map.of("PM_REDIS_ENDPOINTS", REDIS,
        "PM_CHAT_HEAD_CHECK_INTERVAL_MS", "600000"))) {
      Services s = server.app().services();
      User a = TestUsers.create(s, "ep-a");
      User b = TestUsers.create(s, "ep-b");
      long room = new Rest(server).directRoom(a.token(), b.id());
      try (WsClient wa = WsClient.authenticated(server.port(), a.token());
           WsClient wb = WsClient.authenticated(server.port(), b.token())) {
        String before = sendThreeAndLoseTheRoom(s, room, wa, wb);

        JsonObject ack = wa.request(send(room, "after-1"));
        assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
        assertThat(ack.getLong("seq")).as("the sequence goes on from MySQL's highest seq").isEqualTo(4);
        String after = epochInRedis(s, room);
        assertThat(after).isNotBlank().isNotEqualTo(before);
        assertThat(wa.request(send(room, "after-2")).getLong("seq")).isEqualTo(5);

        for (WsClient c : List.of(wa, wb)) {
          JsonObject m4 = nextMessage(c, room);
          assertThat(m4.getLong("seq")).isEqualTo(4);
          assertThat(m4.getString("epoch")).isEqualTo(after);
          assertThat(m4.getString("cid")).isEqualTo("after-1");
          JsonObject m5 = nextMessage(c, room);
          assertThat(m5.getLong("seq")).isEqualTo(5);
          assertThat(m5.getString("epoch")).isEqualTo(after);
          assertThat(roomMessages(c.drain(), room)).as("nothing repeated").isEmpty();
        }

        // A client that reconnects with the old epoch is told to reload.
        JsonObject synced = wb.request(new JsonObject().put("type", "sync").put("room", room).put("after", 3)
            .put("epoch", before));
        assertThat(synced.getBoolean("reset")).as(synced.encode()).isTrue();
        assertThat(synced.getString("epoch")).isEqualTo(after);
        assertThat(synced.getLong("head")).isEqualTo(5);
      }
    }
  }

  @Test
  void theHeadCheckAnnouncesTheNewEpochWithTheNewestMessageOnceAndTheStreamGoesOn() {
    try (TestServer server = TestServer.start(Map.of("PM_REDIS_ENDPOINTS", REDIS,
        "PM_CHAT_HEAD_CHECK_INTERVAL_MS", "100"))) {
      Services s = server.app().services();
      User a = TestUsers.create(s, "hc-a");
      User b = TestUsers.create(s, "hc-b");
      long room = new Rest(server).directRoom(a.token(), b.id());
      try (WsClient wa = WsClient.authenticated(server.port(), a.token());
           WsClient wb = WsClient.authenticated(server.port(), b.token())) {
        String before = sendThreeAndLoseTheRoom(s, room, wa, wb);

        // Nobody sends: the head check finds the restarted room and pushes its newest message
        // under the new epoch, so that the client learns it.
        for (WsClient c : List.of(wa, wb)) {
          JsonObject announced = nextMessage(c, room);
          String after = epochInRedis(s, room);
          assertThat(after).isNotBlank().isNotEqualTo(before);
          assertThat(announced.getLong("seq")).isEqualTo(3);
          assertThat(announced.getString("epoch")).as("the push carries the new epoch").isEqualTo(after);
        }
        String after = epochInRedis(s, room);

        JsonObject ack = wa.request(send(room, "after-1"));
        assertThat(ack.getLong("seq")).isEqualTo(4);
        for (WsClient c : List.of(wa, wb)) {
          JsonObject next = nextMessage(c, room);
          assertThat(next.getLong("seq")).as("the message after the announcement, not a repeat of it: %s", next)
              .isEqualTo(4);
          assertThat(next.getString("epoch")).isEqualTo(after);
        }
      }
    }
  }

  @Test
  void messagesOfTheNewEpochArriveThoughTheConnectionDeliveredTheirSeqsUnderTheOldOne() {
    try (TestServer server = TestServer.start(Map.of("PM_REDIS_ENDPOINTS", REDIS,
        "PM_CHAT_HEAD_CHECK_INTERVAL_MS", "600000"))) {
      Services s = server.app().services();
      User a = TestUsers.create(s, "un-a");
      User b = TestUsers.create(s, "un-b");
      long room = new Rest(server).directRoom(a.token(), b.id());
      try (WsClient wa = WsClient.authenticated(server.port(), a.token());
           WsClient wb = WsClient.authenticated(server.port(), b.token())) {
        String before = epochInRedis(s, room);
        sendAndReceive(room, wa, wb, 1, 3, before);
        Await.poll(WAIT, () -> Future.succeededFuture(Db.count(s, room) == 3 ? true : null));
        // Seqs 4 and 5 are delivered but never reach MySQL before Redis loses the room.
        Await.result(s.vertx().undeploy(server.app().deploymentId(
            org.petmeeting.persistence.PersistenceWorkerVerticle.class)));
        sendAndReceive(room, wa, wb, 4, 5, before);
        Await.result(s.redis().redis().send(Request.cmd(Command.DEL)
            .arg(RoomKeys.seq(room)).arg(RoomKeys.epoch(room)).arg(RoomKeys.log(room))));

        assertThat(wa.request(send(room, "after-1")).getLong("seq")).as("restarted from MySQL's 3").isEqualTo(4);
        assertThat(wa.request(send(room, "after-2")).getLong("seq")).isEqualTo(5);
        assertThat(wa.request(send(room, "after-3")).getLong("seq")).isEqualTo(6);
        String after = epochInRedis(s, room);
        assertThat(after).isNotBlank().isNotEqualTo(before);
        for (WsClient c : List.of(wa, wb)) {
          for (int seq = 4; seq <= 6; seq++) {
            JsonObject m = nextMessage(c, room);
            assertThat(m.getLong("seq")).as(m.encode()).isEqualTo(seq);
            assertThat(m.getString("epoch")).isEqualTo(after);
            assertThat(m.getString("cid")).isEqualTo("after-" + (seq - 3));
          }
          assertThat(roomMessages(c.drain(), room)).as("nothing repeated").isEmpty();
        }
      } finally {
        // The old epoch's 4 and 5 wait in the persist stream for a worker that is gone; the next
        // run's worker must not meet them.
        dropPersistEntries(s, room);
      }
    }
  }

  private static void sendAndReceive(long room, WsClient wa, WsClient wb, int first, int last, String epoch) {
    for (int i = first; i <= last; i++) {
      JsonObject ack = wa.request(send(room, "before-" + i));
      assertThat(ack.getLong("seq")).as(ack.encode()).isEqualTo(i);
    }
    for (WsClient c : List.of(wa, wb)) {
      for (int i = first; i <= last; i++) {
        JsonObject m = nextMessage(c, room);
        assertThat(m.getLong("seq")).isEqualTo(i);
        assertThat(m.getString("epoch")).isEqualTo(epoch);
      }
    }
  }

  private static void dropPersistEntries(Services s, long room) {
    String stream = RoomKeys.persist(room, s.config().chat().persistPartitions());
    Response entries = Await.result(s.redis().redis().send(Request.cmd(Command.XRANGE).arg(stream).arg("-").arg("+")));
    for (Response entry : entries) {
      Response fields = entry.get(1);
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        if ("room".equals(fields.get(i).toString()) && Long.toString(room).equals(fields.get(i + 1).toString())) {
          Await.result(s.redis().redis().send(Request.cmd(Command.XDEL).arg(stream).arg(entry.get(0).toString())));
        }
      }
    }
  }

  /**
   * Sends seqs 1..3, checks both connections got them, waits until MySQL holds them and deletes
   * the room's keys in Redis, as a Redis that lost its data would. Returns the epoch before.
   */
  private static String sendThreeAndLoseTheRoom(Services s, long room, WsClient wa, WsClient wb) {
    String before = epochInRedis(s, room);
    sendAndReceive(room, wa, wb, 1, 3, before);
    Await.poll(WAIT, () -> Future.succeededFuture(Db.count(s, room) == 3 ? true : null));
    Await.result(s.redis().redis().send(Request.cmd(Command.DEL)
        .arg(RoomKeys.seq(room)).arg(RoomKeys.epoch(room)).arg(RoomKeys.log(room))));
    return before;
  }

  private static String epochInRedis(Services s, long room) {
    Response r = Await.result(s.redis().redis().send(Request.cmd(Command.GET).arg(RoomKeys.epoch(room))));
    return r == null ? null : r.toString();
  }

  private static JsonObject send(long room, String cid) {
    return new JsonObject().put("type", "send").put("room", room).put("cid", cid).put("text", "text of " + cid);
  }

  private static JsonObject nextMessage(WsClient c, long room) {
    return c.next(f -> "message".equals(f.getString("type")) && f.getLong("room") == room, WAIT);
  }

  private static List<JsonObject> roomMessages(List<JsonObject> frames, long room) {
    return frames.stream().filter(f -> "message".equals(f.getString("type")) && f.getLong("room") == room).toList();
  }
}
