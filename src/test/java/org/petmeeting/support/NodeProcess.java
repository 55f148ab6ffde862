package org.petmeeting.support;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A server node in a process of its own (java org.petmeeting.Main), for cluster tests. */
public final class NodeProcess implements AutoCloseable {
  private final Process process;
  public final int port;
  public final Path log;
  public String nodeId;

  private NodeProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts a clustered node on loopback; {@code members} are the Hazelcast addresses to join. */
  public static NodeProcess start(int httpPort, int hazelcastPort, List<String> members, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(TestEnv.settings(Map.of()));
    env.put("PM_HTTP_PORT", Integer.toString(httpPort));
    env.put("PM_CLUSTER_ENABLED", "true");
    env.put("PM_CLUSTER_HOST", "127.0.0.1");
    env.put("PM_CLUSTER_PORT", Integer.toString(hazelcastPort));
    env.put("PM_CLUSTER_MEMBERS", String.join(",", members));
    env.put("PM_CHAT_PRESENCE_TTL_SECONDS", "3");
    env.put("PM_HTTP_SHUTDOWN_GRACE_MS", "3000");
    env.putAll(extra);
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath, "org.petmeeting.Main"));
    try {
      Path dir = Path.of("target", "cluster-logs");
      Files.createDirectories(dir);
      Path log = dir.resolve("node-" + httpPort + ".log");
      ProcessBuilder pb = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(env);
      return new NodeProcess(pb.start(), httpPort, log);
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot start a node", e);
    }
  }

  /** Waits until /health/ready answers 200; remembers the node's id. */
  public NodeProcess awaitReady(Duration timeout) {
    JsonObject body = Await.poll(timeout, () -> {
      if (!process.isAlive()) {
        return Future.failedFuture("node on port " + port + " exited; see " + log);
      }
      try {
        var r = TestServer.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(2)).GET().build());
        return Future.succeededFuture(r.statusCode() == 200 ? new JsonObject(r.body()) : null);
      } catch (AssertionError notYet) {
        return Future.succeededFuture(null);
      }
    });
    nodeId = body.getString("node");
    return this;
  }

  /** SIGKILL: the node dies with no chance to clean up. */
  public void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  /** SIGTERM: the node shuts down gracefully. */
  public void terminate() {
    process.destroy();
    waitForExit();
  }

  public boolean alive() {
    return process.isAlive();
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
