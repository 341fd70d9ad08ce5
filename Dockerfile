# A Ledger node image: `docker build -t ledger .`, then `docker compose up` (compose.yaml) for four validators.
# The build stage runs packaging/publish.sh, the same command .ci/run runs on every CI pass.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN packaging/publish.sh /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# A node's folder (config.json, keys, genesis, data/) is a volume owned by the image's non-root user
# ("app", uid 1654, made by the base image); a new named volume takes this ownership.
RUN mkdir -p /var/lib/ledger && chown app:app /var/lib/ledger
WORKDIR /app
COPY --from=build /app .
# Workstation GC and a 384 MiB heap limit, as for any node (docs/OPERATIONS.md, "Running it as a service").
ENV DOTNET_gcServer=0 \
    DOTNET_GCHeapHardLimit=0x18000000
USER app
VOLUME /var/lib/ledger
# gRPC (the node's listen address) and Prometheus metrics (metrics.listen).
EXPOSE 7101 9464
# Exit 0 while the node answers and serves, 3 otherwise; the node to ask comes from LEDGER_NODE (and LEDGER_CA).
HEALTHCHECK --interval=15s --timeout=10s --start-period=30s --retries=3 CMD ["dotnet", "/app/ledger.dll", "status"]
ENTRYPOINT ["dotnet", "/app/ledger.dll"]
CMD ["node", "--config", "/var/lib/ledger/config.json"]
