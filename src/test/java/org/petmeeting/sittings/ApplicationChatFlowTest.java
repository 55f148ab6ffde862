package org.petmeeting.sittings;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.support.ApiUsers;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.WsClient;

/**
 * The product's main path end to end: two people sign up, one posts a sitting request, the other
 * applies, the owner's open connection gets the application as a system message at once, and the
 * two chat in the room it opened.
 */
class ApplicationChatFlowTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void applyingOpensAChatWhoseSystemMessageReachesTheOwnerLiveAndBothCanTalk() {
    ApiUsers.Member owner = ApiUsers.signUp(server, "flowowner");
    ApiUsers.Member sitter = ApiUsers.signUp(server, "flowsitter");
    long pet = SittingsApiTest.petOf(server, owner, "Luna", "cat");
    HttpResponse<String> posted = server.post("/api/v1/sittings", owner.token(), new JsonObject()
        .put("petIds", new JsonArray().add(pet)).put("city", "Flow-City")
        .put("startDate", LocalDate.now().plusDays(2).toString()).put("endDate", LocalDate.now().plusDays(4).toString())
        .put("housingTypes", new JsonArray().add("owner_home")).encode());
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
    long sitting = new JsonObject(posted.body()).getLong("id");

    try (WsClient ownerWs = WsClient.authenticated(server.port(), owner.token())) {
      HttpResponse<String> applied = server.post("/api/v1/sittings/" + sitting + "/applications", sitter.token(),
          new JsonObject().put("motivation", "I have two cats myself.").put("experienceCount", 4)
              .put("housingType", "owner_home").encode());
      assertThat(applied.statusCode()).as(applied.body()).isEqualTo(201);
      long room = new JsonObject(applied.body()).getJsonObject("room").getLong("id");

      JsonObject created = ownerWs.next("room");
      assertThat(created.getLong("room")).isEqualTo(room);
      assertThat(created.getString("event")).isEqualTo("created");
      JsonObject system = ownerWs.next("message");
      assertThat(system.getLong("room")).isEqualTo(room);
      assertThat(system.getString("kind")).isEqualTo("system");
      assertThat(system.getLong("from")).isZero();
      assertThat(system.getString("text")).contains("Luna");
      assertThat(system.getJsonObject("meta").getLong("sitting")).isEqualTo(sitting);

      try (WsClient sitterWs = WsClient.authenticated(server.port(), sitter.token())) {
        JsonObject hello = sitterWs.request(new JsonObject().put("type", "send").put("room", room)
            .put("cid", "hello").put("text", "Hi! When can I meet Luna?"));
        assertThat(hello.getString("type")).isEqualTo("ack");
        assertThat(ownerWs.next("message").getString("text")).isEqualTo("Hi! When can I meet Luna?");
        ownerWs.request(new JsonObject().put("type", "send").put("room", room).put("cid", "reply").put("text", "Saturday?"));
        JsonObject reply = sitterWs.next(f -> "message".equals(f.getString("type")) && "reply".equals(f.getString("cid")),
            java.time.Duration.ofSeconds(15));
        assertThat(reply.getLong("from")).isEqualTo(owner.id());
        // What came before this connection comes through sync; the rest came live.
        JsonObject synced = sitterWs.request(new JsonObject().put("type", "sync").put("room", room).put("after", 0));
        assertThat(synced.getJsonArray("messages")).hasSize(1);
        assertThat(synced.getJsonArray("messages").getJsonObject(0).getString("kind")).isEqualTo("system");
        JsonObject history = new org.petmeeting.support.Rest(server).ok("GET", "/api/v1/rooms/" + room + "/messages",
            sitter.token(), null);
        assertThat(history.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("cid")).toList())
            .containsExactly(system.getString("cid"), "hello", "reply");
      }
    }
  }
}
