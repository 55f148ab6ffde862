package org.petmeeting.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.metrics.ChatMetrics;
import org.petmeeting.support.Await;
import org.petmeeting.support.LogAppend;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;

/** Group commit of the router's appends, against the real Redis and MariaDB. */
class SendBatcherTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static final Rest rest = new Rest(server);

  private long newRoom() {
    User a = TestUsers.create(server.app().services(), "a");
    User b = TestUsers.create(server.app().services(), "b");
    return rest.directRoom(a.token(), b.id());
  }

  /** Submits every append from one task on a fresh event-loop context, as the router does. */
  private static List<RoomLog.Appended> appendAll(SendBatcher batcher, Context context, List<RoomLog.Append> appends) {
    Promise<List<RoomLog.Appended>> all = Promise.promise();
    context.runOnContext(v -> {
      List<Future<RoomLog.Appended>> futures = new ArrayList<>();
      appends.forEach(a -> futures.add(batcher.append(a)));
      Future.all(futures).map(f -> f.<RoomLog.Appended>list()).onComplete(all);
    });
    return Await.result(all.future());
  }

  @Test
  void sendsThatArriveWhileABatchIsAtRedisGoOutTogetherInTheOrderTheyArrived() {
    var services = server.app().services();
    long room = newRoom();
    Context context = services.vertx().getOrCreateContext();
    ChatMetrics metrics = new ChatMetrics(new SimpleMeterRegistry());
    SendBatcher batcher = new SendBatcher(context, services.chat().log(), metrics, 10, 1);
    List<RoomLog.Append> appends = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      appends.add(new RoomLog.Append(room, 7, "c" + i, "text " + i, null, ChatMessage.TEXT));
    }
    // A retried cid in the same batch as its first try.
    appends.add(new RoomLog.Append(room, 7, "c24", "text 24", null, ChatMessage.TEXT));

    List<RoomLog.Appended> results = appendAll(batcher, context, appends);

    // A new room: its sequence starts from MySQL's highest seq, none.
    long first = results.get(0).seq();
    assertThat(first).isEqualTo(1);
    for (int i = 0; i < 25; i++) {
      assertThat(results.get(i).seq()).as("seq of message %d", i).isEqualTo(first + i);
      assertThat(results.get(i).duplicate()).isFalse();
    }
    assertThat(results.get(25).seq()).isEqualTo(results.get(24).seq());
    assertThat(results.get(25).duplicate()).isTrue();
    // One batch at a time, at most 10 each: 26 sends in three script runs, not 26.
    assertThat(metrics.sendBatchSize.count()).isEqualTo(3);
    assertThat(metrics.sendBatchSize.max()).isEqualTo(10.0);
    List<ChatMessage> stored = Await.result(services.chat().log().read(room, first, first + 24));
    assertThat(stored).extracting(ChatMessage::cid)
        .containsExactlyElementsOf(appends.subList(0, 25).stream().map(RoomLog.Append::cid).toList());
  }

  @Test
  void aMessageForARoomRedisLostIsSentAgainAfterTheRoomRestartsAndTheRestOfItsBatchIsUnharmed() {
    var services = server.app().services();
    long kept = newRoom();
    long lost = newRoom();
    var log = services.chat().log();
    Await.result(LogAppend.append(log, kept, 7, "k0", "kept", null, ChatMessage.TEXT));
    long lostHead = Await.result(LogAppend.append(log, lost, 7, "l0", "before", null, ChatMessage.TEXT)).seq();
    String oldEpoch = Await.result(log.head(lost)).epoch();
    // Redis loses the room's sequence (a flush, a failover to an empty replica).
    Await.result(services.redis().redis().send(Request.cmd(Command.DEL).arg(RoomKeys.seq(lost)).arg(RoomKeys.epoch(lost))));
    Context context = services.vertx().getOrCreateContext();
    SendBatcher batcher = new SendBatcher(context, log, new ChatMetrics(new SimpleMeterRegistry()), 10, 1);

    List<RoomLog.Appended> results = appendAll(batcher, context, List.of(
        new RoomLog.Append(kept, 7, "k1", "kept 1", null, ChatMessage.TEXT),
        new RoomLog.Append(lost, 7, "l1", "after", null, ChatMessage.TEXT),
        new RoomLog.Append(kept, 7, "k2", "kept 2", null, ChatMessage.TEXT)));

    assertThat(results.get(0).seq()).isEqualTo(2);
    assertThat(results.get(2).seq()).isEqualTo(3);
    // The lost room restarts from what MySQL holds (at most its one earlier message), under a new epoch.
    assertThat(results.get(1).seq()).isBetween(1L, lostHead + 1);
    assertThat(results.get(1).epoch()).isNotEqualTo(oldEpoch);
    assertThat(results.get(1).duplicate()).isFalse();
  }
  @Test
  void aRoomsMessagesTakeSeqsInArrivalOrderWithSeveralBatchesInFlightAndAfterItsSequenceWasLost() {
    var services = server.app().services();
    var log = services.chat().log();
    long room = newRoom();
    long other = newRoom();
    Await.result(LogAppend.append(log, room, 7, "before", "before", null, ChatMessage.TEXT));
    // Redis loses the room's sequence: the first batch comes back "not initialised" for it.
    Await.result(services.redis().redis().send(Request.cmd(Command.DEL).arg(RoomKeys.seq(room)).arg(RoomKeys.epoch(room))));
    Context context = services.vertx().getOrCreateContext();
    // Small batches, four at Redis at once: only per-room exclusion keeps the order.
    SendBatcher batcher = new SendBatcher(context, log, new ChatMetrics(new SimpleMeterRegistry()), 3, 4);
    List<RoomLog.Append> appends = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      appends.add(new RoomLog.Append(i % 3 == 0 ? other : room, 7, "o" + i, "m" + i, null, ChatMessage.TEXT));
    }

    List<RoomLog.Appended> results = appendAll(batcher, context, appends);

    long lastInRoom = 0;
    long lastInOther = 0;
    for (int i = 0; i < appends.size(); i++) {
      long seq = results.get(i).seq();
      if (appends.get(i).room() == room) {
        assertThat(seq).as("seq of message %d in the restarted room", i).isGreaterThan(lastInRoom);
        lastInRoom = seq;
      } else {
        assertThat(seq).as("seq of message %d in the other room", i).isEqualTo(lastInOther + 1);
        lastInOther = seq;
      }
    }
    assertThat(lastInOther).isEqualTo(10);
  }
  @Test
  void aRoomIsInOneBatchAtRedisAtATimeSoBatchesInFlightTogetherCannotReorderIt() {
    var services = server.app().services();
    var log = services.chat().log();
    long room = newRoom();
    Await.result(LogAppend.append(log, room, 7, "started", "x", null, ChatMessage.TEXT));
    Context context = services.vertx().getOrCreateContext();
    ChatMetrics metrics = new ChatMetrics(new SimpleMeterRegistry());
    // One message a batch, four batches allowed at Redis at once.
    SendBatcher batcher = new SendBatcher(context, log, metrics, 1, 4);
    List<RoomLog.Append> appends = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      appends.add(new RoomLog.Append(room, 7, "x" + i, "m" + i, null, ChatMessage.TEXT));
    }

    List<RoomLog.Appended> results = appendAll(batcher, context, appends);

    assertThat(results).extracting(RoomLog.Appended::seq).isSorted().doesNotHaveDuplicates();
    assertThat(metrics.sendBatchSize.count()).isEqualTo(40);
  }
  @Test
  void aBatchThatCannotBeBuiltFailsItsMessagesAndLeavesTheRoomUsable() {
    var services = server.app().services();
    long room = newRoom();
    Context context = services.vertx().getOrCreateContext();
    SendBatcher batcher = new SendBatcher(context, services.chat().log(), new ChatMetrics(new SimpleMeterRegistry()), 10, 1);
    Promise<Throwable> failed = Promise.promise();
    context.runOnContext(v -> batcher.append(new RoomLog.Append(room, 7, "bad", null, null, ChatMessage.TEXT))
        .onComplete(ar -> failed.complete(ar.cause())));
    assertThat(Await.result(failed.future())).as("a message without text is refused").isNotNull();

    List<RoomLog.Appended> after = appendAll(batcher, context,
        List.of(new RoomLog.Append(room, 7, "good", "fine", null, ChatMessage.TEXT)));
    assertThat(after.get(0).seq()).isEqualTo(1);
  }
}
