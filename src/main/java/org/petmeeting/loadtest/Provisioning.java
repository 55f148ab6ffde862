package org.petmeeting.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.petmeeting.http.Json;

/**
 * Creates what a run needs through the public REST API, as any client would: one user per client
 * ({@code POST /api/v1/auth/signup}), then the rooms ({@code POST /api/v1/rooms/direct} for two
 * members, {@code POST /api/v1/rooms} for groups). Requests are spread over the nodes.
 */
final class Provisioning {
  static final String PASSWORD = "load-tool-password";

  /** A signed-up user; {@code url} is the node its client talks to. */
  record Account(int index, long id, String name, String token, String url) {}

  /** A room and the client indexes of its members. */
  record RoomPlan(long id, int[] members) {}

  record SignupBody(String username, String password, String displayName) {}

  record DirectBody(long userId) {}

  record GroupBody(String name, List<Long> memberIds) {}

  private final LoadConfig config;
  private final HttpClientAgent http;

  Provisioning(Vertx vertx, LoadConfig config) {
    this.config = config;
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000)
            .setIdleTimeout(60),
        new PoolOptions().setHttp1MaxSize(Math.max(8, config.restConcurrency())));
  }

  String url(int client) {
    return config.urls().get(client % config.urls().size());
  }

  Future<List<Account>> signUp() {
    return inParallel(config.clients(), config.restConcurrency(), i -> {
      String name = "lt" + config.runId() + "-" + i;
      return post(url(i), "/api/v1/auth/signup", null, new SignupBody(name, PASSWORD, "Load " + i), 201)
          .map(body -> new Account(i, body.get("user").get("id").asLong(), name, body.get("token").asText(), url(i)));
    });
  }

  /** The members of room {@code r}: client indexes, spread evenly; direct pairs never repeat. */
  static int[] members(int r, int clients, int size) {
    if (size == 2) {
      // Pair (a, a + d): d grows by one each time the rooms wrap around the clients. With d at most
      // (clients - 1) / 2 no pair is repeated (LoadConfig checks the room count).
      int a = r % clients;
      int d = 1 + r / clients;
      return new int[] {a, (a + d) % clients};
    }
    int[] m = new int[size];
    for (int k = 0; k < size; k++) {
      m[k] = (int) (((long) r * size + k) % clients);
    }
    return m;
  }

  Future<List<RoomPlan>> createRooms(List<Account> accounts) {
    int clients = accounts.size();
    return inParallel(config.rooms(), config.restConcurrency(), r -> {
      int[] m = members(r, clients, config.roomSize());
      Account creator = accounts.get(m[0]);
      Future<JsonNode> created;
      if (config.roomSize() == 2) {
        created = post(creator.url(), "/api/v1/rooms/direct", creator.token(),
            new DirectBody(accounts.get(m[1]).id()), 201);
      } else {
        List<Long> ids = new ArrayList<>();
        for (int k = 1; k < m.length; k++) {
          ids.add(accounts.get(m[k]).id());
        }
        created = post(creator.url(), "/api/v1/rooms", creator.token(),
            new GroupBody("load " + config.runId() + " " + r, ids), 201);
      }
      return created.map(body -> new RoomPlan(body.get("id").asLong(), m));
    }).compose(rooms -> {
      Set<Long> ids = new HashSet<>();
      for (RoomPlan p : rooms) {
        if (!ids.add(p.id())) {
          return Future.failedFuture(new IllegalStateException("room " + p.id() + " was handed out twice (members "
              + Arrays.toString(p.members()) + ")"));
        }
      }
      return Future.succeededFuture(rooms);
    });
  }

  private Future<JsonNode> post(String base, String path, String token, Object body, int expected) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(base + path)
        .putHeader("Content-Type", "application/json").setTimeout(60_000);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    Buffer payload = Buffer.buffer(Json.write(body));
    return attempt(options, payload, expected, 3);
  }

  private Future<JsonNode> attempt(RequestOptions options, Buffer payload, int expected, int attemptsLeft) {
    return http.request(options)
        .compose(req -> req.send(payload))
        .compose(resp -> resp.body().compose(b -> {
          if (resp.statusCode() != expected) {
            return Future.failedFuture(new IllegalStateException(options.getMethod() + " " + options.getURI()
                + " answered " + resp.statusCode() + ": " + b.toString()));
          }
          try {
            return Future.succeededFuture(Json.MAPPER.readTree(b.getBytes()));
          } catch (java.io.IOException e) {
            return Future.failedFuture(e);
          }
        }))
        .recover(err -> attemptsLeft > 1 && !(err instanceof IllegalStateException)
            ? attempt(options, payload, expected, attemptsLeft - 1)
            : Future.failedFuture(err));
  }

  /** Runs {@code task(0..count-1)} with at most {@code concurrency} in flight; results in index order. */
  static <T> Future<List<T>> inParallel(int count, int concurrency, IntFunction<Future<T>> task) {
    Promise<List<T>> done = Promise.promise();
    List<T> results = new ArrayList<>(java.util.Collections.nCopies(count, (T) null));
    if (count == 0) {
      done.complete(results);
      return done.future();
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= count || done.future().isComplete()) {
        return;
      }
      task.apply(i).onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        synchronized (results) {
          results.set(i, ar.result());
        }
        if (finished.incrementAndGet() == count) {
          synchronized (results) {
            done.tryComplete(results);
          }
        } else {
          pump[0].run();
        }
      });
    };
    for (int k = 0; k < Math.min(concurrency, count); k++) {
      pump[0].run();
    }
    return done.future();
  }

  Future<Void> close() {
    return http.close();
  }
}
