# Music Share: a multi-stage build. The build stage runs the README's build command; the runtime image is a small
# JRE (21, so request handling and push writers run on virtual threads) with a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so a source change does not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:21-jre-alpine
RUN addgroup -S musicshare && adduser -S -G musicshare musicshare \
  && mkdir -p /data/history && chown -R musicshare:musicshare /data
WORKDIR /app
COPY --from=build /src/target/music-share.jar /app/music-share.jar
USER musicshare
ENV PORT=5000
# The embedded session-history database when DATABASE_URL is unset (compose sets it): mount a volume here to keep it.
ENV HISTORY_DIR=/data/history
EXPOSE 5000
# /health is served under BASE_PATH like every route, so the probe follows PORT and BASE_PATH ("/" or "/music/"
# both end up as a path without a trailing slash).
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=3 \
  CMD base="${BASE_PATH:-/}"; wget -qO- "http://127.0.0.1:${PORT}${base%/}/health" >/dev/null || exit 1
# MaxRAMPercentage: size the heap from the container's memory limit rather than the host's.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/music-share.jar", "serve"]
