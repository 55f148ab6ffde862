package org.petmeeting.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.support.ApiUsers;
import org.petmeeting.support.LoopbackClient;
import org.petmeeting.support.TestServer;

/**
 * Failed log-ins are limited per user name and per client address. Each client here comes from a
 * loopback address of its own, so the address counters start at zero.
 */
class LoginThrottleTest {
  private static final int LIMIT = 3;
  @RegisterExtension
  static final TestServer server =
      TestServer.perClass(Map.of("PM_AUTH_LOGIN_ATTEMPTS_PER_MINUTE", Integer.toString(LIMIT)));

  private static LoopbackClient client() {
    return new LoopbackClient(server.app().services().vertx(), server.port());
  }

  private static LoopbackClient.Reply login(LoopbackClient client, String username, String password) {
    return client.post("/api/v1/auth/login",
        new JsonObject().put("username", username).put("password", password).encode());
  }

  private static void assertThrottled(LoopbackClient.Reply r, String detail) {
    assertThat(r.status()).as(r.body()).isEqualTo(429);
    assertThat(r.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(Long.parseLong(r.headers().get("Retry-After"))).isBetween(1L, 60L);
    assertThat(new JsonObject(r.body()).getString("detail")).contains(detail);
  }

  @Test
  void afterTooManyFailuresForOneNameEvenTheRightPasswordIsRefusedWith429() {
    ApiUsers.Member victim = ApiUsers.signUp(server, "victim");
    try (LoopbackClient attacker = client(); LoopbackClient owner = client(); LoopbackClient bystander = client()) {
      for (int i = 0; i < LIMIT; i++) {
        assertThat(login(attacker, victim.username(), "guess-" + i).status()).isEqualTo(401);
      }
      // From another address, in another case, with the right password: the name is locked.
      assertThrottled(login(owner, victim.username().toUpperCase(), ApiUsers.PASSWORD), "for this user name");

      // Other names are not.
      ApiUsers.Member other = ApiUsers.signUp(server, "other");
      assertThat(login(bystander, other.username(), ApiUsers.PASSWORD).status()).isEqualTo(200);
    }
  }

  @Test
  void afterTooManyFailuresFromOneAddressEveryNameIsRefusedFromIt() {
    ApiUsers.Member user = ApiUsers.signUp(server, "addr");
    try (LoopbackClient sprayer = client(); LoopbackClient elsewhere = client()) {
      for (int i = 0; i < LIMIT; i++) {
        assertThat(login(sprayer, ApiUsers.uniqueName("spray"), "password-" + i).status()).isEqualTo(401);
      }
      assertThrottled(login(sprayer, user.username(), ApiUsers.PASSWORD), "from this address");

      assertThat(login(elsewhere, user.username(), ApiUsers.PASSWORD).status()).isEqualTo(200);
    }
  }

  @Test
  void failuresBelowTheLimitDoNotLockAndASuccessClearsTheNamesCount() {
    ApiUsers.Member user = ApiUsers.signUp(server, "forgetful");
    try (LoopbackClient a = client(); LoopbackClient b = client()) {
      for (int i = 0; i < LIMIT - 1; i++) {
        assertThat(login(a, user.username(), "typo-" + i).status()).isEqualTo(401);
      }
      assertThat(login(b, user.username(), ApiUsers.PASSWORD).status()).isEqualTo(200);
      // The name's count started again: LIMIT - 1 more failures still leave it open.
      for (int i = 0; i < LIMIT - 1; i++) {
        assertThat(login(b, user.username(), "typo-again-" + i).status()).isEqualTo(401);
      }
      try (LoopbackClient c = client()) {
        assertThat(login(c, user.username(), ApiUsers.PASSWORD).status()).isEqualTo(200);
      }
    }
  }
}
