# onebot-bridge container image.
#
#   docker build -t onebot-bridge .
#   docker run --rm -p 8080:8080 \
#     -e ONEBOT_BRIDGE_ACCESS_TOKEN=change-me \
#     -e ONEBOT_BRIDGE_UPSTREAM_URL=http://napcat:3000 -e ONEBOT_BRIDGE_UPSTREAM_TOKEN=... \
#     onebot-bridge
#
# Every configuration key is also ONEBOT_BRIDGE_<KEY> in the environment (see bridge.sample.yaml).
# The image listens on 0.0.0.0:8080, so the bridge REFUSES TO START (exit 78) until you set
# ONEBOT_BRIDGE_ACCESS_TOKEN. That is deliberate: bots exposed without a token were hijacked in 2025.
# The image does not set ONEBOT_BRIDGE_ALLOW_PUBLIC_WITHOUT_TOKEN and you should not either.
#
# No container engine? scripts/runtime-smoke checks the runtime stage below without one
# (debootstrap + chroot). It reads RUNTIME_PACKAGES, the COPY destinations, USER and the
# HEALTHCHECK command from this file, so keep those on the single lines they are on now.
# Deployment notes: docs/deployment.md.

# ---------------------------------------------------------------------------------------------
# Builder: the official Swift image. Package.swift's tools version (6.1) is the floor; 6.3 is the
# toolchain the project is developed and tested with. Override with --build-arg SWIFT_VERSION=6.1.
ARG SWIFT_VERSION=6.3
FROM swift:${SWIFT_VERSION}-bookworm AS builder

# The design card names libssl-dev and zlib1g-dev. zlib is linked (swift-nio-extras' HTTP
# compression links -lz). TLS comes from the BoringSSL that swift-nio-ssl/swift-crypto vendor, so
# the binary does not link the system libssl; the headers are installed anyway, as specified.
RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get -q update \
 && apt-get -q install -y --no-install-recommends libssl-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# Dependencies first, so a source edit does not refetch them. Package.resolved is excluded by
# .dockerignore (it is not committed either), so the image resolves like a fresh clone does.
COPY Package.swift ./
RUN swift package resolve

COPY . .
# --static-swift-stdlib links libswiftCore, Foundation (with its ICU data), Dispatch and the other
# Swift runtime libraries into the binary: the runtime stage needs no Swift toolchain. What is
# still dynamic is glibc, libstdc++, libgcc_s and zlib (see RUNTIME_PACKAGES below).
# strip: a release build carries ~60 MB of DWARF; the image does not need it.
# scripts/release-build holds the flags, shared with scripts/runtime-smoke and bench/.
RUN install -D -m 0755 "$(SCRATCH=.build scripts/release-build)" /staging/onebot-bridge \
 && strip /staging/onebot-bridge \
 && /staging/onebot-bridge --help >/dev/null

# ---------------------------------------------------------------------------------------------
# Runtime: Debian slim with only what the binary needs.
FROM debian:bookworm-slim

# What `ldd onebot-bridge` lists outside glibc for a --static-swift-stdlib build:
#   libstdc++.so.6 -> libstdc++6, libgcc_s.so.1 -> libgcc-s1, libz.so.1 -> zlib1g
# (all three are already in bookworm-slim; they are named so that the image says what it relies on
# and scripts/runtime-smoke installs exactly this list). No libssl3: TLS is the vendored BoringSSL.
# ca-certificates: the trust store BoringSSL reads (/etc/ssl/certs) when upstream_url is https://.
# No tzdata: log timestamps are UTC without it. No curl: the HEALTHCHECK uses bash's /dev/tcp.
ARG RUNTIME_PACKAGES="ca-certificates libgcc-s1 libstdc++6 zlib1g"
RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get -q update \
 && apt-get -q install -y --no-install-recommends ${RUNTIME_PACKAGES} \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb

# A fixed numeric UID, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
RUN groupadd --system --gid 10001 onebot \
 && useradd --system --uid 10001 --gid onebot --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin onebot

COPY --from=builder /staging/onebot-bridge /usr/local/bin/onebot-bridge
# The tables are compiled into the binary, and the binary uses those built-in ones by default:
# ONEBOT_BRIDGE_MAPPINGS is deliberately NOT set. This copy is the reference and the starting
# point for custom tables: copy it out, edit, mount your folder (e.g. over this path) and set
# ONEBOT_BRIDGE_MAPPINGS=/etc/onebot-bridge/mappings. Opt-in, because a folder replaces ALL
# built-in tables, and a half-mounted folder would then stop the bridge (exit 65) instead of
# silently serving the built-in tables you thought you had replaced.
COPY mappings/ /etc/onebot-bridge/mappings/
COPY bridge.sample.yaml /etc/onebot-bridge/bridge.sample.yaml

# Listen on every interface inside the container. Because this is non-loopback, the bridge needs
# ONEBOT_BRIDGE_ACCESS_TOKEN (or an explicit ONEBOT_BRIDGE_ALLOW_PUBLIC_WITHOUT_TOKEN=true) to start.
# Note: environment beats a --config file, so set `listen` here, not in a mounted bridge.yaml.
ENV ONEBOT_BRIDGE_LISTEN=0.0.0.0:8080
EXPOSE 8080

USER 10001:10001

# GET /healthz (no token needed) over bash's /dev/tcp: bash is already in the image, whereas curl
# would add curl, libcurl4 and about a dozen libraries only for this. The port (and host, when it
# is not a wildcard) come from ONEBOT_BRIDGE_LISTEN; it passes only on an HTTP 200.
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 CMD bash -c 'a=${ONEBOT_BRIDGE_LISTEN:-127.0.0.1:8080}; h=${a%:*}; h=${h#\[}; h=${h%\]}; case $h in ""|0.0.0.0) h=127.0.0.1;; ::) h=::1;; esac; exec 3<>"/dev/tcp/$h/${a##*:}" && printf "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3 && IFS= read -r -t 3 s <&3 && [[ $s == "HTTP/1."[01]" 200"* ]]'

# SIGTERM (Docker's and Kubernetes' default stop signal) lets the bridge drain; SIGHUP reloads.
STOPSIGNAL SIGTERM
ENTRYPOINT ["onebot-bridge"]
CMD ["serve"]
