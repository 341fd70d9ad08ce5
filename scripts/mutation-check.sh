#!/usr/bin/env bash
# Proves that the consensus simulator bites: applies each scripts/mutations/*.patch to a throw-away worktree of
# HEAD, builds, runs the default simulation tests, and reports CAUGHT (tests failed) or MISSED (tests passed).
# Exits non-zero if any mutation is missed, if the unmutated tree fails, or if a patch does not apply or build.
#
#   bash scripts/mutation-check.sh                      # all mutations
#   bash scripts/mutation-check.sh scripts/mutations/a-no-lock-check.patch
#
# Uncommitted changes are not tested: the worktree is made from HEAD. Logs stay in $LOG_DIR.
set -euo pipefail

REPO="$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)"
FILTER="${LEDGER_MUTATION_FILTER:-FullyQualifiedName~Simulation}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ledger-mutation.XXXXXX")"
LOG_DIR="${LOG_DIR:-$WORK-logs}"
mkdir -p "$LOG_DIR"

cleanup() {
  git -C "$REPO" worktree remove --force "$WORK" >/dev/null 2>&1 || rm -rf "$WORK"
  git -C "$REPO" worktree prune >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [[ $# -gt 0 ]]; then
  patches=("$@")
else
  patches=("$REPO"/scripts/mutations/*.patch)
fi

rmdir "$WORK"
git -C "$REPO" worktree add --quiet --detach "$WORK" HEAD
echo "worktree $WORK at $(git -C "$WORK" rev-parse --short HEAD); logs in $LOG_DIR"

# Runs the simulation tests in the worktree; the log goes to $1. Returns the test command's status.
run_tests() {
  local log="$1"
  if ! dotnet build "$WORK/tests/Node.Tests" >"$log.build" 2>&1; then
    return 2
  fi
  dotnet test "$WORK/tests/Node.Tests" --no-build --filter "$FILTER" --logger "console;verbosity=normal" >"$log" 2>&1
}

# Per failed sweep: how many seeds failed, the first one, and its check (block ids shortened), from the
# failure messages the sweeps print.
first_failures() {
  grep -oE 'because [0-9]+ of [0-9]+ seeds failed; first: seed [0-9]+ \([0-9]+ validators\) at [0-9]+ ms: [^.(]*' "$1" \
    | sed -E 's/^because ([0-9]+) of ([0-9]+) seeds failed; first: seed ([0-9]+) \(([0-9]+) validators\) at [0-9]+ ms: /n=\4: \1\/\2 seeds, first \3: /; s/([0-9a-f]{8})[0-9a-f]{56}/\1/g; s/ +$//' \
    | sort -u || true
}

status=0
results=()

start=$(date +%s)
if [[ "${LEDGER_MUTATION_SKIP_BASELINE:-0}" != "1" ]]; then
  if run_tests "$LOG_DIR/baseline.log"; then
    echo "baseline (no mutation): tests pass in $(( $(date +%s) - start )) s"
  else
    echo "baseline (no mutation): tests FAIL; see $LOG_DIR/baseline.log*" >&2
    exit 1
  fi
fi

for patch in "${patches[@]}"; do
  name="$(basename "$patch" .patch)"
  log="$LOG_DIR/$name.log"
  git -C "$WORK" checkout --quiet -- .
  if ! git -C "$WORK" apply "$patch"; then
    results+=("$name|ERROR|patch does not apply")
    status=1
    continue
  fi
  begin=$(date +%s)
  set +e
  run_tests "$log"
  code=$?
  set -e
  took=$(( $(date +%s) - begin ))
  if [[ $code -eq 2 ]]; then
    results+=("$name|ERROR|does not build (see $log.build)")
    status=1
  elif [[ $code -ne 0 ]]; then
    failed=$(grep -cE '^\s*Failed Ledger' "$log" || true)
    why=$(first_failures "$log" | paste -sd '|' - | sed 's/|/; /g')
    results+=("$name|CAUGHT|$failed tests failed in ${took} s; ${why:-see $log}")
  else
    results+=("$name|MISSED|simulation tests passed in ${took} s")
    status=1
  fi
  git -C "$WORK" checkout --quiet -- .
done

echo
printf '%-34s %-7s %s\n' "mutation" "result" "detail"
for row in "${results[@]}"; do
  IFS='|' read -r name verdict detail <<<"$row"
  printf '%-34s %-7s %s\n' "$name" "$verdict" "$detail"
done
exit $status
