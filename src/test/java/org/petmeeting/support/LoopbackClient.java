package org.petmeeting.support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An HTTP client whose connections come from a random loopback address (127.x.y.z) instead of
 * 127.0.0.1, so that per-client-address limits (failed log-ins) of one test never touch
 * another's. Linux routes all of 127.0.0.0/8 to the loopback interface.
 */
public final class LoopbackClient implements AutoCloseable {
  public record Reply(int status, MultiMap headers, String body) {}

  private final HttpClient client;
  private final int port;
  private final String address;

  public LoopbackClient(Vertx vertx, int port) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    this.address = "127." + r.nextInt(1, 255) + "." + r.nextInt(0, 256) + "." + r.nextInt(1, 255);
    this.port = port;
    this.client = vertx.createHttpClient(new HttpClientOptions().setLocalAddress(address));
  }

  public String address() {
    return address;
  }

  public Reply post(String path, String json) {
    Future<Reply> reply = client.request(HttpMethod.POST, port, "127.0.0.1", path)
        .compose(req -> req.putHeader("Content-Type", "application/json").send(Buffer.buffer(json)))
        .compose(resp -> resp.body().map(body -> new Reply(resp.statusCode(), resp.headers(), body.toString())));
    return Await.result(reply);
  }

  @Override
  public void close() {
    Await.result(client.close());
  }
}
