package org.petmeeting.chat;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.petmeeting.config.AppConfig;
import org.petmeeting.db.Sql;
import org.petmeeting.redis.LuaScript;

/**
 * The room's message log in Redis: the atomic append (send.lua), sequence initialisation from
 * MySQL (init_room.lua), heads and ranges. The log is a window; MySQL is the record.
 */
public final class RoomLog {
  static final Sql SQL = Sql.load("messages");
  private static final LuaScript SEND = LuaScript.load("send");
  private static final LuaScript INIT = LuaScript.load("init_room");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long CID_TTL_SECONDS = 7 * 86_400;

  /** The result of an append: where the message landed, and whether the cid had been seen. */
  public record Appended(long seq, long tsMillis, String epoch, boolean duplicate) {}

  /** A room's newest seq and its epoch. */
  public record Head(long seq, String epoch) {}

  /** Thrown when the configured number of replicas did not confirm the write in time. */
  public static final class NotReplicated extends RuntimeException {
    NotReplicated(long acked, int wanted) {
      super("the message was confirmed by " + acked + " of " + wanted + " Redis replicas", null, false, false);
    }
  }

  private final Redis redis;
  private final Pool primary;
  private final AppConfig.Chat chat;
  private final AppConfig.RedisSettings redisSettings;

  public RoomLog(Redis redis, Pool primary, AppConfig config) {
    this.redis = redis;
    this.primary = primary;
    this.chat = config.chat();
    this.redisSettings = config.redis();
  }

  /** One message to append: what {@code send.lua} takes for it. */
  public record Append(long room, long from, String cid, String text, String meta, String kind) {}

  /**
   * Appends a batch in one script run, in order, followed by one WAIT when replicas must confirm
   * (a shortfall fails the whole batch). An entry of the result is null when that message's room
   * has no sequence in Redis yet: the caller runs {@link #ensureRoom} and sends it again.
   */
  public Future<List<Appended>> appendBatch(List<Append> batch) {
    List<String> keys = new ArrayList<>(batch.size() * 6);
    List<String> args = new ArrayList<>(2 + batch.size() * 6);
    args.add(Integer.toString(chat.roomLogMaxLen()));
    args.add(Long.toString(CID_TTL_SECONDS));
    for (Append a : batch) {
      keys.add(RoomKeys.seq(a.room()));
      keys.add(RoomKeys.epoch(a.room()));
      keys.add(RoomKeys.log(a.room()));
      keys.add(RoomKeys.persist(a.room(), chat.persistPartitions()));
      keys.add(RoomKeys.cid(a.room(), a.from(), a.cid()));
      keys.add(RoomKeys.reads(a.room()));
      args.add(Long.toString(a.room()));
      args.add(Long.toString(a.from()));
      args.add(a.cid());
      args.add(a.text());
      args.add(a.meta() == null ? "" : a.meta());
      args.add(a.kind());
    }
    int wanted = redisSettings.waitReplicas();
    Future<Response> reply;
    if (wanted > 0) {
      Request wait = Request.cmd(Command.WAIT).arg(wanted).arg(redisSettings.waitTimeoutMs());
      reply = SEND.runThen(redis, keys, args, wait).compose(both -> {
        long acked = both.get(1).toLong();
        return acked >= wanted ? Future.succeededFuture(both.get(0))
            : Future.failedFuture(new NotReplicated(acked, wanted));
      });
    } else {
      reply = SEND.run(redis, keys, args);
    }
    return reply.map(r -> {
      List<Appended> out = new ArrayList<>(r.size());
      for (Response one : r) {
        out.add(parseAppended(one.toString()));
      }
      return out;
    });
  }

  /** One result of send.lua: "status:seq:ts:epoch", or "-1" for a room without a sequence. */
  static Appended parseAppended(String result) {
    if (result.startsWith("-")) {
      return null;
    }
    String[] parts = result.split(":", 4);
    return new Appended(Long.parseLong(parts[1]), Long.parseLong(parts[2]), parts[3], "1".equals(parts[0]));
  }

  /** Makes sure the room has a sequence in Redis, starting it from MySQL's highest seq if not. */
  public Future<Head> ensureRoom(long room) {
    return primary.preparedQuery(SQL.get("maxSeq")).execute(Tuple.of(room))
        .map(rows -> rows.iterator().next().getLong(0))
        .compose(max -> INIT.run(redis, List.of(RoomKeys.seq(room), RoomKeys.epoch(room), RoomKeys.log(room)),
            List.of(Long.toString(max), newEpoch())))
        .map(r -> new Head(r.get(0).toLong(), r.get(1).toString()));
  }

  static String newEpoch() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Heads of several rooms in one round trip; rooms without a sequence are initialised. */
  public Future<Map<Long, Head>> heads(List<Long> rooms) {
    if (rooms.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Request mget = Request.cmd(Command.MGET);
    for (long room : rooms) {
      mget.arg(RoomKeys.seq(room)).arg(RoomKeys.epoch(room));
    }
    return redis.send(mget).compose(r -> {
      Map<Long, Head> out = new HashMap<>();
      List<Future<Head>> missing = new ArrayList<>();
      for (int i = 0; i < rooms.size(); i++) {
        Response seq = r.get(2 * i);
        Response epoch = r.get(2 * i + 1);
        long room = rooms.get(i);
        if (seq == null) {
          missing.add(ensureRoom(room).onSuccess(h -> out.put(room, h)));
        } else {
          out.put(room, new Head(seq.toLong(), epoch == null ? "" : epoch.toString()));
        }
      }
      return Future.all(missing).map(out);
    });
  }

  public Future<Head> head(long room) {
    return heads(List.of(room)).map(m -> m.get(room));
  }

  /** Messages with {@code from <= seq <= to} that the log still holds, oldest first. */
  public Future<List<ChatMessage>> read(long room, long from, long to) {
    if (from > to) {
      return Future.succeededFuture(List.of());
    }
    return redis.send(Request.cmd(Command.XRANGE).arg(RoomKeys.log(room)).arg(from + "-0").arg(to + "-0"))
        .map(r -> {
          List<ChatMessage> out = new ArrayList<>(r.size());
          for (Response entry : r) {
            out.add(fromEntry(room, entry.get(0).toString(), entry.get(1)));
          }
          return out;
        });
  }

  static ChatMessage fromEntry(long room, String id, Response fields) {
    Map<String, String> f = new HashMap<>();
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      f.put(fields.get(i).toString(), fields.get(i + 1).toString());
    }
    long seq = Long.parseLong(id.substring(0, id.indexOf('-')));
    String meta = f.getOrDefault("meta", "");
    return new ChatMessage(room, seq, f.get("epoch"), f.get("cid"), Long.parseLong(f.get("from")), f.get("text"),
        meta.isEmpty() ? null : meta, ChatMessage.formatTs(Long.parseLong(f.get("ts"))), f.get("kind"));
  }
}
