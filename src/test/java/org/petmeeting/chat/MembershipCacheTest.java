package org.petmeeting.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.Services;
import org.petmeeting.support.Await;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;
import org.petmeeting.support.WsClient;

/**
 * The router's membership cache ({@code chat.membershipCacheSeconds}): an entry is trusted for
 * that long only, so a change the API did not announce (made straight in MySQL) takes effect when
 * it expires; and the periodic sweep drops entries of rooms nobody asks about any more, so the
 * cache does not grow with every room ever used.
 */
class MembershipCacheTest {
  private static final int CACHE_SECONDS = 2;
  private static final Duration WAIT = Duration.ofSeconds(15);
  // Generous send limits: the tests poll with sends faster than a person types.
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of(
      "PM_CHAT_MEMBERSHIP_CACHE_SECONDS", Integer.toString(CACHE_SECONDS),
      "PM_LIMITS_SEND_RATE_PER_SECOND", "1000", "PM_LIMITS_SEND_BURST", "1000",
      "PM_LIMITS_REQUEST_RATE_PER_SECOND", "1000", "PM_LIMITS_REQUEST_BURST", "1000"));
  private static final Rest rest = new Rest(server);
  private static Services services;

  @BeforeAll
  static void services() {
    services = server.app().services();
  }

  @Test
  void aMemberRemovedOnlyInTheDatabaseCannotSendOnceTheCachedMembershipExpires() {
    User a = TestUsers.create(services, "mc-a");
    User b = TestUsers.create(services, "mc-b");
    long room = rest.groupRoom(a.token(), "cache", b.id());
    try (WsClient wa = WsClient.authenticated(server.port(), a.token());
         WsClient wb = WsClient.authenticated(server.port(), b.token())) {
      assertThat(wb.request(send(room, "b-0")).getString("type")).isEqualTo("ack");

      // Removed behind the API's back: no invalidation is announced, only the cache period helps.
      Await.result(services.db().primary().preparedQuery("DELETE FROM room_members WHERE room_id = ? AND user_id = ?")
          .execute(Tuple.of(room, b.id())));
      long removedAt = System.nanoTime();

      int[] attempt = {0};
      JsonObject refused = Await.poll(WAIT, () -> {
        JsonObject r = wb.request(send(room, "b-" + (++attempt[0])));
        return Future.succeededFuture("forbidden".equals(r.getString("code")) ? r : null);
      });
      assertThat(refused.getString("type")).isEqualTo("error");
      assertThat(Duration.ofNanos(System.nanoTime() - removedAt))
          .as("refused within the cache period and one sweep")
          .isLessThan(Duration.ofSeconds(2L * CACHE_SECONDS + 5));

      // From then on every request of the room is refused, and the others go on.
      JsonObject sync = wb.request(new JsonObject().put("type", "sync").put("room", room).put("after", 0));
      assertThat(sync.getString("code")).as(sync.encode()).isEqualTo("forbidden");
      assertThat(wb.request(send(room, "b-last")).getString("code")).isEqualTo("forbidden");
      assertThat(wa.request(send(room, "a-1")).getString("type")).isEqualTo("ack");
    }
  }

  @Test
  void theSweepDropsCachedMembershipsOfRoomsNobodyAsksAboutAnyMore() {
    Membership cache = services.chat().membership();
    User u = TestUsers.create(services, "mc-u");
    List<Long> rooms = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rooms.add(rest.directRoom(u.token(), TestUsers.create(services, "mc-o").id()));
    }
    try (WsClient ws = WsClient.authenticated(server.port(), u.token())) {
      long started = System.nanoTime();
      for (long room : rooms) {
        JsonObject synced = ws.request(new JsonObject().put("type", "sync").put("room", room).put("after", 0));
        assertThat(synced.getString("type")).as(synced.encode()).isEqualTo("synced");
      }
      int size = cache.size();
      // Entries live at least the cache period; when the syncs took less, all 20 are still there.
      if (System.nanoTime() - started < Duration.ofSeconds(CACHE_SECONDS).toNanos()) {
        assertThat(size).as("one cached membership per room asked about").isGreaterThanOrEqualTo(rooms.size());
      }
    }
    // Nobody asks about these rooms again: the sweep empties the cache without any further lookup.
    Await.poll(WAIT, () -> Future.succeededFuture(cache.size() == 0 ? true : null));
  }

  private static JsonObject send(long room, String cid) {
    return new JsonObject().put("type", "send").put("room", room).put("cid", cid).put("text", "x");
  }
}
