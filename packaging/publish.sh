#!/usr/bin/env bash
# The one publish recipe: the Dockerfile's build stage, .ci/run and the systemd recipe of docs/OPERATIONS.md
# ("Running it as a service") all run this. Framework-dependent: the host (or image) provides the .NET 10 runtime.
set -euo pipefail
out=${1:?usage: packaging/publish.sh OUTPUT_DIR (e.g. /opt/ledger)}
cd "$(dirname "$0")/.."
dotnet publish src/Node/Ledger.Node.csproj -c Release -o "$out" --nologo
