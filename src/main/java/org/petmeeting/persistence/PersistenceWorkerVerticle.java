package org.petmeeting.persistence;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.petmeeting.Services;
import org.petmeeting.chat.RoomKeys;
import org.petmeeting.config.AppConfig;
import org.petmeeting.db.Sql;
import org.petmeeting.http.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the persist streams into MySQL: XREADGROUP on a connection of its own (a blocking read
 * never holds a pooled one), one multi-row INSERT (a no-op on a replayed (room_id, seq)) per batch plus read-mark updates in one
 * transaction, XACK and XDEL only after the commit. Entries another worker left pending too long
 * are taken over with XAUTOCLAIM. While MySQL is down the entries stay pending and are retried;
 * nothing acked to a client is dropped.
 */
public final class PersistenceWorkerVerticle extends VerticleBase {
  public static final String GROUP = "persist";
  private static final Logger log = LoggerFactory.getLogger(PersistenceWorkerVerticle.class);
  private static final Sql SQL = Sql.load("messages");
  private static final long RETRY_DELAY_MS = 500;
  /**
   * Bound of one chunk's JSON document. MariaDB refuses packets over max_allowed_packet (16 MiB by
   * default); a read of 8 partitions x 200 long messages came to 22 MB and failed forever.
   */
  static final long MAX_CHUNK_BYTES = 8L << 20;
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
      .withZone(ZoneOffset.UTC);

  private final Services services;
  private final AppConfig.Chat settings;
  private final String consumer;
  private final List<String> streams = new ArrayList<>();
  private Redis blockingClient;
  private RedisConnection connection;
  private boolean stopped;
  private boolean readPendingFirst = true;
  private long claimTimer = -1;

  public PersistenceWorkerVerticle(Services services) {
    this(services, "w-" + services.nodeId());
  }

  /** A worker with a chosen consumer name; tests start several to show take-over. */
  public PersistenceWorkerVerticle(Services services, String consumer) {
    this.services = services;
    this.settings = services.config().chat();
    this.consumer = consumer;
    for (int p = 0; p < settings.persistPartitions(); p++) {
      streams.add(RoomKeys.persist(p));
    }
  }

  @Override
  public Future<?> start() {
    blockingClient = services.redis().newBlockingClient(1, "persist-" + consumer);
    List<Future<?>> groups = new ArrayList<>();
    for (String stream : streams) {
      groups.add(services.redis().redis()
          .send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(GROUP).arg("0").arg("MKSTREAM"))
          .recover(err -> String.valueOf(err.getMessage()).startsWith("BUSYGROUP")
              ? Future.succeededFuture() : Future.failedFuture(err)));
    }
    return Future.all(groups).onSuccess(v -> {
      claimTimer = vertx.setPeriodic(Math.max(100, settings.persistClaimIdleMs() / 2), id -> claimAbandoned());
      loop();
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(claimTimer);
    if (connection != null) {
      connection.close();
    }
    return blockingClient.close();
  }

  private void loop() {
    if (stopped) {
      return;
    }
    connection().compose(this::readBatch).compose(this::persistInChunks)
        .onSuccess(count -> vertx.runOnContext(v -> loop()))
        .onFailure(err -> {
          if (stopped) {
            return;
          }
          services.metrics().persistFailures.increment();
          log.warn("persist batch failed, retrying in {} ms: {}", RETRY_DELAY_MS, err.getMessage());
          readPendingFirst = true;
          if (connection != null && isConnectionError(err)) {
            connection.close();
            connection = null;
          }
          vertx.setTimer(RETRY_DELAY_MS, id -> loop());
        });
  }

  private Future<RedisConnection> connection() {
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    return blockingClient.connect().onSuccess(c -> {
      connection = c;
      c.exceptionHandler(err -> connection = null);
    });
  }

  /** Own pending entries first (left by a failed batch or claimed from a dead worker), then new ones. */
  private Future<List<Entry>> readBatch(RedisConnection c) {
    boolean pending = readPendingFirst;
    Request r = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(consumer)
        .arg("COUNT").arg(settings.persistBatchSize());
    if (!pending) {
      r.arg("BLOCK").arg(settings.persistBlockMs());
    }
    r.arg("STREAMS");
    streams.forEach(r::arg);
    streams.forEach(s -> r.arg(pending ? "0" : ">"));
    return c.send(r).map(reply -> {
      List<Entry> entries = parse(reply);
      if (pending && entries.isEmpty()) {
        readPendingFirst = false;
      }
      return entries;
    });
  }

  static List<Entry> parse(Response reply) {
    List<Entry> out = new ArrayList<>();
    if (reply == null) {
      return out;
    }
    for (Response stream : reply) {
      String name = stream.get(0).toString();
      for (Response e : stream.get(1)) {
        Response fields = e.get(1);
        Map<String, String> f = new HashMap<>();
        if (fields != null) {
          for (int i = 0; i + 1 < fields.size(); i += 2) {
            f.put(fields.get(i).toString(), fields.get(i + 1).toString());
          }
        }
        out.add(new Entry(name, e.get(0).toString(), f));
      }
    }
    return out;
  }

  /** One persist-stream entry: a message ({@code t=m}) or a read mark ({@code t=r}). */
  record Entry(String stream, String id, Map<String, String> f) {}

  /**
   * A read returns up to persistBatchSize entries from each partition, and is written in one
   * transaction (and XACK) unless it could exceed MAX_CHUNK_BYTES: then in chunks under it, in
   * order, so that a backlog of long messages never makes a statement larger than MariaDB accepts.
   * (Chunks of persistBatchSize rows were tried: eight round trips to MariaDB instead of one per
   * read, and under a full load the worker fell behind by thousands of messages a second.)
   */
  private Future<Integer> persistInChunks(List<Entry> entries) {
    Future<Integer> done = Future.succeededFuture(0);
    for (List<Entry> chunk : chunks(entries, MAX_CHUNK_BYTES)) {
      done = done.compose(n -> persist(chunk).map(m -> n + m));
    }
    return done;
  }

  /** Splits entries, in order, into chunks whose worst-case JSON size stays under {@code bytes}. */
  static List<List<Entry>> chunks(List<Entry> entries, long bytes) {
    List<List<Entry>> out = new ArrayList<>();
    List<Entry> current = new ArrayList<>();
    long size = 0;
    for (Entry e : entries) {
      long entryBytes = worstCaseBytes(e);
      if (!current.isEmpty() && size + entryBytes > bytes) {
        out.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(e);
      size += entryBytes;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /** An upper bound of an entry's size in the JSON batch: six bytes a character, as if every one were escaped. */
  private static long worstCaseBytes(Entry e) {
    long chars = 64;
    for (String v : e.f().values()) {
      chars += v.length() + 4;
    }
    return chars * 6;
  }

  private Future<Integer> persist(List<Entry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<MessageRow> messages = new ArrayList<>();
    // Highest seq per (room, user): read marks, and a sender's own messages, which move theirs.
    Map<String, long[]> marks = new HashMap<>();
    for (Entry e : entries) {
      String type = e.f().get("t");
      if ("m".equals(type)) {
        long room = Long.parseLong(e.f().get("room"));
        long seq = Long.parseLong(e.f().get("seq"));
        long from = Long.parseLong(e.f().get("from"));
        String meta = e.f().get("meta");
        messages.add(new MessageRow(room, seq, e.f().get("epoch"), from, e.f().get("cid"), e.f().get("kind"),
            e.f().get("text"), meta == null || meta.isEmpty() ? null : meta,
            TS.format(Instant.ofEpochMilli(Long.parseLong(e.f().get("ts"))))));
        if (from != 0) {
          mark(marks, room, from, seq);
        }
      } else if ("r".equals(type)) {
        mark(marks, Long.parseLong(e.f().get("room")), Long.parseLong(e.f().get("user")), Long.parseLong(e.f().get("seq")));
      }
    }
    Future<Void> written = messages.isEmpty() && marks.isEmpty() ? Future.succeededFuture()
        : services.db().primary().withTransaction(tx -> dropMessagesOfDeletedRooms(tx, messages).compose(kept -> {
          Future<?> chain = Future.succeededFuture();
          if (!kept.isEmpty()) {
            String batch = json(kept);
            // One primary-key read of the batch back: the client's found-rows count cannot tell a
            // replay from a conflict, the stored cids can.
            chain = tx.preparedQuery(SQL.get("insertBatch")).execute(Tuple.of(batch))
                .compose(r -> checkConflicts(tx, kept, batch));
          }
          if (!marks.isEmpty()) {
            chain = chain.compose(v -> moveReadMarks(tx, marks.values()));
          }
          return chain.mapEmpty();
        }));
    return written.compose(v -> acknowledge(entries)).map(v -> {
      services.metrics().persisted.increment(messages.size());
      services.metrics().persistBatch.record(entries.size());
      return entries.size();
    });
  }

  /**
   * Messages of a room deleted meanwhile (its members and messages go with it) have nowhere to
   * go; without this one such entry would fail its batch, and every batch after it, forever.
   */
  private Future<List<MessageRow>> dropMessagesOfDeletedRooms(io.vertx.sqlclient.SqlConnection tx,
                                                               List<MessageRow> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture(messages);
    }
    java.util.Set<Long> rooms = new java.util.LinkedHashSet<>();
    messages.forEach(m -> rooms.add(m.room()));
    return tx.preparedQuery(SQL.get("existingRooms")).execute(Tuple.of(json(rooms))).map(rows -> {
      java.util.Set<Long> existing = new java.util.HashSet<>();
      rows.forEach(r -> existing.add(r.getLong(0)));
      List<MessageRow> kept = new ArrayList<>();
      for (MessageRow m : messages) {
        if (existing.contains(m.room())) {
          kept.add(m);
        } else {
          services.metrics().persistDropped.increment();
          log.warn("room {} no longer exists: message seq {} (cid {}) dropped", m.room(), m.seq(), m.cid());
        }
      }
      return kept;
    });
  }

  /**
   * A row that was there already is expected for a replay (same cid and sender); a different message
   * under the same (room, seq) means the room's sequence went backwards (a Redis failover to a
   * replica that had not received the latest writes, with redis.waitReplicas = 0). MySQL keeps the
   * first; the other is reported loudly rather than dropped in silence.
   */
  private Future<Void> checkConflicts(io.vertx.sqlclient.SqlConnection tx, List<MessageRow> messages, String batch) {
    Map<String, MessageRow> byKey = new HashMap<>();
    messages.forEach(m -> byKey.put(m.room() + ":" + m.seq(), m));
    return tx.preparedQuery(SQL.get("bySeqBatch")).execute(Tuple.of(batch)).map(rows -> {
      for (io.vertx.sqlclient.Row row : rows) {
        MessageRow mine = byKey.get(row.getLong("room_id") + ":" + row.getLong("seq"));
        if (mine != null && (!row.getString("cid").equals(mine.cid()) || row.getLong("sender_id") != mine.from())) {
          services.metrics().persistConflicts.increment();
          log.error("room {} seq {} already holds another message (cid {}, not {}): the room's sequence went "
              + "backwards; the later message is kept only in the Redis log", row.getLong("room_id"),
              row.getLong("seq"), row.getString("cid"), mine.cid());
        }
      }
      return null;
    });
  }

  /** All read marks of a batch in one UPDATE, rows taken in key order (so workers never deadlock on them). */
  private static Future<?> moveReadMarks(io.vertx.sqlclient.SqlConnection tx, java.util.Collection<long[]> marks) {
    List<long[]> sorted = new ArrayList<>(marks);
    sorted.sort(java.util.Comparator.<long[]>comparingLong(m -> m[0]).thenComparingLong(m -> m[1]));
    return tx.preparedQuery(SQL.get("moveReadMarks")).execute(Tuple.of(json(sorted)));
  }

  /**
   * One message row as the batch document carries it: a JSON array in the column order of
   * {@code insertBatch}, {@code ts} as UTC "yyyy-MM-dd HH:mm:ss.SSS".
   */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  @JsonInclude(JsonInclude.Include.ALWAYS) // a position per column, null included
  @JsonPropertyOrder({"room", "seq", "epoch", "from", "cid", "kind", "text", "meta", "ts"})
  record MessageRow(long room, long seq, String epoch, long from, String cid, String kind, String text, String meta,
                    String ts) {}

  static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a persist batch as JSON", e);
    }
  }

  private static void mark(Map<String, long[]> marks, long room, long user, long seq) {
    marks.merge(room + ":" + user, new long[] {room, user, seq}, (a, b) -> a[2] >= b[2] ? a : b);
  }

  /** XACK then XDEL, per stream: the persist stream is a queue, done entries leave it. */
  private Future<Void> acknowledge(List<Entry> entries) {
    Map<String, List<String>> byStream = new HashMap<>();
    entries.forEach(e -> byStream.computeIfAbsent(e.stream(), k -> new ArrayList<>()).add(e.id()));
    List<Request> batch = new ArrayList<>();
    byStream.forEach((stream, ids) -> {
      Request ack = Request.cmd(Command.XACK).arg(stream).arg(GROUP);
      Request del = Request.cmd(Command.XDEL).arg(stream);
      ids.forEach(id -> {
        ack.arg(id);
        del.arg(id);
      });
      batch.add(ack);
      batch.add(del);
    });
    return services.redis().redis().batch(batch).mapEmpty();
  }

  /** Takes over entries idle longer than the threshold in other consumers' pending lists. */
  private void claimAbandoned() {
    List<Future<Response>> claims = new ArrayList<>();
    for (String stream : streams) {
      claims.add(services.redis().redis().send(Request.cmd(Command.XAUTOCLAIM).arg(stream).arg(GROUP).arg(consumer)
          .arg(settings.persistClaimIdleMs()).arg("0-0").arg("COUNT").arg(settings.persistBatchSize()).arg("JUSTID")));
    }
    Future.all(claims).onSuccess(all -> {
      for (int i = 0; i < claims.size(); i++) {
        Response r = claims.get(i).result();
        if (r != null && r.size() > 1 && r.get(1).size() > 0) {
          log.info("took over {} pending entries of {}", r.get(1).size(), streams.get(i));
          readPendingFirst = true;
        }
      }
    });
  }

  private static boolean isConnectionError(Throwable err) {
    String m = String.valueOf(err.getMessage());
    return !m.startsWith("ERR") && !m.startsWith("NOGROUP") || m.contains("onnection");
  }
}
