# syntax=docker/dockerfile:1
# Decisioning as a container: the same build as `make dist` (release, Swift runtime linked in with
# --static-swift-stdlib) in the Swift image, then a slim Debian 12 runtime with exactly the runtime packages the
# release README lists (libmariadb3, libsqlite3-0, ca-certificates) and a non-root user.
#   docker build -t decisioning .
#   docker run -p 8080:8080 -v decisioning-data:/var/lib/decisioning decisioning
# `make check-dist` runs this build's binary on a bare bookworm root; no Docker engine runs in CI here.

FROM swift:6.3.1-bookworm AS build
# Build headers for the system libraries the package links (Connector/C and SQLite). Versions come from the pinned
# Debian release of the image; pinning each package's exact version would break on every Debian point release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmariadb-dev libsqlite3-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so that a source change does not fetch them again.
COPY Package.swift Package.resolved* ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product decisioning --static-swift-stdlib \
    && install -m 0755 "$(swift build -c release --show-bin-path)/decisioning" /usr/local/bin/decisioning \
    && strip --strip-debug /usr/local/bin/decisioning \
    && /usr/local/bin/decisioning --version

FROM debian:bookworm-slim
# Exactly the runtime packages of the release README (see the note on versions above).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmariadb3 libsqlite3-0 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 decisioning \
    && useradd --system --uid 10001 --gid decisioning --home-dir /var/lib/decisioning --shell /usr/sbin/nologin decisioning \
    && install -d -m 0750 -o decisioning -g decisioning /var/lib/decisioning \
    && install -d -m 0755 /etc/decisioning
COPY --from=build /usr/local/bin/decisioning /usr/local/bin/decisioning
COPY deploy/container/decisioning.json /etc/decisioning/decisioning.json
COPY deploy/container/entrypoint.sh /usr/local/bin/decisioning-entrypoint
USER 10001:10001
WORKDIR /var/lib/decisioning
VOLUME ["/var/lib/decisioning"]
EXPOSE 8080
# serve stops on SIGTERM: /readyz turns 503, a running flow gets service.shutdown_grace_seconds (30 s) to finish.
STOPSIGNAL SIGTERM
# No curl or wget in the image (they are not runtime packages): bash, which every Debian image has, sends the request
# over /dev/tcp and the check passes only on "HTTP/1.1 200".
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q '^HTTP/1\\.[01] 200'"]
ENTRYPOINT ["/usr/local/bin/decisioning-entrypoint"]
CMD ["serve"]
