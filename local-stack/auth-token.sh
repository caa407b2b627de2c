#!/usr/bin/env bash
# Prints a Firebase ID token for EMAIL from the running local Auth emulator, signing the user up on first use.
#   local-stack/auth-token.sh EMAIL [--admin]
# --admin sets the custom claim {"admin":true} (emulator REST accounts:update with "Bearer owner") and signs in
# again so the token carries it. Env: AUTH_EMULATOR_HOST (127.0.0.1:9099), AUTH_EMULATOR_PROJECT (atelier-local).
set -euo pipefail
email="${1:?usage: auth-token.sh EMAIL [--admin]}"
admin="${2:-}"
[[ "$email" =~ ^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+$ ]] || { echo "auth-token: not an email: $email" >&2; exit 2; }
api="http://${AUTH_EMULATOR_HOST:-127.0.0.1:9099}/identitytoolkit.googleapis.com/v1"
project="${AUTH_EMULATOR_PROJECT:-atelier-local}"
credentials="{\"email\":\"$email\",\"password\":\"atelier-local\",\"returnSecureToken\":true}"

post() { curl -sS -X POST "$api/$1" -H 'Content-Type: application/json' "${@:3}" -d "$2"; }
field() {
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);
    if(!(process.argv[1] in j)){console.error("auth-token: "+s);process.exit(1)}console.log(j[process.argv[1]])})' "$1"
}

response=$(post "accounts:signInWithPassword?key=fake" "$credentials")
if [[ "$response" != *idToken* ]]; then
  response=$(post "accounts:signUp?key=fake" "$credentials")
fi
if [[ "$admin" == "--admin" ]]; then
  uid=$(field localId <<<"$response")
  post "projects/$project/accounts:update" "{\"localId\":\"$uid\",\"customAttributes\":\"{\\\"admin\\\":true}\"}" \
    -H 'Authorization: Bearer owner' >/dev/null
  response=$(post "accounts:signInWithPassword?key=fake" "$credentials")
fi
field idToken <<<"$response"
