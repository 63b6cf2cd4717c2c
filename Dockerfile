# syntax=docker/dockerfile:1

# Build stage: the release binary, with TLS to PostgreSQL (libpq and OpenSSL built in statically).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY .cargo ./.cargo
COPY crates ./crates
COPY src ./src
COPY examples ./examples
COPY migrations ./migrations
COPY tests ./tests
RUN cargo build --release --locked --features postgres-tls \
    && strip target/release/ndpr-contracts

# Runtime stage: a small Debian with the binary, running as an unprivileged user.
FROM debian:bookworm-slim
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /var/lib/ndpr ndpr \
    && mkdir -p /var/lib/ndpr/data \
    && chown -R ndpr:ndpr /var/lib/ndpr
COPY --from=build /src/target/release/ndpr-contracts /usr/local/bin/ndpr-contracts
USER 10001:10001
WORKDIR /var/lib/ndpr
# The same defaults as `cargo run`: an embedded SQLite file under ./data. Inside a container the
# service must listen on all interfaces to be reachable; set DATABASE_URL=postgres://… and
# NDPR_JWT_SECRET for production.
ENV NDPR_LISTEN=0.0.0.0:8080 \
    DATABASE_URL=sqlite://data/ndpr-contracts.db \
    NDPR_LOG=info
VOLUME ["/var/lib/ndpr/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD ["curl", "-fsS", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["ndpr-contracts"]
CMD ["serve"]
