# The collector image for the lane where the pinned contrib image cannot be pulled: the binary
# built from otel-collector/builder/ (the same release and the components this project uses),
# arranged as the release's image is (opentelemetry-collector-releases,
# distributions/otelcol-contrib/Dockerfile): FROM scratch, the CA bundle, /otelcol-contrib as the
# entrypoint, the default config's flag as the command, uid/gid 10001. Tagged with the pinned
# name, so docker-compose.yml runs it unchanged.
FROM scratch
ARG USER_UID=10001
ARG USER_GID=10001
USER ${USER_UID}:${USER_GID}
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY otelcol-contrib /otelcol-contrib
ENTRYPOINT ["/otelcol-contrib"]
CMD ["--config", "/etc/otelcol-contrib/config.yaml"]
EXPOSE 4317 4318 55679
