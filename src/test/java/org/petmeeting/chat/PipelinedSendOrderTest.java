package org.petmeeting.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.support.Await;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;
import org.petmeeting.support.WsClient;

/**
 * One sender's pipelined sends on one connection take seqs in the order they were sent, although
 * the router has several append batches at Redis at once, and also when the room's sequence has to
 * be restarted first. (Both were races: the acks came back e.g. [1, 13, 11, 12, 8, ...].)
 */
class PipelinedSendOrderTest {
  private static final int SENDS = 30;
  private static final int ROUNDS = 6;
  // The default batching: 30 frames reach the router over several reads, so over several batches.
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static final Rest rest = new Rest(server);

  @Test
  void pipelinedSendsKeepTheirOrder() {
    assertEveryRoundInOrder(false);
  }

  @Test
  void pipelinedSendsToARoomWhoseSequenceRedisLostKeepTheirOrder() {
    assertEveryRoundInOrder(true);
  }

  private void assertEveryRoundInOrder(boolean loseSequence) {
    var services = server.app().services();
    // A fresh sender and room each round (the send bucket is per connection); the reordering was
    // a race, so several rounds make it show.
    for (int round = 0; round < ROUNDS; round++) {
      User a = TestUsers.create(services, "po");
      User b = TestUsers.create(services, "po");
      long room = rest.directRoom(a.token(), b.id());
      try (WsClient c = WsClient.authenticated(server.port(), a.token())) {
        if (loseSequence) {
          c.request(new JsonObject().put("type", "send").put("room", room).put("cid", "first").put("text", "x"));
          Await.result(services.redis().redis().send(Request.cmd(Command.DEL).arg(RoomKeys.seq(room))
              .arg(RoomKeys.epoch(room))));
        }
        for (int i = 0; i < SENDS; i++) {
          c.send(new JsonObject().put("type", "send").put("id", "k" + i).put("room", room).put("cid", "k" + i)
              .put("text", "m" + i));
        }
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < SENDS; i++) {
          String id = "k" + i;
          JsonObject ack = c.next(f -> id.equals(f.getString("id")), Duration.ofSeconds(20));
          assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
          seqs.add(ack.getLong("seq"));
        }
        assertThat(seqs).as("round %d: seqs of the pipelined sends, in send order", round).isSorted();
      }
    }
  }
}
