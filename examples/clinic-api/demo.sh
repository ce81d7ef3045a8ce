#!/usr/bin/env bash
# The clinic API tour: every safeguard acting, with curl, then the audit log verified with the operator CLI.
#
# Start the API first (see the README's quick start), then from the repository root:
#   examples/clinic-api/demo.sh
# Settings (environment): CLINIC_DATA (default clinic-data), CLINIC_URL (https://localhost:8443),
# CLINIC_PLAIN_URL (http://localhost:8080), CLINIC_JAR, SAFEGUARDS_CLI_JAR, JAVA.
# Exits non-zero if any step answers other than the tour expects.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${CLINIC_DATA:-clinic-data}
URL=${CLINIC_URL:-https://localhost:8443}
PLAIN_URL=${CLINIC_PLAIN_URL:-http://localhost:8080}
CLINIC_JAR=${CLINIC_JAR:-$ROOT/examples/clinic-api/target/clinic-api.jar}
CLI_JAR=${SAFEGUARDS_CLI_JAR:-$ROOT/safeguards-cli/target/safeguards-cli.jar}
JAVA=${JAVA:-java}

for f in "$CLINIC_JAR" "$CLI_JAR" "$DATA/tls/server.crt"; do
  if [ ! -f "$f" ]; then
    echo "demo: $f is missing: build and start the clinic API first (README, quick start)" >&2
    exit 2
  fi
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILED=0

step() { printf '\n== %s\n' "$*"; }

# call EXPECTED METHOD PATH TOKEN [JSON]: one request; prints the status and the start of the body.
call() {
  local expect=$1 method=$2 path=$3 token=$4 body=${5:-}
  local args=(curl -sS --cacert "$DATA/tls/server.crt" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}'
    -X "$method" "$URL$path")
  if [ -n "$token" ]; then args+=(-H "Authorization: Bearer $token"); fi
  if [ -n "$body" ]; then args+=(-H 'Content-Type: application/json' --data "$body"); fi
  local status
  status=$("${args[@]}")
  printf '%-6s %-52s -> %s %s\n' "$method" "$path" "$status" "$(head -c 300 "$TMP/body")"
  if [ "$status" != "$expect" ]; then
    echo "   !! the tour expected $expect" >&2
    FAILED=1
  fi
}

token() { "$JAVA" -jar "$CLINIC_JAR" token --data-dir "$DATA" "$@"; }

step "Tokens from the demo identity provider (10 minutes, MFA shown)"
CLINICIAN=$(token --user alice --role clinician --mfa)
BILLING=$(token --user bob --role billing --mfa)
NURSE=$(token --user nina --role nurse --mfa)
ADMIN=$(token --user adam --role admin --mfa)
NO_MFA=$(token --user alice --role clinician)
echo "alice (clinician), bob (billing), nina (nurse), adam (admin); and alice again without a second factor"

step "Transmission security: HTTPS with HSTS; plain HTTP refused"
call 200 GET /health ""
grep -i '^strict-transport-security' "$TMP/headers" || { echo "   !! no HSTS header" >&2; FAILED=1; }
plain=$(curl -sS -o /dev/null -w '%{http_code}' "$PLAIN_URL/health")
printf '%-59s -> %s\n' "GET    $PLAIN_URL/health" "$plain"
[ "$plain" = 403 ] || { echo "   !! the tour expected 403" >&2; FAILED=1; }

step "Authentication: no token, or no second factor, is refused"
PATIENT='{"name":"Jane Roe","dateOfBirth":"1961-03-04","ssn":"123-45-6789","diagnosis":"E11.9 type 2 diabetes"}'
call 401 POST /patients "" "$PATIENT"
call 401 POST /patients "$NO_MFA" "$PATIENT"

step "A clinician creates a patient: every field encrypted, the record signed by its author"
call 201 POST /patients "$CLINICIAN" "$PATIENT"
ID=$(sed -n 's/.*"id":"\([0-9a-f-]*\)".*/\1/p' "$TMP/body")
echo "patient $ID"

step "Least privilege and minimum necessary: each role reads what it needs"
call 200 GET "/patients/$ID" "$CLINICIAN"
call 200 GET "/patients/$ID" "$BILLING"
if grep -q '"ssn"\|"diagnosis"' "$TMP/body"; then echo "   !! billing saw clinical data" >&2; FAILED=1; fi
call 403 GET "/patients/$ID" "$NURSE"
call 403 GET "/patients/$ID" "$ADMIN"

step "Search by SSN through a blind index (in the body, never in a URL)"
call 200 POST /patients/search "$CLINICIAN" '{"ssn":"123456789"}'

step "Updates never overwrite: a new signed version, chained to the one before"
call 200 PUT "/patients/$ID" "$CLINICIAN" "${PATIENT/type 2 diabetes/controlled}"
call 200 GET "/patients/$ID/history" "$CLINICIAN"

step "Integrity of what is sent: JSON only, and a Content-Digest that must match"
# raw EXPECTED WHAT CURL-ARGUMENTS...: a request the call helper cannot make.
raw() {
  local expect=$1 what=$2
  shift 2
  local status
  status=$(curl -sS --cacert "$DATA/tls/server.crt" -o /dev/null -w '%{http_code}' "$@")
  printf '%-59s -> %s\n' "$what" "$status"
  [ "$status" = "$expect" ] || { echo "   !! the tour expected $expect" >&2; FAILED=1; }
}
raw 415 "POST   /patients/search as XML" -X POST "$URL/patients/search" -H "Authorization: Bearer $CLINICIAN" \
  -H 'Content-Type: application/xml' --data '<ssn>123456789</ssn>'
raw 400 "POST   /patients/search with a wrong Content-Digest" -X POST "$URL/patients/search" \
  -H "Authorization: Bearer $CLINICIAN" -H 'Content-Type: application/json' \
  -H 'Content-Digest: sha-256=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:' --data '{"ssn":"123456789"}'

step "Break-glass: billing may not; a nurse may, with a reason, and someone is alerted at once"
REASON="{\"patientId\":\"$ID\",\"reason\":\"unresponsive in the emergency department\"}"
call 403 POST /break-glass "$BILLING" "$REASON"
call 201 POST /break-glass "$NURSE" "$REASON"
call 200 GET "/patients/$ID" "$NURSE"

step "Logout ends the session: the same token is refused afterwards"
call 204 POST /logout "$BILLING"
call 401 GET "/patients/$ID" "$BILLING"

step "The administrator reviews the audit log (identifiers only, never PHI)"
call 200 GET "/audit?user=nina" "$ADMIN"
call 403 GET "/audit?user=nina" "$CLINICIAN"

step "The administrator deletes the patient, and reads no clinical data"
call 204 DELETE "/patients/$ID" "$ADMIN"
call 404 GET "/patients/$ID" "$CLINICIAN"

step "The compliance evidence report: the nine 164.312 specifications, the endpoints, the keys"
call 200 GET /compliance "$ADMIN"
printf '%s' "$ADMIN" > "$TMP/admin.token"
# Audit controls show partially met: this demo keeps the audit checkpoint key in its one data directory, beside
# the log, where whoever could rewrite the log could take the key too. A deployment keeps it elsewhere.
"$JAVA" -jar "$CLI_JAR" report --url "$URL/compliance" --token-file "$TMP/admin.token" \
  --cacert "$DATA/tls/server.crt" | sed -n '3,14p' || FAILED=1

step "The audit log verifies with nothing but the published checkpoint key"
"$JAVA" -jar "$CLI_JAR" audit verify "$DATA/audit" --public-key "$DATA/keys/audit-checkpoint.pub" || FAILED=1

if [ "$FAILED" != 0 ]; then
  printf '\nThe tour found a step that did not answer as expected (marked !! above).\n' >&2
  exit 1
fi
printf '\nThe tour is complete: every safeguard acted, and the audit log is intact.\n'
