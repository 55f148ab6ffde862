# Pet Meeting server image.
#   docker build -t petmeeting-server:0.1.0-SNAPSHOT .
# Stage 1 builds the shaded jar; stage 2 is a JRE-only runtime that runs it as a non-root user.

# ---- build -----------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies first, in their own layer: it is rebuilt only when pom.xml changes.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
# conf/ is a resource directory of the build (the defaults file ships inside the jar too).
COPY conf ./conf
COPY src/main ./src/main
RUN mvn -B -DskipTests package

# ---- runtime ---------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
# A fixed numeric uid/gid, so Kubernetes can verify runAsNonRoot (k8s/base/deployment.yaml uses it).
RUN groupadd --system --gid 10001 petmeeting \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin petmeeting
# The server reads conf/application.yaml from its working directory; PM_* variables override it.
WORKDIR /app
COPY --from=build /build/target/petmeeting-server-0.1.0-SNAPSHOT.jar /app/petmeeting-server.jar
COPY --from=build /build/conf/application.yaml /app/conf/application.yaml
# The JVM sizes its heap from the container's memory limit and exits on OutOfMemoryError so the
# orchestrator restarts it instead of leaving a half-working node. Override the whole variable to
# change them (it is read by the JVM itself, so it works with the exec-form ENTRYPOINT below).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseZGC -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
# 8080: HTTP, WebSocket (/ws), health and metrics. 5701: Hazelcast (clustered event bus).
EXPOSE 8080 5701
# No HEALTHCHECK: Kubernetes probes /health/live and /health/ready (see k8s/base/deployment.yaml).
STOPSIGNAL SIGTERM
# Exec form: java is PID 1 and receives SIGTERM itself, which starts the graceful shutdown.
ENTRYPOINT ["java", "-jar", "/app/petmeeting-server.jar"]
