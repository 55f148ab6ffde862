package org.petmeeting.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.petmeeting.config.AppConfig;

/**
 * The Hazelcast cluster manager behind the clustered event bus. Locally and in tests members find
 * each other by TCP-IP on the listed addresses; in Kubernetes by the DNS of a headless service.
 * Multicast is never used: it is off in most networks and would join strangers on a laptop.
 */
public final class ClusterManagers {
  public static final String CLUSTER_NAME = "petmeeting";

  private ClusterManagers() {}

  public static HazelcastClusterManager create(AppConfig.Cluster cluster) {
    // Vert.x's defaults (its subscription multimap and node maps) with our network on top.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(CLUSTER_NAME);
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A killed member is noticed within seconds rather than the default minute.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "8");
    config.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(true);
    if (!cluster.host().isBlank()) {
      config.setProperty("hazelcast.local.localAddress", cluster.host());
      config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(cluster.host());
    }
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (!cluster.kubernetesService().isBlank()) {
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cluster.kubernetesService());
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }
    return new HazelcastClusterManager(config);
  }
}
