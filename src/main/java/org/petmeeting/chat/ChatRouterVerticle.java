package org.petmeeting.chat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.petmeeting.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send path: membership check, atomic append to the room log (and persist stream), then one
 * delivery event per node holding a member. Also posts system messages and announces membership
 * changes for the REST side.
 */
public final class ChatRouterVerticle extends VerticleBase {
  public static final String SEND_ADDRESS = "chat.send";
  /** Cluster-wide: every node drops its cached members of the room. */
  public static final String INVALIDATE_ADDRESS = "pm.membership";

  /** Failure codes of a send reply, mapped to the protocol's error codes by the gateway. */
  public static final int FORBIDDEN = 403;
  public static final int UNAVAILABLE = 503;
  public static final int INTERNAL = 500;

  private static final Logger log = LoggerFactory.getLogger(ChatRouterVerticle.class);

  private final Services services;
  private final Chat chat;
  private long sweepTimer = -1;
  private long backlogTimer = -1;
  private static final long BACKLOG_INTERVAL_MS = 1000;
  private SendBatcher batcher;
  /** Rooms whose members are being loaded, with the requests waiting for them in arrival order. */
  private final Map<Long, List<Promise<Set<Long>>>> loadingMembers = new HashMap<>();

  public ChatRouterVerticle(Services services) {
    this.services = services;
    this.chat = services.chat();
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    batcher = new SendBatcher(context, chat.log(), services.metrics(), services.config().chat().sendBatchMax(),
        services.config().chat().sendBatchesInFlight());
    // Local consumers: a request is handled by the router of the node that received it.
    List<MessageConsumer<?>> consumers = List.of(
        bus.<JsonObject>localConsumer(SEND_ADDRESS, this::send),
        bus.<JsonObject>localConsumer(ChatClient.SYSTEM_ADDRESS, this::system),
        bus.<JsonObject>localConsumer(ChatClient.MEMBERSHIP_ADDRESS, this::membership),
        bus.<JsonObject>consumer(INVALIDATE_ADDRESS, m -> chat.membership().invalidate(m.body().getLong("room"))));
    long sweepMs = Math.max(1000, services.config().chat().membershipCacheSeconds() * 1000L);
    sweepTimer = vertx.setPeriodic(sweepMs, id -> chat.membership().sweep());
    backlogTimer = vertx.setPeriodic(BACKLOG_INTERVAL_MS, id -> measureBacklog());
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(backlogTimer);
    return Future.succeededFuture();
  }

  private void send(Message<JsonObject> msg) {
    JsonObject b = msg.body();
    long room = b.getLong("room");
    long from = b.getLong("from");
    long rx = b.getLong("rx", System.nanoTime());
    long maxBacklog = services.config().chat().maxPersistBacklog();
    if (maxBacklog > 0 && services.metrics().persistBacklog.get() > maxBacklog) {
      // MariaDB is far behind (down, or outrun): every message accepted now would wait in Redis
      // memory. Clients retry later with the same cid. System messages are not refused.
      services.metrics().backlogRefusals.increment();
      msg.fail(UNAVAILABLE, "the message store is behind; retry later");
      return;
    }
    membersInOrder(room)
        .compose(members -> {
          if (!members.contains(from)) {
            return Future.failedFuture(new ReplyException(io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE,
                FORBIDDEN, "not a member of this room"));
          }
          String cid = b.getString("cid");
          String text = b.getString("text");
          String meta = b.getString("meta");
          return batcher.append(new RoomLog.Append(room, from, cid, text, meta, ChatMessage.TEXT)).map(appended -> {
            if (!appended.duplicate()) {
              ChatMessage m = new ChatMessage(room, appended.seq(), appended.epoch(), cid, from, text, meta,
                  ChatMessage.formatTs(appended.tsMillis()), ChatMessage.TEXT);
              deliver(m, members, rx);
              services.metrics().messagesIn.increment();
            } else {
              services.metrics().duplicateSends.increment();
            }
            return new JsonObject().put("seq", appended.seq()).put("ts", ChatMessage.formatTs(appended.tsMillis()))
                .put("epoch", appended.epoch()).put("duplicate", appended.duplicate());
          });
        })
        .onSuccess(reply -> msg.reply(reply, SharedJsonCodec.OPTIONS))
        .onFailure(err -> fail(msg, err));
  }

  /**
   * The room's members, answered in the order the room's requests arrived: a send that finds them
   * cached goes on at once, and while they are being loaded (a miss) every later request of the
   * room waits behind the load, so a sender's pipelined messages reach the batcher, and take
   * seqs, in the order they were sent.
   */
  private Future<Set<Long>> membersInOrder(long room) {
    List<Promise<Set<Long>>> waiting = loadingMembers.get(room);
    if (waiting != null) {
      Promise<Set<Long>> later = Promise.promise();
      waiting.add(later);
      return later.future();
    }
    Future<Set<Long>> members = chat.membership().members(room);
    if (members.isComplete()) {
      return members;
    }
    Promise<Set<Long>> first = Promise.promise();
    List<Promise<Set<Long>>> queue = new ArrayList<>();
    queue.add(first);
    loadingMembers.put(room, queue);
    members.onComplete(ar -> {
      loadingMembers.remove(room);
      queue.forEach(p -> p.handle(ar));
    });
    return first.future();
  }

  private void deliver(ChatMessage m, Set<Long> members, long rx) {
    chat.delivery().toUsers(members, Events.message(m, services.nodeId(), rx))
        .onFailure(err -> log.warn("delivery routing of room {} seq {} failed; head checks will repair it: {}",
            m.room(), m.seq(), err.getMessage()));
  }

  private void system(Message<JsonObject> msg) {
    JsonObject b = msg.body();
    long room = b.getLong("room");
    String text = b.getString("text");
    JsonObject metaObject = b.getJsonObject("meta");
    String meta = metaObject == null ? null : metaObject.encode();
    String cid = b.getString("cid", "sys-" + UUID.randomUUID());
    membersInOrder(room)
        .compose(members -> batcher.append(new RoomLog.Append(room, 0, cid, text, meta, ChatMessage.SYSTEM)).map(appended -> {
          if (!appended.duplicate()) {
            deliver(new ChatMessage(room, appended.seq(), appended.epoch(), cid, 0, text, meta,
                ChatMessage.formatTs(appended.tsMillis()), ChatMessage.SYSTEM), members, System.nanoTime());
          }
          return appended.seq();
        }))
        .onSuccess(msg::reply)
        .onFailure(err -> fail(msg, err));
  }

  private void membership(Message<JsonObject> msg) {
    JsonObject b = msg.body();
    long room = b.getLong("room");
    JsonArray users = b.getJsonArray("users");
    vertx.eventBus().publish(INVALIDATE_ADDRESS, new JsonObject().put("room", room));
    chat.membership().invalidate(room);
    // Read after the change is committed and before it is announced: the new members' connections
    // start right after this head, so no message can fall between the two.
    chat.log().head(room)
        .compose(head -> chat.membership().members(room).compose(members -> {
          Set<Long> targets = new HashSet<>(members);
          users.forEach(u -> targets.add(((Number) u).longValue()));
          return chat.delivery().toUsers(targets,
              Events.room(room, b.getString("event"), users, b.getLong("actor"), head.seq()));
        }))
        .onSuccess(v -> msg.reply(null))
        .onFailure(err -> fail(msg, err));
  }

  private static void fail(Message<?> msg, Throwable err) {
    if (err instanceof ReplyException re) {
      msg.fail(re.failureCode(), re.getMessage());
    } else if (err instanceof RoomLog.NotReplicated) {
      msg.fail(UNAVAILABLE, err.getMessage());
    } else if (isConnectionProblem(err)) {
      msg.fail(UNAVAILABLE, "a dependency is unavailable");
    } else {
      log.error("chat request failed", err);
      msg.fail(INTERNAL, "internal error");
    }
  }

  /**
   * Committed entries are deleted from the persist streams, so their length is what MariaDB has
   * not got yet: one figure for the whole cluster, measured by every node.
   */
  private void measureBacklog() {
    int partitions = services.config().chat().persistPartitions();
    List<Request> lengths = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      lengths.add(Request.cmd(Command.XLEN).arg(RoomKeys.persist(p)));
    }
    services.redis().redis().batch(lengths).onSuccess(replies -> {
      long total = 0;
      for (Response r : replies) {
        total += r == null ? 0 : r.toLong();
      }
      services.metrics().persistBacklog.set(total);
    });
  }

  static boolean isConnectionProblem(Throwable err) {
    String name = err.getClass().getName();
    String text = String.valueOf(err.getMessage());
    return err instanceof java.net.ConnectException || err instanceof io.vertx.core.VertxException
        || name.contains("Closed") || name.contains("Timeout") || text.contains("onnection")
        || text.contains("LOADING") || text.contains("READONLY");
  }
}
