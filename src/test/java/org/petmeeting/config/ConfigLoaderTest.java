package org.petmeeting.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private static AppConfig load(String yaml, Map<String, String> env) throws Exception {
    return ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), env);
  }

  @Test
  void defaultsLoadWithNoConfigurationAtAll() {
    AppConfig c = ConfigLoader.loadDefaults(Map.of());
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.db().primary().port()).isEqualTo(3306);
    assertThat(c.db().hasReplica()).isFalse();
    assertThat(c.redis().endpoints()).containsExactly("redis://127.0.0.1:6379");
    assertThat(c.limits().maxFrameBytes()).isEqualTo(65536);
  }

  @Test
  void environmentVariablesOverrideEachSetting() throws Exception {
    AppConfig c = load("{}", Map.of(
        "PM_HTTP_PORT", "9090",
        "PM_DB_PRIMARY_POOL_SIZE", "3",
        "PM_REDIS_ENDPOINTS", "redis://a:1, redis://b:2",
        "PM_REDIS_EXPECT_AOF", "true",
        "PM_AUTH_JWT_SECRET", "x".repeat(40)));
    assertThat(c.http().port()).isEqualTo(9090);
    assertThat(c.db().primary().poolSize()).isEqualTo(3);
    assertThat(c.redis().endpoints()).containsExactly("redis://a:1", "redis://b:2");
    assertThat(c.redis().expectAof()).isTrue();
    assertThat(c.auth().jwtSecret()).hasSize(40);
  }

  @Test
  void aPartialFileKeepsTheDefaultsItLeavesOut() throws Exception {
    AppConfig c = load("http:\n  port: 7000\n", Map.of());
    assertThat(c.http().port()).isEqualTo(7000);
    assertThat(c.http().maxBodyBytes()).isEqualTo(65536);
  }

  @Test
  void anOutOfRangeValueIsRefusedNamingTheSettingAndItsVariable() {
    assertThatThrownBy(() -> load("{}", Map.of("PM_HTTP_PORT", "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.port")
        .hasMessageContaining("PM_HTTP_PORT")
        .hasMessageContaining("70000");
  }

  @Test
  void aValueOfTheWrongTypeIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> load("{}", Map.of("PM_DB_PRIMARY_POOL_SIZE", "many")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("db.primary.poolSize")
        .hasMessageContaining("PM_DB_PRIMARY_POOL_SIZE")
        .hasMessageContaining("expected a number");
    assertThatThrownBy(() -> load("{}", Map.of("PM_REDIS_EXPECT_AOF", "yes please")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PM_REDIS_EXPECT_AOF");
  }

  @Test
  void anUnknownKeyInTheFileIsRefused() {
    assertThatThrownBy(() -> load("http:\n  prot: 80\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("prot");
  }

  @Test
  void anUnknownRedisTopologyIsRefused() {
    assertThatThrownBy(() -> load("{}", Map.of("PM_REDIS_TOPOLOGY", "cluster")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("redis.topology (PM_REDIS_TOPOLOGY)");
  }

  @Test
  void clusterModeRequiresAJwtSecret() {
    assertThatThrownBy(() -> load("{}", Map.of("PM_CLUSTER_ENABLED", "true")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PM_AUTH_JWT_SECRET");
  }

  @Test
  void aShortJwtSecretIsRefused() {
    assertThatThrownBy(() -> load("{}", Map.of("PM_AUTH_JWT_SECRET", "short")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.jwtSecret");
  }

  @Test
  void envNamesAreUpperSnakeCaseOfThePath() {
    assertThat(ConfigLoader.envName("db.replica.maxLagSeconds")).isEqualTo("PM_DB_REPLICA_MAX_LAG_SECONDS");
    assertThat(ConfigLoader.envName("http.port")).isEqualTo("PM_HTTP_PORT");
  }

  @Test
  void theReadmeDocumentsEveryEnvironmentVariable() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    try (InputStream in = Files.newInputStream(Path.of("conf", "application.yaml"))) {
      for (String path : ConfigLoader.settings(in).keySet()) {
        assertThat(readme).as("README documents " + path).contains("`" + ConfigLoader.envName(path) + "`");
      }
    }
  }
}
