#!/usr/bin/env bash
# The clinic API as a cluster: PostgreSQL and Redis (started from their Maven artifacts) and three replicas of the
# packaged API on three ports, with requests going round robin; logout and break-glass cross replicas, a patient
# written on one is read on the others, and the one audit trail in PostgreSQL verifies with the operator CLI.
#
# From the repository root, after 'mvn -B package -DskipTests' (or 'mvn -B verify'):
#   examples/clinic-api/cluster-demo.sh
# Settings (environment): CLINIC_CLUSTER_DIR (default: a new temporary directory, removed after), BASE_PORT (8443:
# HTTPS on 8443-8445, plain HTTP on 8080-8082; 0: free ports), JAVA. Exits non-zero if any step answers other than
# expected.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MODULE=$ROOT/examples/clinic-api
CLINIC_JAR=$MODULE/target/clinic-api.jar
CLI_JAR=$ROOT/safeguards-cli/target/safeguards-cli.jar
JAVA=${JAVA:-java}
BASE_PORT=${BASE_PORT:-8443}
KEEP=${CLINIC_CLUSTER_DIR:+1}
WORK=${CLINIC_CLUSTER_DIR:-$(mktemp -d)}
DATA=$WORK/data
FAILED=0
PIDS=()

for f in "$CLINIC_JAR" "$CLI_JAR" "$MODULE/target/test-classes/dev/safeguards/examples/clinic/ClusterServices.class"; do
  [ -f "$f" ] || { echo "cluster-demo: $f is missing: run 'mvn -B package -DskipTests' first" >&2; exit 2; }
done

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$KEEP" ] || rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

# await FILE PATTERN: until FILE has a line matching PATTERN (60 s at most), reading it as it grows.
await() {
  if ! timeout 60 grep -qE -m1 "$2" <(tail -n +1 -F "$1" 2>/dev/null); then
    echo "cluster-demo: gave up waiting for /$2/ in $1:" >&2
    cat "$1" >&2
    exit 1
  fi
}

step "PostgreSQL and Redis, started from their Maven artifacts"
# the class path of the module's tests (PostgreSQL's and Redis's binaries are test artifacts)
CP=${CLUSTER_SERVICES_CP:-$(cd "$ROOT" && mvn -q -B -pl examples/clinic-api dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)}
mkdir -p "$WORK"
"$JAVA" -cp "$MODULE/target/test-classes:$CP" dev.safeguards.examples.clinic.ClusterServices "$WORK/services" \
  > "$WORK/services.log" 2>&1 &
PIDS+=($!)
await "$WORK/services.log" '^password '
read -r _ JDBC_URL DB_USER REDIS_URI < <(grep '^services ' "$WORK/services.log")
export CLINIC_DB_PASSWORD; CLINIC_DB_PASSWORD=$(sed -n 's/^password //p' "$WORK/services.log")
echo "PostgreSQL $JDBC_URL (role $DB_USER), Redis $REDIS_URI"

step "Three replicas of the packaged API, sharing the data directory's keys"
URLS=()
for r in 0 1 2; do
  https=0 http=0
  if [ "$BASE_PORT" != 0 ]; then https=$((BASE_PORT + r)) http=$((8080 + r)); fi
  "$JAVA" -jar "$CLINIC_JAR" serve --data-dir "$DATA" --https-port "$https" --http-port "$http" \
    --cluster --jdbc-url "$JDBC_URL" --db-user "$DB_USER" --redis-uri "$REDIS_URI" --replica "replica-$r" \
    > "$WORK/replica-$r.log" 2>&1 &
  PIDS+=($!)
  await "$WORK/replica-$r.log" 'listening on https'   # the first one makes the keys the others use
  port=$(sed -n 's|.*listening on https://[^:]*:\([0-9]*\).*|\1|p' "$WORK/replica-$r.log" | head -1)
  URLS+=("https://localhost:$port")
  echo "replica-$r on ${URLS[$r]}"
done

TMP=$WORK/tmp
mkdir -p "$TMP"
# call REPLICA EXPECTED METHOD PATH TOKEN [JSON]
call() {
  local replica=$1 expect=$2 method=$3 path=$4 token=$5 body=${6:-}
  local args=(curl -sS --cacert "$DATA/tls/server.crt" -o "$TMP/body" -w '%{http_code}' -X "$method"
    "${URLS[$replica]}$path")
  if [ -n "$token" ]; then args+=(-H "Authorization: Bearer $token"); fi
  if [ -n "$body" ]; then args+=(-H 'Content-Type: application/json' --data "$body"); fi
  local status
  status=$("${args[@]}")
  printf 'replica-%s %-6s %-44s -> %s %s\n' "$replica" "$method" "$path" "$status" "$(head -c 160 "$TMP/body")"
  if [ "$status" != "$expect" ]; then
    echo "   !! expected $expect" >&2
    FAILED=1
  fi
}
token() { "$JAVA" -jar "$CLINIC_JAR" token --data-dir "$DATA" "$@"; }

CLINICIAN=$(token --user alice --role clinician --mfa)
BILLING=$(token --user bob --role billing --mfa)
NURSE=$(token --user nina --role nurse --mfa)
ADMIN=$(token --user adam --role admin --mfa)

step "A patient written on one replica is read on the others (PostgreSQL)"
call 0 201 POST /patients "$CLINICIAN" \
  '{"name":"Jane Roe","dateOfBirth":"1961-03-04","ssn":"123-45-6789","diagnosis":"E11.9 type 2 diabetes"}'
ID=$(sed -n 's/.*"id":"\([0-9a-f-]*\)".*/\1/p' "$TMP/body")
call 1 200 GET "/patients/$ID" "$CLINICIAN"
call 2 200 GET "/patients/$ID" "$BILLING"

step "Break-glass opened on one replica is honoured on another (Redis)"
call 0 403 GET "/patients/$ID" "$NURSE"
call 1 201 POST /break-glass "$NURSE" "{\"patientId\":\"$ID\",\"reason\":\"unresponsive in the emergency department\"}"
call 2 200 GET "/patients/$ID" "$NURSE"

step "Logout on one replica ends the session on every replica (Redis, within the 1 s revocation bound)"
call 2 204 POST /logout "$BILLING"
for _ in $(seq 1 100); do # until the other replicas refuse it: within the revocation bound (1 s)
  [ "$(curl -sS --cacert "$DATA/tls/server.crt" -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $BILLING" "${URLS[0]}/patients/$ID")" = 401 ] && break
done
call 0 401 GET "/patients/$ID" "$BILLING"
call 1 401 GET "/patients/$ID" "$BILLING"

step "The administrator's review on any replica sees what all of them did (the subject index in PostgreSQL)"
call 0 200 GET "/audit?patient=$ID" "$ADMIN"

step "The one audit trail, verified straight from PostgreSQL with the published checkpoint key"
for pid in "${PIDS[@]:1}"; do kill "$pid"; done  # the replicas close cleanly: the last signs the whole log
for pid in "${PIDS[@]:1}"; do wait "$pid" || true; done
PIDS=("${PIDS[0]}")
SAFEGUARDS_DB_PASSWORD=$CLINIC_DB_PASSWORD "$JAVA" -jar "$CLI_JAR" audit verify "$JDBC_URL" --db-user "$DB_USER" \
  --public-key "$DATA/keys/audit-checkpoint.pub" || FAILED=1

if [ "$FAILED" != 0 ]; then
  printf '\nThe cluster demo found a step that did not answer as expected (marked !! above).\n' >&2
  exit 1
fi
printf '\nThe cluster demo is complete: state and patients crossed replicas, and the one audit trail is intact.\n'
