package org.petmeeting.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.petmeeting.config.AppConfig;
import org.petmeeting.config.ConfigLoader;

/**
 * The deployment files checked against each other and against the server, with no cluster: every
 * manifest under {@code k8s/} is well formed, each kustomization (base and overlays) is
 * self-consistent (selectors, ports, references), the server gets only real {@code PM_*} settings
 * and a configuration it accepts, and the Dockerfile matches the Deployment.
 *
 * <p>A kustomization is modelled by its resources (bases included) and ConfigMap generators;
 * patches are checked to exist but not applied.
 */
class KubernetesManifestsTest {
  private static final Path K8S = Path.of("k8s");
  private static final Path DOCKERFILE = Path.of("Dockerfile");
  private static final Path DEFAULTS = Path.of("conf", "application.yaml");
  private static final Path HEALTH_ROUTES = Path.of("src/main/java/org/petmeeting/health/HealthRoutes.java");
  private static final String SERVER = "petmeeting";
  private static final String SERVER_CONTAINER = "server";
  private static final String SECRETS = "petmeeting-secrets";
  private static final String LIVE = "/health/live";
  private static final String READY = "/health/ready";
  /** Variables the server reads that are not settings in conf/application.yaml. */
  private static final Set<String> SPECIAL_VARIABLES = Set.of("PM_CONFIG", "PM_LOG_LEVEL");
  /** Main waits this long beyond http.shutdownGraceMs for the stop to finish. */
  private static final long MAIN_STOP_MARGIN_MS = 5_000;
  private static final Set<String> KNOWN_KINDS = Set.of(
      "apps/v1 Deployment", "apps/v1 StatefulSet",
      "v1 Service", "v1 ConfigMap", "v1 Secret", "v1 ServiceAccount",
      "networking.k8s.io/v1 Ingress", "autoscaling/v2 HorizontalPodAutoscaler", "policy/v1 PodDisruptionBudget",
      "kustomize.config.k8s.io/v1beta1 Kustomization");
  /** Values the kubelet fills in from the downward API, as examples for loading the configuration. */
  private static final Map<String, String> DOWNWARD_EXAMPLES = Map.of(
      "status.podIP", "10.1.2.3", "metadata.name", "petmeeting-0", "metadata.namespace", "default");
  private static final YAMLMapper YAML = new YAMLMapper();

  // ------------------------------------------------------------------------------ every file ---

  @Test
  void everyManifestIsAKnownKindWithAName() {
    List<Manifest> all = yamlFiles(K8S).stream().flatMap(f -> manifests(f).stream()).toList();
    assertThat(all).as("manifests under k8s/").hasSizeGreaterThan(10);
    for (Manifest m : all) {
      assertThat(m.doc().path("apiVersion").asText()).as(m + ": apiVersion").isNotBlank();
      assertThat(m.kind()).as(m + ": kind").isNotBlank();
      assertThat(m.apiVersion() + " " + m.kind()).as(m + ": apiVersion and kind").isIn(KNOWN_KINDS);
      if (!m.is("Kustomization")) {
        assertThat(m.name()).as(m + ": metadata.name").isNotBlank();
      }
    }
  }

  @Test
  void kustomizationsListFilesThatExistAndEveryManifestBesideThem() {
    List<Path> kustomizations = kustomizationFiles();
    assertThat(kustomizations).as("kustomizations under k8s/").hasSizeGreaterThanOrEqualTo(2);
    for (Path file : kustomizations) {
      Path dir = file.getParent();
      JsonNode k = single(file);
      Set<String> listed = new LinkedHashSet<>();
      k.path("resources").forEach(r -> listed.add(r.asText()));
      k.path("components").forEach(r -> listed.add(r.asText()));
      k.path("patchesStrategicMerge").forEach(r -> listed.add(r.asText()));
      k.path("patches").forEach(p -> {
        if (p.has("path")) {
          listed.add(p.path("path").asText());
        }
      });
      for (String kind : List.of("configMapGenerator", "secretGenerator")) {
        k.path(kind).forEach(g -> {
          g.path("envs").forEach(e -> listed.add(e.asText()));
          g.path("files").forEach(e -> listed.add(e.asText().replaceFirst("^[^=]*=", "")));
        });
      }
      for (String entry : listed) {
        Path target = dir.resolve(entry).normalize();
        assertThat(target).as(file + " lists " + entry).exists();
        if (Files.isDirectory(target)) {
          assertThat(target.resolve("kustomization.yaml")).as(file + " lists the directory " + entry).exists();
        }
        assertThat(entry).as(file + ": a secret template must never be applied").doesNotEndWith(".example.yaml");
      }
      for (Path sibling : yamlFiles(dir)) {
        String name = sibling.getFileName().toString();
        if (sibling.getParent().equals(dir) && !name.equals("kustomization.yaml") && !name.endsWith(".example.yaml")) {
          assertThat(listed).as(file + " leaves out " + name).contains(name);
        }
      }
    }
  }

  // ------------------------------------------------------------------- each kustomization ---

  static Stream<Path> kustomizationDirs() {
    return kustomizationFiles().stream().map(Path::getParent);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizationDirs")
  void eachServiceSelectsThePodsOfExactlyOneWorkload(Path dir) {
    Tree tree = Tree.build(dir);
    assertThat(tree.of("Service")).as(dir + ": services").isNotEmpty();
    for (Workload w : tree.workloads()) {
      assertThat(w.podLabels()).as(w + ": pod labels must contain its selector")
          .containsAllEntriesOf(strings(w.manifest().doc().path("spec").path("selector").path("matchLabels")));
    }
    for (Manifest service : tree.of("Service")) {
      Map<String, String> selector = strings(service.doc().path("spec").path("selector"));
      assertThat(selector).as(service + ": selector").isNotEmpty();
      assertThat(tree.selected(selector)).as(service + ": workloads whose pods it selects").hasSize(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizationDirs")
  void serviceTargetPortsAreDeclaredByTheSelectedContainers(Path dir) {
    Tree tree = Tree.build(dir);
    for (Manifest service : tree.of("Service")) {
      List<Workload> selected = tree.selected(strings(service.doc().path("spec").path("selector")));
      assertThat(service.doc().path("spec").path("ports")).as(service + ": ports").isNotEmpty();
      for (JsonNode port : service.doc().path("spec").path("ports")) {
        JsonNode target = port.has("targetPort") ? port.get("targetPort") : port.get("port");
        boolean declared = selected.stream().anyMatch(w -> w.containerPort(target) != null);
        assertThat(declared).as(service + ": targetPort " + target + " is a container port of " + selected).isTrue();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizationDirs")
  void ingressRoutesToAnExistingServicePortAndOutwaitsTheServersPing(Path dir) {
    Tree tree = Tree.build(dir);
    AppConfig config = tree.serverConfig();
    assertThat(tree.of("Ingress")).as(dir + ": ingresses").isNotEmpty();
    for (Manifest ingress : tree.of("Ingress")) {
      List<JsonNode> backends = new ArrayList<>();
      if (ingress.doc().path("spec").has("defaultBackend")) {
        backends.add(ingress.doc().path("spec").path("defaultBackend"));
      }
      ingress.doc().path("spec").path("rules").forEach(rule ->
          rule.path("http").path("paths").forEach(p -> backends.add(p.path("backend"))));
      assertThat(backends).as(ingress + ": backends").isNotEmpty();
      for (JsonNode backend : backends) {
        JsonNode service = backend.path("service");
        Manifest target = tree.named("Service", service.path("name").asText());
        assertThat(target).as(ingress + ": backend service " + service.path("name")).isNotNull();
        JsonNode port = service.path("port");
        boolean exists = false;
        for (JsonNode p : target.doc().path("spec").path("ports")) {
          exists |= port.has("name") ? port.path("name").asText().equals(p.path("name").asText())
              : port.path("number").asInt() == p.path("port").asInt();
        }
        assertThat(exists).as(ingress + ": port " + port + " of service " + target.name()).isTrue();
      }
      // An idle WebSocket that the server still considers alive must not be cut by the proxy.
      JsonNode annotations = ingress.doc().path("metadata").path("annotations");
      for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
        String value = annotations.path("nginx.ingress.kubernetes.io/" + timeout).asText("");
        assertThat(value).as(ingress + ": " + timeout).matches("\\d+");
        assertThat(Long.parseLong(value)).as(ingress + ": " + timeout + " in seconds")
            .isGreaterThan(config.limits().pingTimeoutSec());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizationDirs")
  void autoscalerAndDisruptionBudgetTargetTheServerDeployment(Path dir) {
    Tree tree = Tree.build(dir);
    Workload server = tree.server();
    List<Manifest> hpas = tree.of("HorizontalPodAutoscaler");
    assertThat(hpas).as(dir + ": autoscalers").hasSize(1);
    JsonNode hpa = hpas.get(0).doc().path("spec");
    assertThat(hpa.path("scaleTargetRef").path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(hpa.path("scaleTargetRef").path("kind").asText()).isEqualTo("Deployment");
    assertThat(hpa.path("scaleTargetRef").path("name").asText()).as("autoscaled Deployment").isEqualTo(server.name());
    int min = hpa.path("minReplicas").asInt();
    int max = hpa.path("maxReplicas").asInt();
    assertThat(min).as("minReplicas").isGreaterThanOrEqualTo(3).isLessThanOrEqualTo(max);
    assertThat(server.manifest().doc().path("spec").path("replicas").asInt()).as("Deployment replicas").isBetween(min, max);
    assertThat(hpa.path("metrics")).as("autoscaler metrics").anySatisfy(m ->
        assertThat(m.path("resource").path("name").asText()).isEqualTo("cpu"));

    List<Manifest> pdbs = tree.of("PodDisruptionBudget");
    assertThat(pdbs).as(dir + ": disruption budgets").hasSize(1);
    JsonNode pdb = pdbs.get(0).doc().path("spec");
    assertThat(tree.selected(strings(pdb.path("selector").path("matchLabels"))))
        .as("workloads the disruption budget selects").containsExactly(server);
    boolean keepsTwo = pdb.path("maxUnavailable").asInt(Integer.MAX_VALUE) == 1 || pdb.path("minAvailable").asInt() >= 2;
    assertThat(keepsTwo).as("disruption budget keeps two of three pods up: " + pdb).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizationDirs")
  void probesHitTheHealthRoutesOnTheHttpPort(Path dir) throws IOException {
    Tree tree = Tree.build(dir);
    Workload server = tree.server();
    JsonNode container = server.container(SERVER_CONTAINER);
    String routes = Files.readString(HEALTH_ROUTES);
    Map<String, String> expected = Map.of("readinessProbe", READY, "livenessProbe", LIVE, "startupProbe", LIVE);
    for (Map.Entry<String, String> probe : expected.entrySet()) {
      JsonNode httpGet = container.path(probe.getKey()).path("httpGet");
      assertThat(httpGet.path("path").asText()).as(probe.getKey() + " path").isEqualTo(probe.getValue());
      assertThat(routes).as("HealthRoutes serves " + probe.getValue()).contains("\"" + probe.getValue() + "\"");
      JsonNode port = server.containerPort(httpGet.path("port"));
      assertThat(port).as(probe.getKey() + " port " + httpGet.path("port") + " is a container port").isNotNull();
      assertThat(port.path("containerPort").asInt()).as(probe.getKey() + " port is the server's http.port")
          .isEqualTo(tree.serverConfig().http().port());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizationDirs")
  void clusterDiscoveryUsesAHeadlessServiceThatListsPodsBeforeTheyAreReady(Path dir) {
    Tree tree = Tree.build(dir);
    Workload server = tree.server();
    AppConfig config = tree.serverConfig();
    assertThat(config.cluster().enabled()).as("PM_CLUSTER_ENABLED").isTrue();
    Manifest service = tree.named("Service", config.cluster().kubernetesService());
    assertThat(service).as("the Service named by PM_CLUSTER_KUBERNETES_SERVICE").isNotNull();
    JsonNode spec = service.doc().path("spec");
    assertThat(spec.path("clusterIP").asText()).as(service + ": clusterIP").isEqualTo("None");
    assertThat(spec.path("publishNotReadyAddresses").asBoolean()).as(service + ": publishNotReadyAddresses").isTrue();
    assertThat(tree.selected(strings(spec.path("selector")))).as(service + ": selects").containsExactly(server);
    boolean hazelcast = false;
    for (JsonNode port : spec.path("ports")) {
      JsonNode target = server.containerPort(port.has("targetPort") ? port.get("targetPort") : port.get("port"));
      hazelcast |= target != null && target.path("containerPort").asInt() == config.cluster().port();
    }
    assertThat(hazelcast).as(service + " reaches the server's cluster.port " + config.cluster().port()).isTrue();
    assertThat(server.containerPort(YAML.getNodeFactory().numberNode(config.cluster().port())))
        .as("the server container declares cluster.port").isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizationDirs")
  void terminationGraceOutlastsPreStopAndShutdown(Path dir) {
    Tree tree = Tree.build(dir);
    JsonNode pod = tree.server().manifest().doc().path("spec").path("template").path("spec");
    JsonNode preStop = tree.server().container(SERVER_CONTAINER).path("lifecycle").path("preStop").path("exec").path("command");
    assertThat(preStop.size()).as("preStop command " + preStop).isEqualTo(2);
    assertThat(preStop.get(0).asText()).as("preStop command " + preStop).isEqualTo("sleep");
    long preStopMs = Long.parseLong(preStop.get(1).asText()) * 1000;
    assertThat(preStopMs).as("preStop sleep").isPositive();
    long graceMs = pod.path("terminationGracePeriodSeconds").asLong() * 1000;
    long needed = preStopMs + tree.serverConfig().http().shutdownGraceMs() + MAIN_STOP_MARGIN_MS;
    assertThat(graceMs).as("terminationGracePeriodSeconds (ms) vs preStop + shutdownGraceMs + " + MAIN_STOP_MARGIN_MS)
        .isGreaterThan(needed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizationDirs")
  void referencedConfigMapsSecretsAndAccountsExist(Path dir) {
    Tree tree = Tree.build(dir);
    for (Workload w : tree.workloads()) {
      JsonNode pod = w.podSpec();
      if (pod.has("serviceAccountName")) {
        assertThat(tree.named("ServiceAccount", pod.path("serviceAccountName").asText()))
            .as(w + ": serviceAccountName").isNotNull();
      }
      if (w.manifest().is("StatefulSet")) {
        assertThat(tree.named("Service", w.manifest().doc().path("spec").path("serviceName").asText()))
            .as(w + ": serviceName").isNotNull();
      }
      for (JsonNode c : w.containers()) {
        c.path("envFrom").forEach(from -> {
          if (from.has("configMapRef")) {
            String name = from.path("configMapRef").path("name").asText();
            assertThat(tree.configMap(name)).as(w + ": envFrom ConfigMap " + name).isNotNull();
          }
          if (from.has("secretRef")) {
            String name = from.path("secretRef").path("name").asText();
            assertThat(tree.secret(name)).as(w + ": envFrom Secret " + name).isNotNull();
          }
        });
        c.path("env").forEach(env -> {
          JsonNode ref = env.path("valueFrom");
          if (ref.has("secretKeyRef")) {
            String name = ref.path("secretKeyRef").path("name").asText();
            assertThat(tree.secret(name)).as(w + ": secret " + name).isNotNull()
                .containsKey(ref.path("secretKeyRef").path("key").asText());
          }
          if (ref.has("configMapKeyRef")) {
            String name = ref.path("configMapKeyRef").path("name").asText();
            assertThat(tree.configMap(name)).as(w + ": ConfigMap " + name).isNotNull()
                .containsKey(ref.path("configMapKeyRef").path("key").asText());
          }
        });
        c.path("volumeMounts").forEach(mount -> {
          JsonNode volume = w.volume(mount.path("name").asText());
          assertThat(volume).as(w + ": volume of mount " + mount).isNotNull();
          if (volume.has("configMap") && mount.has("subPath")) {
            assertThat(tree.configMap(volume.path("configMap").path("name").asText()))
                .as(w + ": key of mount " + mount).containsKey(mount.path("subPath").asText());
          }
        });
      }
      pod.path("volumes").forEach(v -> {
        if (v.has("configMap")) {
          assertThat(tree.configMap(v.path("configMap").path("name").asText())).as(w + ": volume " + v).isNotNull();
        }
      });
    }
  }

  // ---------------------------------------------------------------------- configuration ---

  @Test
  void everyPmVariableInTheManifestsIsARealSetting() throws IOException {
    Set<String> known = knownVariables();
    Set<String> used = new TreeSet<>();
    for (Manifest m : yamlFiles(K8S).stream().flatMap(f -> manifests(f).stream()).toList()) {
      if (m.is("Deployment") || m.is("StatefulSet")) {
        new Workload(m).containers().forEach(c -> c.path("env").forEach(e -> used.add(e.path("name").asText())));
      }
      if (m.is("ConfigMap") || m.is("Secret")) {
        used.addAll(strings(m.doc().path("data")).keySet());
        used.addAll(strings(m.doc().path("stringData")).keySet());
      }
      if (m.is("Kustomization")) {
        m.doc().path("configMapGenerator").forEach(g -> used.addAll(generatorData(m.file().getParent(), g).keySet()));
      }
    }
    Set<String> pm = used.stream().filter(n -> n.startsWith(ConfigLoader.ENV_PREFIX)).collect(Collectors.toCollection(TreeSet::new));
    assertThat(pm).as("PM_* variables set in k8s/").contains("PM_CLUSTER_ENABLED", "PM_DB_PRIMARY_HOST", "PM_AUTH_JWT_SECRET");
    assertThat(known).as("settings in conf/application.yaml (and PM_CONFIG, PM_LOG_LEVEL)").containsAll(pm);
  }

  @Test
  void secretsAreOnlyInTheSecretTemplateAndItHoldsThemAll() throws IOException {
    Set<String> secrets = new TreeSet<>();
    try (InputStream in = Files.newInputStream(DEFAULTS)) {
      for (String path : ConfigLoader.settings(in).keySet()) {
        if (path.endsWith(".password") || path.endsWith(".jwtSecret")) {
          secrets.add(ConfigLoader.envName(path));
        }
      }
    }
    assertThat(secrets).as("secret settings").contains("PM_AUTH_JWT_SECRET", "PM_DB_PRIMARY_PASSWORD");
    Tree base = Tree.build(K8S.resolve("base"));
    assertThat(base.secret(SECRETS)).as("template of Secret " + SECRETS).isNotNull();
    assertThat(base.secret(SECRETS).keySet()).as("keys of the Secret template").containsExactlyInAnyOrderElementsOf(secrets);
    kustomizationDirs().map(Tree::build).forEach(tree -> {
      tree.configMaps().forEach((name, data) ->
          assertThat(data.keySet()).as(tree.dir() + ": ConfigMap " + name).doesNotContainAnyElementsOf(secrets));
      for (Workload w : tree.workloads()) {
        for (JsonNode c : w.containers()) {
          c.path("env").forEach(e -> {
            if (e.has("value")) {
              assertThat(secrets).as(w + ": literal env").doesNotContain(e.path("name").asText());
            }
          });
        }
      }
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizationDirs")
  void configurationGivenToTheServerPassesItsValidation(Path dir) {
    AppConfig config = Tree.build(dir).serverConfig();
    assertThat(config.cluster().kubernetesService()).as("PM_CLUSTER_KUBERNETES_SERVICE").isNotBlank();
    assertThat(config.auth().jwtSecret()).as("PM_AUTH_JWT_SECRET from the Secret").isNotEmpty();
  }

  // ------------------------------------------------------------------------- the image ---

  @Test
  void imageExposesExactlyTheServerContainersPorts() throws IOException {
    Set<Integer> exposed = new TreeSet<>();
    for (String line : runtimeStage()) {
      if (line.startsWith("EXPOSE ")) {
        for (String port : line.substring(7).trim().split("\\s+")) {
          exposed.add(Integer.parseInt(port.replaceFirst("/(tcp|udp)$", "")));
        }
      }
    }
    Set<Integer> declared = new TreeSet<>();
    Tree.build(K8S.resolve("base")).server().container(SERVER_CONTAINER).path("ports")
        .forEach(p -> declared.add(p.path("containerPort").asInt()));
    assertThat(declared).as("server container ports").isNotEmpty();
    assertThat(exposed).as("Dockerfile EXPOSE").isEqualTo(declared);
  }

  @Test
  void imageRunsTheBuiltJarAsPid1AndAsTheNonRootUserTheDeploymentRequires() throws IOException {
    List<String> runtime = runtimeStage();
    String pom = Files.readString(Path.of("pom.xml"));
    String jar = "target/" + firstGroup(pom, "<artifactId>([^<]+)</artifactId>") + "-"
        + firstGroup(pom, "<version>([^<]+)</version>") + ".jar";
    assertThat(runtime).as("runtime stage copies " + jar).anyMatch(l -> l.startsWith("COPY ") && l.contains(jar));
    assertThat(runtime).as("config beside the working directory")
        .contains("WORKDIR /app")
        .anyMatch(l -> l.startsWith("COPY ") && l.endsWith(" /app/conf/application.yaml"));
    assertThat(last(runtime, "ENTRYPOINT ")).as("exec-form ENTRYPOINT, so java is PID 1 and gets SIGTERM").startsWith("[");
    assertThat(last(runtime, "STOPSIGNAL ")).isEqualTo("SIGTERM");

    String user = last(runtime, "USER ");
    assertThat(user).as("Dockerfile USER must be a numeric uid (runAsNonRoot can verify only those)").matches("\\d+(:\\d+)?");
    long uid = Long.parseLong(user.split(":")[0]);
    assertThat(uid).as("image uid").isNotZero();
    JsonNode security = Tree.build(K8S.resolve("base")).server().podSpec().path("securityContext");
    assertThat(security.path("runAsNonRoot").asBoolean()).as("Deployment runAsNonRoot").isTrue();
    assertThat(security.path("runAsUser").asLong()).as("Deployment runAsUser").isEqualTo(uid);
  }

  // ------------------------------------------------------------------------------ model ---

  /** One YAML document of a file under k8s/. */
  record Manifest(Path file, int index, JsonNode doc) {
    String kind() {
      return doc.path("kind").asText();
    }

    String apiVersion() {
      return doc.path("apiVersion").asText();
    }

    String name() {
      return doc.path("metadata").path("name").asText();
    }

    boolean is(String kind) {
      return kind.equals(kind());
    }

    @Override
    public String toString() {
      return file + "#" + index + " " + kind() + " " + name();
    }
  }

  /** A Deployment or StatefulSet: what its pods carry. */
  record Workload(Manifest manifest) {
    String name() {
      return manifest.name();
    }

    JsonNode podSpec() {
      return manifest.doc().path("spec").path("template").path("spec");
    }

    Map<String, String> podLabels() {
      return strings(manifest.doc().path("spec").path("template").path("metadata").path("labels"));
    }

    /** Containers and init containers. */
    List<JsonNode> containers() {
      List<JsonNode> out = new ArrayList<>();
      podSpec().path("initContainers").forEach(out::add);
      podSpec().path("containers").forEach(out::add);
      return out;
    }

    JsonNode container(String name) {
      for (JsonNode c : podSpec().path("containers")) {
        if (c.path("name").asText().equals(name)) {
          return c;
        }
      }
      return fail(this + " has no container " + name);
    }

    /** The port a Service or probe refers to by name or number, or null. */
    JsonNode containerPort(JsonNode ref) {
      for (JsonNode c : podSpec().path("containers")) {
        for (JsonNode p : c.path("ports")) {
          boolean match = ref.isNumber() ? p.path("containerPort").asInt() == ref.asInt()
              : p.path("name").asText().equals(ref.asText());
          if (match) {
            return p;
          }
        }
      }
      return null;
    }

    /** A pod volume or a StatefulSet's volume claim template, by name, or null. */
    JsonNode volume(String name) {
      for (JsonNode v : podSpec().path("volumes")) {
        if (v.path("name").asText().equals(name)) {
          return v;
        }
      }
      for (JsonNode claim : manifest.doc().path("spec").path("volumeClaimTemplates")) {
        if (claim.path("metadata").path("name").asText().equals(name)) {
          return claim;
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return manifest.kind() + " " + name();
    }
  }

  /** What one kustomization applies: its resources (bases included), generated ConfigMaps, Secret templates. */
  record Tree(Path dir, List<Manifest> objects, Map<String, Map<String, String>> generated, List<Manifest> secretTemplates) {

    static Tree build(Path dir) {
      JsonNode k = single(dir.resolve("kustomization.yaml"));
      List<Manifest> objects = new ArrayList<>();
      Map<String, Map<String, String>> generated = new LinkedHashMap<>();
      List<Manifest> templates = new ArrayList<>();
      for (JsonNode r : k.path("resources")) {
        Path target = dir.resolve(r.asText()).normalize();
        if (Files.isDirectory(target)) {
          Tree base = build(target);
          objects.addAll(base.objects());
          generated.putAll(base.generated());
          templates.addAll(base.secretTemplates());
        } else {
          objects.addAll(manifests(target));
        }
      }
      for (JsonNode g : k.path("configMapGenerator")) {
        String name = g.path("name").asText();
        Map<String, String> data = generatorData(dir, g);
        switch (g.path("behavior").asText("create")) {
          case "merge" -> {
            assertThat(generated).as(dir + ": merge into ConfigMap " + name).containsKey(name);
            generated.get(name).putAll(data);
          }
          case "replace" -> generated.put(name, data);
          default -> {
            assertThat(generated).as(dir + ": ConfigMap " + name + " generated twice").doesNotContainKey(name);
            generated.put(name, data);
          }
        }
      }
      for (Path f : yamlFiles(dir)) {
        if (f.getParent().equals(dir) && f.getFileName().toString().endsWith(".example.yaml")) {
          templates.addAll(manifests(f));
        }
      }
      return new Tree(dir, objects, generated, templates);
    }

    List<Manifest> of(String kind) {
      return objects.stream().filter(m -> m.is(kind)).toList();
    }

    Manifest named(String kind, String name) {
      return of(kind).stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }

    List<Workload> workloads() {
      return objects.stream().filter(m -> m.is("Deployment") || m.is("StatefulSet")).map(Workload::new).toList();
    }

    /** Workloads whose pods carry every label of the selector. */
    List<Workload> selected(Map<String, String> selector) {
      return workloads().stream().filter(w -> w.podLabels().entrySet().containsAll(selector.entrySet())).toList();
    }

    Workload server() {
      Manifest m = named("Deployment", SERVER);
      assertThat(m).as(dir + ": Deployment " + SERVER).isNotNull();
      return new Workload(m);
    }

    /** ConfigMaps by name: generated ones and documents. */
    Map<String, Map<String, String>> configMaps() {
      Map<String, Map<String, String>> out = new LinkedHashMap<>(generated);
      of("ConfigMap").forEach(m -> out.put(m.name(), strings(m.doc().path("data"))));
      return out;
    }

    Map<String, String> configMap(String name) {
      return configMaps().get(name);
    }

    /** A Secret's keys and values, from a Secret in the tree or a template beside a kustomization. */
    Map<String, String> secret(String name) {
      List<Manifest> all = new ArrayList<>(of("Secret"));
      secretTemplates.stream().filter(m -> m.is("Secret")).forEach(all::add);
      for (Manifest m : all) {
        if (m.name().equals(name)) {
          Map<String, String> out = new LinkedHashMap<>(strings(m.doc().path("data")));
          out.putAll(strings(m.doc().path("stringData")));
          return out;
        }
      }
      return null;
    }

    /** The server's environment as the kubelet would build it, with the Secret templates' values. */
    Map<String, String> serverEnvironment() {
      Map<String, String> env = new HashMap<>();
      JsonNode container = server().container(SERVER_CONTAINER);
      for (JsonNode from : container.path("envFrom")) {
        Map<String, String> source = from.has("configMapRef")
            ? configMap(from.path("configMapRef").path("name").asText())
            : secret(from.path("secretRef").path("name").asText());
        assertThat(source).as(dir + ": envFrom " + from).isNotNull();
        env.putAll(source);
      }
      for (JsonNode e : container.path("env")) {
        JsonNode from = e.path("valueFrom");
        String value;
        if (e.has("value")) {
          value = e.path("value").asText();
        } else if (from.has("secretKeyRef")) {
          value = secret(from.path("secretKeyRef").path("name").asText()).get(from.path("secretKeyRef").path("key").asText());
        } else if (from.has("configMapKeyRef")) {
          value = configMap(from.path("configMapKeyRef").path("name").asText()).get(from.path("configMapKeyRef").path("key").asText());
        } else {
          // The downward API: a pod IP or name, known only in the cluster.
          assertThat(from.path("fieldRef").path("fieldPath").asText()).as(dir + ": env " + e).isIn(DOWNWARD_EXAMPLES.keySet());
          value = DOWNWARD_EXAMPLES.get(from.path("fieldRef").path("fieldPath").asText());
        }
        env.put(e.path("name").asText(), value);
      }
      return env;
    }

    /** Loads the server's configuration from that environment: fails as the server would at start-up. */
    AppConfig serverConfig() {
      return ConfigLoader.loadDefaults(serverEnvironment());
    }
  }

  // ---------------------------------------------------------------------------- helpers ---

  private static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> kustomizationFiles() {
    return yamlFiles(K8S).stream().filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList();
  }

  /** Every non-empty document of a (possibly multi-document) YAML file. */
  private static List<Manifest> manifests(Path file) {
    List<Manifest> out = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      int index = 0;
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
          out.add(new Manifest(file, index, doc));
        }
        index++;
      }
    } catch (IOException e) {
      throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
    }
    return out;
  }

  private static JsonNode single(Path file) {
    List<Manifest> docs = manifests(file);
    assertThat(docs).as(file + " documents").hasSize(1);
    return docs.get(0).doc();
  }

  /** The data of one configMapGenerator entry: its literals and env files. */
  private static Map<String, String> generatorData(Path dir, JsonNode generator) {
    Map<String, String> data = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    generator.path("literals").forEach(l -> lines.add(l.asText()));
    for (JsonNode envs : generator.path("envs")) {
      try {
        lines.addAll(Files.readAllLines(dir.resolve(envs.asText())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      assertThat(eq).as(dir + ": generator entry '" + line + "' is KEY=VALUE").isPositive();
      data.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return data;
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static Set<String> knownVariables() throws IOException {
    Set<String> known = new TreeSet<>(SPECIAL_VARIABLES);
    try (InputStream in = Files.newInputStream(DEFAULTS)) {
      ConfigLoader.settings(in).keySet().forEach(path -> known.add(ConfigLoader.envName(path)));
    }
    return known;
  }

  /** The Dockerfile's instructions after its last FROM, continuation lines joined. */
  private static List<String> runtimeStage() throws IOException {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : Files.readAllLines(DOCKERFILE)) {
      String line = raw.strip();
      if (current.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      instructions.add(current.append(line).toString().strip());
      current.setLength(0);
    }
    int from = -1;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).startsWith("FROM ")) {
        from = i;
      }
    }
    assertThat(from).as("Dockerfile has a FROM").isNotNegative();
    return instructions.subList(from, instructions.size());
  }

  private static String last(List<String> instructions, String prefix) {
    String found = null;
    for (String line : instructions) {
      if (line.startsWith(prefix)) {
        found = line.substring(prefix.length()).strip();
      }
    }
    assertThat(found).as("Dockerfile runtime stage has " + prefix.strip()).isNotNull();
    return found;
  }

  private static String firstGroup(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text.replaceAll("(?s)<parent>.*?</parent>", ""));
    assertThat(m.find()).as("pom.xml has " + regex).isTrue();
    return m.group(1);
  }
}
