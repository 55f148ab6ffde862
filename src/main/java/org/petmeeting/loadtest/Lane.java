package org.petmeeting.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * One event loop's share of the clients. Everything a client does runs on this verticle's
 * context, so thousands of connections need a handful of threads, and the open-loop send schedule
 * (a timer that sends what is due by now) needs no locks either.
 */
final class Lane extends VerticleBase {
  static final long TICK_MS = 5;
  final Stats stats;
  private final LoadConfig config;
  private final String text;
  final List<Client> clients = new ArrayList<>();
  private final List<Client> senders = new ArrayList<>();
  private WebSocketClient webSockets;
  private volatile boolean stopping;
  private boolean sending;
  private long timer = -1;
  private long sendStart;
  private long sentBySchedule;
  private int nextSender;

  /** A copy of one client's knowledge of one room, taken on the lane for the final accounting. */
  record TrackCopy(int client, long room, int members, BitSet received, BitSet acked) {}

  Lane(LoadConfig config, Stats stats, String text) {
    this.config = config;
    this.stats = stats;
    this.text = text;
  }

  @Override
  public Future<?> start() {
    webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(Integer.MAX_VALUE)
        .setConnectTimeout(30_000)
        // A sync reply carries up to 500 messages of up to 4000 characters.
        .setMaxFrameSize(1 << 20).setMaxMessageSize(64 << 20));
    return Future.succeededFuture();
  }

  Vertx vertx() {
    return vertx;
  }

  LoadConfig settings() {
    return config;
  }

  WebSocketClient webSockets() {
    return webSockets;
  }

  String text() {
    return text;
  }

  boolean stopping() {
    return stopping;
  }

  boolean closedLoopSending() {
    return sending && config.closedLoop();
  }

  void add(Client c) {
    clients.add(c);
    if (c.hasRooms()) {
      senders.add(c);
    }
  }

  int senderCount() {
    return senders.size();
  }

  /** Runs {@code work} on this lane's event loop and hands back its result. */
  <T> Future<T> on(Supplier<Future<T>> work) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(p);
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  /** Result of connecting: clients welcomed and clients that could not connect. */
  record Connected(int ok, int failed) {}

  /** Connects the clients at {@code perSecond} (0 = all at once), at most {@code concurrency} handshakes at a time. */
  Future<Connected> connectAll(double perSecond, int concurrency) {
    return on(() -> {
      Promise<Connected> done = Promise.promise();
      int n = clients.size();
      if (n == 0) {
        return Future.succeededFuture(new Connected(0, 0));
      }
      long start = System.nanoTime();
      int[] started = {0};
      int[] inFlight = {0};
      int[] ok = {0};
      int[] failed = {0};
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        double elapsed = (System.nanoTime() - start) / 1e9;
        long due = perSecond <= 0 ? n : Math.min(n, 1 + (long) (perSecond * elapsed));
        while (started[0] < due && inFlight[0] < concurrency && !stopping) {
          Client c = clients.get(started[0]++);
          inFlight[0]++;
          c.start().onComplete(ar -> {
            inFlight[0]--;
            if (ar.succeeded()) {
              ok[0]++;
            } else {
              failed[0]++;
            }
            if (ok[0] + failed[0] == n) {
              done.tryComplete(new Connected(ok[0], failed[0]));
            } else {
              pump[0].run();
            }
          });
        }
      };
      long t = vertx.setPeriodic(10, id -> pump[0].run());
      pump[0].run();
      return done.future().onComplete(ar -> vertx.cancelTimer(t));
    });
  }

  /** Starts sending: open loop at {@code rate} messages/s over this lane's senders, or closed loop. */
  Future<Void> startSending(double rate) {
    return on(() -> {
      sending = true;
      if (config.closedLoop()) {
        for (Client c : senders) {
          for (int w = 0; w < config.window(); w++) {
            c.sendOne();
          }
        }
      } else if (rate > 0 && !senders.isEmpty()) {
        sendStart = System.nanoTime();
        sentBySchedule = 0;
        // Every 5 ms: what is due is sent at once. A 1 ms tick cost the tool several times the CPU
        // (an event-loop wake-up each time) for smoothness nobody can see.
        timer = vertx.setPeriodic(TICK_MS, id -> sendDue(rate));
      }
      return Future.succeededFuture();
    });
  }

  private void sendDue(double rate) {
    if (!sending) {
      return;
    }
    long due = (long) (rate * (System.nanoTime() - sendStart) / 1e9) - sentBySchedule;
    // Behind schedule (a pause): catch up, but never more than a second's worth at once.
    long cap = Math.max(1, (long) rate);
    if (due > cap) {
      stats.error("send_schedule_skipped");
      sentBySchedule += due - cap;
      due = cap;
    }
    for (long i = 0; i < due; i++) {
      sentBySchedule++;
      Client.Sent sent = sendNext();
      if (sent == Client.Sent.TOO_MANY_PENDING) {
        // The server is not keeping up: the offered rate is not sustained (sent < offered).
        stats.error("send_skipped_too_many_unacked");
      } else if (sent == Client.Sent.NOT_CONNECTED) {
        stats.error("send_skipped_no_connected_client");
      }
    }
  }

  /** Sends from the next client that can; if none can, says why (too many unacked wins). */
  private Client.Sent sendNext() {
    int n = senders.size();
    Client.Sent why = Client.Sent.NOT_CONNECTED;
    for (int tries = 0; tries < n; tries++) {
      Client c = senders.get(nextSender);
      nextSender = (nextSender + 1) % n;
      Client.Sent sent = c.sendOne();
      if (sent == Client.Sent.SENT) {
        return sent;
      }
      if (sent == Client.Sent.TOO_MANY_PENDING) {
        why = sent;
      }
    }
    return why;
  }

  Future<Void> stopSending() {
    return on(() -> {
      sending = false;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      return Future.succeededFuture();
    });
  }

  /** Copies of every client's per-room sets, taken on the event loop. */
  Future<List<TrackCopy>> tracks() {
    return on(() -> {
      List<TrackCopy> out = new ArrayList<>();
      for (Client c : clients) {
        for (Client.Track t : c.tracks) {
          out.add(new TrackCopy(c.index, t.room, t.members, (BitSet) t.received.clone(), (BitSet) t.acked.clone()));
        }
      }
      return Future.succeededFuture(out);
    });
  }

  /** Clients whose connection is up now. */
  Future<Integer> activeCount() {
    return on(() -> Future.succeededFuture((int) clients.stream().filter(Client::active).count()));
  }

  Future<Void> closeAll() {
    stopping = true;
    return on(() -> {
      clients.forEach(Client::close);
      return Future.succeededFuture();
    });
  }
}
