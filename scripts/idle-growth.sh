#!/usr/bin/env bash
# Measures how an idle devnet's disk grows (docs/PERFORMANCE.md, "Idle growth"): starts `ledger devnet` (4 validators,
# nothing submitted), waits WARMUP seconds, records every node's ledger.db and ledger-log.db and the height, waits WINDOW
# seconds, records them again, stops the devnet with SIGTERM (a clean stop folds each log into its data file) and
# records the folded sizes.
#
#   bash scripts/idle-growth.sh LEDGER_DIR OUT_DIR BASE_PORT [WARMUP_S] [WINDOW_S]
#   e.g. bash scripts/idle-growth.sh src/Node/bin/Release/net10.0 /tmp/idle 27101 60 600
#   LEDGER_Consensus__EmptyBlockIntervalMs=1000 bash scripts/idle-growth.sh ...   # the former 1 s heartbeat
set -euo pipefail
BIN="$1"; OUT="$2"; PORT="$3"; WARMUP="${4:-60}"; WINDOW="${5:-600}"
rm -rf "$OUT"; mkdir -p "$OUT"
"$BIN/ledger" devnet --dir "$OUT/net" --base-port "$PORT" > "$OUT/devnet.out" 2>&1 &
DEVNET=$!
sizes() {
  for node in "$OUT"/net/node-*/; do
    printf '%s:data=%s,log=%s ' "$(basename "$node")" \
      "$(stat -c %s "$node/data/ledger.db" 2>/dev/null || echo 0)" "$(stat -c %s "$node/data/ledger-log.db" 2>/dev/null || echo 0)"
  done
  echo
}
height() { "$BIN/ledger" status --node "http://127.0.0.1:$PORT" 2>&1 | grep '^height' || echo 'height: ?'; }
sleep "$WARMUP"
echo "start $(date +%s) $(height) $(sizes)"
sleep "$WINDOW"
echo "end $(date +%s) $(height) $(sizes)"
kill -TERM "$DEVNET"; wait "$DEVNET" || true
echo "stopped $(date +%s) $(sizes)"
