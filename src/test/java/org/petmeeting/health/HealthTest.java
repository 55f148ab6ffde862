package org.petmeeting.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.support.TestServer;

class HealthTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void livenessAnswersUp() {
    HttpResponse<String> r = server.get("/health/live");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"UP\"");
  }

  @Test
  void readinessIsUpWhenThePrimaryDatabaseAndRedisAnswer() {
    HttpResponse<String> r = server.get("/health/ready");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"database\":\"UP\"").contains("\"redis\":\"UP\"");
  }

  @Test
  void metricsAreServedInPrometheusFormat() {
    HttpResponse<String> r = server.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).contains("pm_ws_connections").contains("pm_send_to_ack").contains("pm_persist_backlog")
        .contains("pm_db_replica_lag_ms");
  }

  @Test
  void anUnknownApiPathIsAProblemJson404() {
    HttpResponse<String> r = server.get("/api/v1/nothing-here");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.body()).contains("\"status\":404");
  }
}
