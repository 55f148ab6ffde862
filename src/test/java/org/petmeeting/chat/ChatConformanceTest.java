package org.petmeeting.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;
import org.petmeeting.support.WsClient;

/** Each request, reply, push, error code and close code of the wire contract. */
class ChatConformanceTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  @RegisterExtension
  static final TestServer server = TestServer.perClass(
      Map.of("PM_LIMITS_AUTH_TIMEOUT_MS", "500", "PM_LIMITS_MAX_FRAME_BYTES", "8192"));
  private static final Rest rest = new Rest(server);

  private static User user(String prefix) {
    return TestUsers.create(server.app().services(), prefix);
  }

  private static JsonObject send(long room, String cid, String text) {
    return new JsonObject().put("type", "send").put("room", room).put("cid", cid).put("text", text);
  }

  @Test
  void authInTheFirstFrameIsAnsweredWithWelcome() {
    User u = user("auth");
    try (WsClient c = WsClient.connect(server.port())) {
      JsonObject w = c.request(new JsonObject().put("type", "auth").put("token", u.token()));
      assertThat(w.getString("type")).isEqualTo("welcome");
      assertThat(w.getJsonObject("user").getLong("id")).isEqualTo(u.id());
      assertThat(w.getJsonObject("user").getString("name")).isEqualTo(u.name());
      assertThat(w.getString("session")).isNotBlank();
      assertThat(w.getInteger("pingIntervalSec")).isEqualTo(25);
      assertThat(w.getInteger("pingTimeoutSec")).isEqualTo(60);
    }
  }

  @Test
  void aConnectionAuthenticatedByHeaderGetsWelcomeFirstWithoutAsking() {
    User u = user("hdr");
    try (WsClient c = WsClient.connect(server.port(), u.token(), null)) {
      JsonObject w = c.next(f -> true, WAIT);
      assertThat(w.getString("type")).isEqualTo("welcome");
      assertThat(w.containsKey("id")).isFalse();
    }
  }

  @Test
  void aBadTokenGetsUnauthorizedThenClose4401() {
    try (WsClient c = WsClient.connect(server.port())) {
      JsonObject e = c.request(new JsonObject().put("type", "auth").put("token", "not.a.jwt"));
      assertThat(e.getString("type")).isEqualTo("error");
      assertThat(e.getString("code")).isEqualTo("unauthorized");
      assertThat(c.awaitClose(WAIT)).isEqualTo((short) 4401);
    }
  }

  @Test
  void noAuthInTimeClosesWith4408() {
    try (WsClient c = WsClient.connect(server.port())) {
      assertThat(c.awaitClose(WAIT)).isEqualTo((short) 4408);
    }
  }

  @Test
  void requestsBeforeAuthAreRefusedAsUnauthorized() {
    try (WsClient c = WsClient.connect(server.port())) {
      JsonObject e = c.request(send(1, "c1", "hi"));
      assertThat(e.getString("code")).isEqualTo("unauthorized");
    }
  }

  @Test
  void aSendIsAckedWithSeqAndPushedToEveryMemberConnectionIncludingTheSendersOthers() {
    User a = user("a");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token());
         WsClient a2 = WsClient.authenticated(server.port(), a.token());
         WsClient b1 = WsClient.authenticated(server.port(), b.token())) {
      JsonObject ack = a1.request(send(room, "c-1", "hello").put("meta", new JsonObject().put("photo", "https://x/y.jpg")));
      assertThat(ack.getString("type")).isEqualTo("ack");
      assertThat(ack.getLong("room")).isEqualTo(room);
      assertThat(ack.getString("cid")).isEqualTo("c-1");
      assertThat(ack.getLong("seq")).isEqualTo(1L);
      assertThat(ack.getString("ts")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
      assertThat(ack.containsKey("duplicate")).isFalse();
      for (WsClient c : List.of(a1, a2, b1)) {
        JsonObject m = c.next("message");
        assertThat(m.getLong("room")).isEqualTo(room);
        assertThat(m.getLong("seq")).isEqualTo(1L);
        assertThat(m.getString("epoch")).isNotBlank();
        assertThat(m.getString("cid")).isEqualTo("c-1");
        assertThat(m.getLong("from")).isEqualTo(a.id());
        assertThat(m.getString("text")).isEqualTo("hello");
        assertThat(m.getJsonObject("meta").getString("photo")).isEqualTo("https://x/y.jpg");
        assertThat(m.getString("kind")).isEqualTo("text");
        assertThat(m.getString("ts")).isEqualTo(ack.getString("ts"));
        assertThat(m.containsKey("id")).isFalse();
      }
    }
  }

  @Test
  void aRetriedCidStoresNothingNewAndGetsTheSameAck() {
    User a = user("a");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token());
         WsClient b1 = WsClient.authenticated(server.port(), b.token())) {
      JsonObject first = a1.request(send(room, "same", "once"));
      JsonObject again = a1.request(send(room, "same", "once"));
      assertThat(again.getLong("seq")).isEqualTo(first.getLong("seq"));
      assertThat(again.getString("ts")).isEqualTo(first.getString("ts"));
      assertThat(again.getBoolean("duplicate")).isTrue();
      JsonObject next = a1.request(send(room, "other", "twice"));
      assertThat(next.getLong("seq")).isEqualTo(first.getLong("seq") + 1);
      List<JsonObject> got = b1.collect("message", 2, WAIT);
      assertThat(got).extracting(m -> m.getString("cid")).containsExactly("same", "other");
      assertThat(b1.drain()).noneMatch(f -> "message".equals(f.getString("type")));
      try (WsClient b2 = WsClient.authenticated(server.port(), b.token())) {
        JsonObject synced = b2.request(new JsonObject().put("type", "sync").put("room", room).put("after", 0));
        assertThat(synced.getJsonArray("messages")).hasSize(2);
      }
    }
  }

  @Test
  void syncReturnsWhatFollowsAfterAndResetsOnAForeignEpoch() {
    User a = user("a");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    try (WsClient writer = WsClient.authenticated(server.port(), a.token())) {
      for (int i = 1; i <= 5; i++) {
        writer.request(send(room, "s" + i, "m" + i));
      }
    }
    // A connection opened after the messages: everything up to its start comes through sync.
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token())) {
      JsonObject s = a1.request(new JsonObject().put("type", "sync").put("room", room).put("after", 2).put("limit", 2));
      assertThat(s.getString("type")).isEqualTo("synced");
      assertThat(s.getLong("head")).isEqualTo(5L);
      assertThat(s.getBoolean("more")).isTrue();
      assertThat(s.getJsonArray("messages").stream().map(o -> ((JsonObject) o).getLong("seq")).toList())
          .containsExactly(3L, 4L);
      String epoch = s.getString("epoch");
      JsonObject same = a1.request(new JsonObject().put("type", "sync").put("room", room).put("after", 4).put("epoch", epoch));
      assertThat(same.containsKey("reset")).isFalse();
      assertThat(same.getJsonArray("messages")).hasSize(1);
      assertThat(same.getBoolean("more")).isFalse();
      JsonObject reset = a1.request(new JsonObject().put("type", "sync").put("room", room).put("after", 4).put("epoch", "old"));
      assertThat(reset.getBoolean("reset")).isTrue();
      assertThat(reset.getJsonArray("messages")).hasSize(5);
      assertThat(reset.getJsonArray("messages").getJsonObject(0).getLong("seq")).isEqualTo(1L);
    }
  }

  @Test
  void aSyncNeverRepeatsWhatTheConnectionPushedLive() {
    User a = user("a");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token())) {
      for (int i = 1; i <= 3; i++) {
        a1.request(send(room, "p" + i, "m" + i));
      }
    }
    try (WsClient b1 = WsClient.authenticated(server.port(), b.token());
         WsClient a2 = WsClient.authenticated(server.port(), a.token())) {
      // b1 began at seq 3; seq 4 comes live before b1, up to date at 3, asks for what follows 3.
      a2.request(send(room, "p4", "m4"));
      assertThat(b1.next("message").getLong("seq")).isEqualTo(4L);
      JsonObject upToDate = b1.request(new JsonObject().put("type", "sync").put("room", room).put("after", 3));
      assertThat(upToDate.getJsonArray("messages")).isEmpty();
      assertThat(upToDate.getLong("head")).isEqualTo(4L);
      assertThat(upToDate.getBoolean("more")).isFalse();
      JsonObject behind = b1.request(new JsonObject().put("type", "sync").put("room", room).put("after", 1));
      assertThat(behind.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getLong("seq")).toList())
          .containsExactly(2L, 3L);
    }
  }

  @Test
  void readIsAnsweredOkAndTheOtherMemberGetsAReceipt() {
    User a = user("a");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token());
         WsClient b1 = WsClient.authenticated(server.port(), b.token())) {
      JsonObject ack = a1.request(send(room, "r1", "read me"));
      b1.next("message");
      JsonObject ok = b1.request(new JsonObject().put("type", "read").put("room", room).put("seq", ack.getLong("seq")));
      assertThat(ok.getString("type")).isEqualTo("ok");
      JsonObject receipt = a1.next("receipt");
      assertThat(receipt.getLong("room")).isEqualTo(room);
      assertThat(receipt.getLong("user")).isEqualTo(b.id());
      assertThat(receipt.getLong("seq")).isEqualTo(ack.getLong("seq"));
      JsonObject beyond = b1.request(new JsonObject().put("type", "read").put("room", room).put("seq", 99));
      assertThat(beyond.getString("code")).isEqualTo("bad_request");
    }
  }

  @Test
  void typingReachesTheOtherMemberOnceInTheThrottleWindow() {
    User a = user("a");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token());
         WsClient b1 = WsClient.authenticated(server.port(), b.token())) {
      a1.send(new JsonObject().put("type", "typing").put("room", room));
      JsonObject t = b1.next("typing");
      assertThat(t.getLong("room")).isEqualTo(room);
      assertThat(t.getLong("user")).isEqualTo(a.id());
      a1.send(new JsonObject().put("type", "typing").put("room", room));
      a1.request(send(room, "after-typing", "x"));
      b1.next("message");
      assertThat(b1.drain()).noneMatch(f -> "typing".equals(f.getString("type")));
      assertThat(a1.drain()).noneMatch(f -> "typing".equals(f.getString("type")));
    }
  }

  @Test
  void pingIsAnsweredWithPong() {
    User a = user("p");
    try (WsClient c = WsClient.authenticated(server.port(), a.token())) {
      assertThat(c.request(new JsonObject().put("type", "ping")).getString("type")).isEqualTo("pong");
    }
  }

  @Test
  void malformedFramesGetBadRequestAndTheConnectionStaysUsable() {
    User a = user("m");
    try (WsClient c = WsClient.authenticated(server.port(), a.token())) {
      c.sendText("this is not json");
      assertThat(c.next("error").getString("code")).isEqualTo("bad_request");
      c.sendBinary(new byte[] {1, 2, 3});
      assertThat(c.next("error").getString("code")).isEqualTo("bad_request");
      c.sendText("[1,2]");
      assertThat(c.next("error").getString("code")).isEqualTo("bad_request");
      JsonObject unknown = c.request(new JsonObject().put("type", "dance"));
      assertThat(unknown.getString("code")).isEqualTo("bad_request");
      JsonObject wrongType = c.request(new JsonObject().put("type", "send").put("room", "twelve").put("cid", "x").put("text", "y"));
      assertThat(wrongType.getString("code")).isEqualTo("bad_request");
      assertThat(wrongType.getString("message")).contains("room");
      JsonObject noText = c.request(new JsonObject().put("type", "send").put("room", 5).put("cid", "x").put("text", ""));
      assertThat(noText.getString("code")).isEqualTo("bad_request");
      JsonObject longCid = c.request(send(5, "x".repeat(65), "y"));
      assertThat(longCid.getString("code")).isIn("bad_request", "too_large");
      c.sendFrame(WebSocketFrame.textFrame("{\"type\":\"ping\"", true));
      assertThat(c.next("error").getString("code")).isEqualTo("bad_request");
      assertThat(c.request(new JsonObject().put("type", "ping")).getString("type")).isEqualTo("pong");
    }
  }

  @Test
  void invalidUtf8GetsBadRequest() {
    User a = user("u8");
    try (WsClient c = WsClient.authenticated(server.port(), a.token())) {
      c.sendFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}), true));
      assertThat(c.next("error").getString("code")).isEqualTo("bad_request");
    }
  }

  @Test
  void tooLongTextAndMetaAreRefusedAsTooLarge() {
    User a = user("big");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    try (WsClient c = WsClient.authenticated(server.port(), a.token())) {
      JsonObject text = c.request(send(room, "t", "x".repeat(4001)));
      assertThat(text.getString("code")).isEqualTo("too_large");
      JsonObject meta = c.request(send(room, "t", "x").put("meta", new JsonObject().put("k", "v".repeat(2100))));
      assertThat(meta.getString("code")).isEqualTo("too_large");
      JsonObject fine = c.request(send(room, "t", "x".repeat(4000)));
      assertThat(fine.getString("type")).isEqualTo("ack");
    }
  }

  @Test
  void aFrameOverTheLimitClosesWith1009() {
    User a = user("huge");
    try (WsClient c = WsClient.authenticated(server.port(), a.token())) {
      c.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(9000) + "\"}");
      assertThat(c.awaitClose(WAIT)).isEqualTo((short) 1009);
    }
  }

  @Test
  void moreThanTenBadFramesInAMinuteCloseWith1008() {
    User a = user("bad");
    try (WsClient c = WsClient.authenticated(server.port(), a.token())) {
      for (int i = 0; i < 11; i++) {
        c.sendText("nope");
      }
      assertThat(c.awaitClose(WAIT)).isEqualTo((short) 1008);
    }
  }

  @Test
  void sendingFasterThanTheRateLimitIsRateLimitedAndFloodingClosesWith4429() {
    User a = user("fast");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    try (WsClient c = WsClient.authenticated(server.port(), a.token())) {
      for (int i = 0; i < 60 && !c.isClosed(); i++) {
        try {
          c.send(send(room, "f" + i, "x").put("id", "f" + i));
        } catch (AssertionError closedMeanwhile) {
          break;
        }
      }
      JsonObject limited = c.next(f -> "rate_limited".equals(f.getString("code")), WAIT);
      assertThat(limited.getLong("retryAfterMs")).isPositive();
      assertThat(c.awaitClose(WAIT)).isEqualTo((short) 4429);
    }
  }

  @Test
  void aForeignOriginIsRefusedWith403AndTheOwnOriginIsAccepted() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WsClient.connect(server.port(), null, "https://evil.example"))
        .hasMessageContaining("403");
    try (WsClient ok = WsClient.connect(server.port(), null, "http://127.0.0.1:" + server.port())) {
      assertThat(ok.request(new JsonObject().put("type", "ping")).getString("type")).isEqualTo("pong");
    }
  }

  @Test
  void aNonMemberCanNeitherSendSyncReadNorLearnWhetherTheRoomExists() {
    User a = user("a");
    User b = user("b");
    User stranger = user("x");
    long room = rest.directRoom(a.token(), b.id());
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token());
         WsClient x = WsClient.authenticated(server.port(), stranger.token())) {
      a1.request(send(room, "secret", "private"));
      long missing = room + 1_000_000;
      for (long r : new long[] {room, missing}) {
        JsonObject s = x.request(send(r, "c", "hi"));
        JsonObject y = x.request(new JsonObject().put("type", "sync").put("room", r).put("after", 0));
        JsonObject rd = x.request(new JsonObject().put("type", "read").put("room", r).put("seq", 1));
        for (JsonObject e : List.of(s, y, rd)) {
          assertThat(e.getString("code")).isEqualTo("forbidden");
          assertThat(e.getString("message")).isEqualTo("not a member of this room");
        }
      }
      HttpResponse<String> hist = rest.call("GET", "/api/v1/rooms/" + room + "/messages", stranger.token(), null);
      HttpResponse<String> none = rest.call("GET", "/api/v1/rooms/" + missing + "/messages", stranger.token(), null);
      assertThat(hist.statusCode()).isEqualTo(403);
      assertThat(none.statusCode()).isEqualTo(403);
      assertThat(hist.body()).isEqualTo(none.body());
      assertThat(x.drain()).noneMatch(f -> "message".equals(f.getString("type")));
    }
  }

  @Test
  void joiningAGroupIsPushedAtOnceAndItsMessagesFollow() {
    User a = user("a");
    User b = user("b");
    User c = user("c");
    long room = rest.groupRoom(a.token(), "walkers", b.id());
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token());
         WsClient c1 = WsClient.authenticated(server.port(), c.token())) {
      a1.request(send(room, "before", "before c joined"));
      rest.ok("POST", "/api/v1/rooms/" + room + "/members", a.token(), new JsonObject().put("userId", c.id()));
      JsonObject joined = c1.next("room");
      assertThat(joined.getLong("room")).isEqualTo(room);
      assertThat(joined.getString("event")).isEqualTo("joined");
      assertThat(joined.getLong("user")).isEqualTo(c.id());
      assertThat(a1.next("room").getString("event")).isEqualTo("joined");
      a1.request(send(room, "after", "after c joined"));
      JsonObject m = c1.next("message");
      assertThat(m.getString("cid")).isEqualTo("after");
      // Leaving stops the pushes and the access.
      HttpResponse<String> left = rest.call("DELETE", "/api/v1/rooms/" + room + "/members/" + c.id(), c.token(), null);
      assertThat(left.statusCode()).isEqualTo(204);
      assertThat(c1.next("room").getString("event")).isEqualTo("left");
      assertThat(c1.request(send(room, "gone", "x")).getString("code")).isEqualTo("forbidden");
    }
  }

  @Test
  void historyOverRestPagesBySeq() {
    User a = user("a");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token())) {
      for (int i = 1; i <= 7; i++) {
        a1.request(send(room, "h" + i, "m" + i));
      }
    }
    JsonObject latest = rest.ok("GET", "/api/v1/rooms/" + room + "/messages?limit=3", a.token(), null);
    assertThat(latest.getJsonArray("messages").stream().map(o -> ((JsonObject) o).getLong("seq")).toList())
        .containsExactly(5L, 6L, 7L);
    assertThat(latest.getBoolean("more")).isTrue();
    JsonObject older = rest.ok("GET", "/api/v1/rooms/" + room + "/messages?before=5&limit=3", a.token(), null);
    assertThat(older.getJsonArray("messages").stream().map(o -> ((JsonObject) o).getLong("seq")).toList())
        .containsExactly(2L, 3L, 4L);
    JsonObject after = rest.ok("GET", "/api/v1/rooms/" + room + "/messages?after=5", a.token(), null);
    assertThat(after.getJsonArray("messages")).hasSize(2);
  }

  @Test
  void theRoomListShowsLastMessageAndUnreadCount() {
    User a = user("a");
    User b = user("b");
    long room = rest.directRoom(a.token(), b.id());
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token())) {
      a1.request(send(room, "u1", "one"));
      a1.request(send(room, "u2", "two"));
    }
    JsonObject list = rest.ok("GET", "/api/v1/rooms", b.token(), null);
    JsonObject view = list.getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(r -> r.getLong("id") == room).findFirst().orElseThrow();
    assertThat(view.getLong("unread")).isEqualTo(2L);
    assertThat(view.getJsonObject("lastMessage").getString("text")).isEqualTo("two");
    assertThat(view.getJsonArray("members")).hasSize(2);
    JsonObject mine = rest.ok("GET", "/api/v1/rooms", a.token(), null).getJsonArray("items").stream()
        .map(o -> (JsonObject) o).filter(r -> r.getLong("id") == room).findFirst().orElseThrow();
    assertThat(mine.getLong("unread")).isZero();
  }
}
