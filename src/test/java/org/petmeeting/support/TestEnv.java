package org.petmeeting.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.petmeeting.config.AppConfig;
import org.petmeeting.config.ConfigLoader;

/**
 * Configuration for tests: the local environment of scripts/localenv.sh (MariaDB primary 13306,
 * replica 13307, Redis primary 16379), a database and a Redis db index of their own so a dev
 * server on the same environment is not disturbed. Each PM_TEST_* variable overrides its part.
 */
public final class TestEnv {
  private TestEnv() {}

  public static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  public static final String DB_HOST = env("PM_TEST_DB_HOST", "127.0.0.1");
  public static final int PRIMARY_PORT = Integer.parseInt(env("PM_TEST_DB_PRIMARY_PORT", "13306"));
  public static final int REPLICA_PORT = Integer.parseInt(env("PM_TEST_DB_REPLICA_PORT", "13307"));
  public static final String DB_USER = env("PM_TEST_DB_USER", "petmeeting");
  public static final String DB_PASSWORD = env("PM_DB_PASSWORD", "petmeeting-local");
  public static final String DB_NAME = env("PM_TEST_DB_NAME", "petmeeting_test");
  public static final String REDIS = env("PM_TEST_REDIS", "redis://127.0.0.1:16379/1");

  /** Settings for one test server; {@code overrides} use the PM_* names of the README. */
  public static Map<String, String> settings(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("PM_HTTP_HOST", "127.0.0.1");
    env.put("PM_HTTP_PORT", Integer.toString(freePort()));
    env.put("PM_HTTP_GATEWAY_INSTANCES", "2");
    env.put("PM_DB_PRIMARY_HOST", DB_HOST);
    env.put("PM_DB_PRIMARY_PORT", Integer.toString(PRIMARY_PORT));
    env.put("PM_DB_PRIMARY_DATABASE", DB_NAME);
    env.put("PM_DB_PRIMARY_USER", DB_USER);
    env.put("PM_DB_PRIMARY_PASSWORD", DB_PASSWORD);
    env.put("PM_DB_REPLICA_HOST", DB_HOST);
    env.put("PM_DB_REPLICA_PORT", Integer.toString(REPLICA_PORT));
    env.put("PM_DB_REPLICA_DATABASE", DB_NAME);
    env.put("PM_DB_REPLICA_USER", DB_USER);
    env.put("PM_DB_REPLICA_PASSWORD", DB_PASSWORD);
    env.put("PM_DB_REPLICA_CHECK_INTERVAL_MS", "500");
    env.put("PM_REDIS_ENDPOINTS", REDIS);
    env.put("PM_AUTH_JWT_SECRET", "test-secret-test-secret-test-secret-0123456789");
    env.put("PM_AUTH_BCRYPT_COST", "4");
    env.putAll(overrides);
    return env;
  }

  public static AppConfig config(Map<String, String> overrides) {
    return ConfigLoader.loadDefaults(settings(overrides));
  }

  public static AppConfig config() {
    return config(Map.of());
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
