# syntax=docker/dockerfile:1
# Ponte's container image: a static, CGO-free binary (modernc SQLite needs no C library) on a
# distroless base, run as a non-root user, with its data (SQLite database, generated key, outbox)
# on the /data volume. Build: docker build -t ponte . ; run: docker run -p 8080:8080 -v ponte:/data ponte

FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/pontehub/ponte/internal/cli.Version=${VERSION}" \
      -o /out/ponte ./cmd/ponte \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ponte /ponte
# 65532 is distroless's "nonroot"; the data directory is its own, mode 0700.
COPY --from=build --chown=65532:65532 --chmod=0700 /out/data /data
ENV PONTE_DATA_DIR=/data \
    PONTE_ADDR=0.0.0.0:8080
VOLUME /data
EXPOSE 8080
USER 65532:65532
# No shell or curl in the image: the binary checks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/ponte", "healthcheck"]
ENTRYPOINT ["/ponte"]
CMD ["serve"]
