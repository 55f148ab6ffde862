package org.petmeeting.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The durable server's persistence backlog (messages in Redis not yet in MariaDB), read from its
 * {@code pm_persist_backlog} gauge. A closed-loop maximum is only sustainable if this stays flat:
 * a growing backlog means MariaDB is being outrun and the run borrowed from later.
 */
final class PersistBacklog {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private PersistBacklog() {}

  /**
   * The gauge as the servers report it; every node measures the same streams, so the largest
   * answer counts. -1 when no server has the gauge (the reference server has no persistence).
   */
  static long read(List<String> urls) {
    long backlog = -1;
    for (String url : urls) {
      backlog = Math.max(backlog, readOne(url));
    }
    return backlog;
  }

  static long readOne(String url) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/metrics"))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? parse(r.body()) : -1;
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The value of the {@code pm_persist_backlog} sample in Prometheus text, or -1. */
  static long parse(String prometheusText) {
    for (String line : prometheusText.split("\n")) {
      if (line.startsWith("pm_persist_backlog ") || line.startsWith("pm_persist_backlog{")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
      }
    }
    return -1;
  }
}
