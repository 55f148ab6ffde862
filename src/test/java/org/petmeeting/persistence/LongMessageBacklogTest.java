package org.petmeeting.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.chat.ChatMessage;
import org.petmeeting.chat.RoomKeys;
import org.petmeeting.support.Await;
import org.petmeeting.support.LogAppend;
import org.petmeeting.support.Db;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestEnv;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;

/**
 * A backlog of the longest legal messages in every persist partition (what a MariaDB outage
 * leaves) drains into MySQL: one read takes a batch from each partition, 8 x 200 rows of 14 KB
 * here, which as one statement was larger than MariaDB accepts and failed again forever.
 */
class LongMessageBacklogTest {
  // A Redis database of its own: the test flushes it.
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("PM_REDIS_ENDPOINTS",
      TestEnv.env("PM_TEST_REDIS_BACKLOG", "redis://127.0.0.1:16379/7")));

  @Test
  void aBacklogOfMaximumSizeMessagesInEveryPartitionReachesMysql() {
    var services = server.app().services();
    int partitions = services.config().chat().persistPartitions();
    int perRoom = services.config().chat().persistBatchSize();
    // The worker is away, as while MariaDB is down: the entries wait in the persist streams.
    Await.result(services.vertx().undeploy(server.app().deploymentId(PersistenceWorkerVerticle.class)));
    Await.result(services.redis().redis().send(Request.cmd(Command.FLUSHDB)));

    Rest rest = new Rest(server);
    User a = TestUsers.create(services, "lb");
    Map<Integer, Long> roomOfPartition = new HashMap<>();
    for (int i = 0; i < 64 && roomOfPartition.size() < partitions; i++) {
      User b = TestUsers.create(services, "lb");
      long room = rest.directRoom(a.token(), b.id());
      roomOfPartition.putIfAbsent(RoomKeys.partition(room, partitions), room);
    }
    assertThat(roomOfPartition).hasSize(partitions);
    // The protocol's limits: 4000 characters (CJK, 3 bytes each in UTF-8) and 2 KiB of meta.
    String text = "中".repeat(4000);
    String meta = "{\"k\":\"" + "m".repeat(2000) + "\"}";
    for (long room : roomOfPartition.values()) {
      List<Future<?>> sends = new ArrayList<>();
      for (int i = 0; i < perRoom; i++) {
        sends.add(LogAppend.append(services.chat().log(), room, a.id(), "big" + i, text, meta, ChatMessage.TEXT));
      }
      Await.result(Future.all(sends), Duration.ofSeconds(60));
    }

    // MariaDB is back: the worker starts again, as the server deploys it.
    Await.result(services.vertx().deployVerticle(new PersistenceWorkerVerticle(services),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));

    long expected = (long) perRoom * partitions;
    Long stored = Await.poll(Duration.ofSeconds(60), () -> {
      long n = 0;
      for (long room : roomOfPartition.values()) {
        n += Db.count(services, room);
      }
      return Future.succeededFuture(n == expected ? n : null);
    });
    assertThat(stored).isEqualTo(expected);
    assertThat(services.metrics().persistFailures.count()).isZero();
  }
}
