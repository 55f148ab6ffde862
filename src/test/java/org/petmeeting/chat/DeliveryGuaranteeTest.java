package org.petmeeting.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.support.Await;
import org.petmeeting.support.LogAppend;
import org.petmeeting.support.Db;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;
import org.petmeeting.support.WsClient;

/** The contract's guarantee under concurrency, reconnects and a trimmed log. */
class DeliveryGuaranteeTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  // A short log window, so reconnect syncs must reach into MySQL; a high rate limit so 20
  // senders are not throttled.
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("PM_CHAT_ROOM_LOG_MAX_LEN", "50",
      "PM_LIMITS_SEND_RATE_PER_SECOND", "1000", "PM_LIMITS_SEND_BURST", "1000",
      "PM_LIMITS_REQUEST_RATE_PER_SECOND", "1000", "PM_LIMITS_REQUEST_BURST", "1000"));
  private static final Rest rest = new Rest(server);

  private static User user(String p) {
    return TestUsers.create(server.app().services(), p);
  }

  @Test
  void twentyConcurrentSendersDeliverAThousandMessagesToEveryMemberOnceInSeqOrderAndMysqlHoldsExactlyThem()
      throws Exception {
    int senders = 20;
    int perSender = 50;
    User owner = user("owner");
    List<User> members = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      members.add(user("s" + i));
    }
    long room = rest.groupRoom(owner.token(), "crowd", members.stream().mapToLong(User::id).toArray());
    List<WsClient> listeners = new ArrayList<>();
    listeners.add(WsClient.authenticated(server.port(), owner.token()));
    List<WsClient> senderConns = new ArrayList<>();
    for (User m : members) {
      senderConns.add(WsClient.authenticated(server.port(), m.token()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      List<Future<List<Long>>> acks = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        WsClient c = senderConns.get(s);
        int sender = s;
        acks.add(pool.submit(() -> {
          List<Long> seqs = new ArrayList<>();
          for (int i = 0; i < perSender; i++) {
            JsonObject ack = c.request(new JsonObject().put("type", "send").put("room", room)
                .put("cid", "s" + sender + "-" + i).put("text", "message " + i + " of " + sender));
            assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
            seqs.add(ack.getLong("seq"));
          }
          return seqs;
        }));
      }
      Set<Long> acked = new HashSet<>();
      for (Future<List<Long>> f : acks) {
        acked.addAll(f.get());
      }
      int total = senders * perSender;
      assertThat(acked).hasSize(total);
      List<WsClient> everyone = new ArrayList<>(listeners);
      everyone.addAll(senderConns);
      for (WsClient c : everyone) {
        List<JsonObject> got = c.collect("message", total, WAIT);
        List<Long> seqs = got.stream().map(m -> m.getLong("seq")).toList();
        for (int i = 0; i < seqs.size(); i++) {
          assertThat(seqs.get(i)).as("delivery %d on one connection", i).isEqualTo(i + 1L);
        }
        assertThat(c.drain()).noneMatch(f -> "message".equals(f.getString("type")));
      }
      List<String> stored = Await.poll(WAIT, () -> io.vertx.core.Future.succeededFuture(
          Db.count(server.app().services(), room) == total ? Db.messages(server.app().services(), room) : null));
      assertThat(stored).hasSize(total);
      for (int i = 0; i < total; i++) {
        assertThat(stored.get(i)).startsWith((i + 1) + ":");
      }
    } finally {
      pool.shutdownNow();
      listeners.forEach(WsClient::close);
      senderConns.forEach(WsClient::close);
    }
  }

  @Test
  void aClientThatMissedThreeHundredMessagesGetsExactlyThoseThroughSyncEvenFromBelowTheTrimmedLog() {
    User a = user("a");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    long last;
    try (WsClient b1 = WsClient.authenticated(server.port(), b.token());
         WsClient a1 = WsClient.authenticated(server.port(), a.token())) {
      a1.request(new JsonObject().put("type", "send").put("room", room).put("cid", "first").put("text", "seen"));
      last = b1.next("message").getLong("seq");
    }
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token())) {
      for (int i = 0; i < 300; i++) {
        a1.request(new JsonObject().put("type", "send").put("room", room).put("cid", "missed-" + i).put("text", "m" + i));
      }
    }
    // The log keeps about 50: most of the 300 must come from MySQL once the worker stored them.
    Await.poll(WAIT, () -> io.vertx.core.Future.succeededFuture(Db.count(server.app().services(), room) == 301 ? true : null));
    try (WsClient b2 = WsClient.authenticated(server.port(), b.token());
         WsClient a2 = WsClient.authenticated(server.port(), a.token())) {
      // Sent after b2 connected and before it syncs: it comes live, and the sync must not repeat it.
      long liveSeq = a2.request(new JsonObject().put("type", "send").put("room", room).put("cid", "live").put("text", "now"))
          .getLong("seq");
      JsonObject live = b2.next("message");
      assertThat(live.getLong("seq")).isEqualTo(liveSeq);
      List<String> cids = new ArrayList<>();
      long after = last;
      boolean more = true;
      while (more) {
        JsonObject s = b2.request(new JsonObject().put("type", "sync").put("room", room).put("after", after));
        assertThat(s.getString("type")).as(s.encode()).isEqualTo("synced");
        for (Object o : s.getJsonArray("messages")) {
          JsonObject m = (JsonObject) o;
          assertThat(m.getLong("seq")).isEqualTo(after + 1);
          after = m.getLong("seq");
          cids.add(m.getString("cid"));
        }
        more = s.getBoolean("more");
      }
      assertThat(cids).hasSize(300);
      for (int i = 0; i < 300; i++) {
        assertThat(cids.get(i)).isEqualTo("missed-" + i);
      }
      assertThat(b2.drain()).noneMatch(f -> "message".equals(f.getString("type")));
    }
  }

  @Test
  void aMessageReadBackFromMysqlIsExactlyTheMessageThatWasPushed() {
    User a = user("a");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    var services = server.app().services();
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token());
         WsClient b1 = WsClient.authenticated(server.port(), b.token())) {
      a1.request(new JsonObject().put("type", "send").put("room", room).put("cid", "exact")
          .put("text", "h\u00e9llo \"you\"\n\\ \uD83D\uDC36 'quoted'").put("meta", new JsonObject().put("sitting", 5).put("k", "v")));
      JsonObject pushed = b1.next("message");
      Await.poll(WAIT, () -> io.vertx.core.Future.succeededFuture(Db.count(services, room) == 1 ? true : null));
      // Without the Redis log, a sync can only answer from MySQL. (A new connection: b1 got the
      // message live, so its syncs stop before it.)
      Await.result(services.redis().redis().send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEL)
          .arg(RoomKeys.log(room))));
      try (WsClient b2 = WsClient.authenticated(server.port(), b.token())) {
        JsonObject synced = b2.request(new JsonObject().put("type", "sync").put("room", room).put("after", 0));
        assertThat(synced.getJsonArray("messages")).hasSize(1);
        assertThat(synced.getJsonArray("messages").getJsonObject(0)).isEqualTo(pushed);
      }
    }
  }

  @Test
  void aMessageWhoseDeliveryEventWasLostStillArrivesThroughTheHeadCheck() {
    User a = user("a");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    try (WsClient b1 = WsClient.authenticated(server.port(), b.token())) {
      // Appended to the log without any delivery event, as if the event bus had dropped it.
      var appended = Await.result(LogAppend.append(server.app().services().chat().log(), room, a.id(), "lost-event", "hello", null, "text"));
      JsonObject m = b1.next("message");
      assertThat(m.getLong("seq")).isEqualTo(appended.seq());
      assertThat(m.getString("cid")).isEqualTo("lost-event");
    }
  }

  @Test
  void readMarksAndTheSendersOwnMarkAreWrittenBehindToMysql() {
    User a = user("a");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token());
         WsClient b1 = WsClient.authenticated(server.port(), b.token())) {
      a1.request(new JsonObject().put("type", "send").put("room", room).put("cid", "r1").put("text", "one"));
      long seq = a1.request(new JsonObject().put("type", "send").put("room", room).put("cid", "r2").put("text", "two"))
          .getLong("seq");
      b1.request(new JsonObject().put("type", "read").put("room", room).put("seq", 1));
      var pool = server.app().services().db().primary();
      String marks = Await.poll(WAIT, () -> pool.preparedQuery(
              "SELECT GROUP_CONCAT(user_id, '=', read_seq ORDER BY user_id) FROM room_members WHERE room_id = ?")
          .execute(io.vertx.sqlclient.Tuple.of(room)).map(rows -> {
            String v = rows.iterator().next().getString(0);
            return v.equals(a.id() + "=" + seq + "," + b.id() + "=1") ? v : null;
          }));
      assertThat(marks).isEqualTo(a.id() + "=" + seq + "," + b.id() + "=1");
    }
  }

  @Test
  void presenceIsPushedToUsersWhoShareARoom() {
    User a = user("a");
    User b = user("b");
    rest.directRoom(a.token(), b.id());
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token())) {
      WsClient b1 = WsClient.authenticated(server.port(), b.token());
      JsonObject online = a1.next("presence");
      assertThat(online.getLong("user")).isEqualTo(b.id());
      assertThat(online.getBoolean("online")).isTrue();
      b1.close();
      JsonObject offline = a1.next("presence");
      assertThat(offline.getLong("user")).isEqualTo(b.id());
      assertThat(offline.getBoolean("online")).isFalse();
      assertThat(offline.getString("lastSeen")).isNotBlank();
    }
  }
}
