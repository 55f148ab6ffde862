package org.petmeeting.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.petmeeting.support.RawWebSocket;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;

/** The server pings at the announced interval and closes a connection that stays silent. */
class PingTimeoutTest {

  @Test
  void aClientThatNeverAnswersPingsIsPingedThenClosed() throws Exception {
    try (TestServer server = TestServer.start(Map.of("PM_LIMITS_PING_INTERVAL_SEC", "1", "PM_LIMITS_PING_TIMEOUT_SEC", "4"))) {
      var user = TestUsers.create(server.app().services(), "silent");
      try (RawWebSocket ws = new RawWebSocket(server.port())) {
        ws.sendText("{\"type\":\"auth\",\"id\":\"1\",\"token\":\"" + user.token() + "\"}");
        int pings = 0;
        String welcome = null;
        RawWebSocket.Frame frame;
        do {
          frame = ws.read();
          if (frame.opcode() == 0x9) {
            pings++;
          } else if (frame.opcode() == 0x1 && welcome == null) {
            welcome = new String(frame.payload(), java.nio.charset.StandardCharsets.UTF_8);
          }
        } while (frame.opcode() != 0x8);
        assertThat(welcome).contains("\"pingIntervalSec\":1").contains("\"pingTimeoutSec\":4");
        // At least one: timers may slip on a loaded machine, and one unanswered ping suffices.
        assertThat(pings).isGreaterThanOrEqualTo(1);
        assertThat(frame.closeCode()).isEqualTo(1000);
      }
    }
  }
}
