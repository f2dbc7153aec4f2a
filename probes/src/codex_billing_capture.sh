#!/bin/bash
# codex_billing_capture.sh: manual billing probe for Codex (ChatGPT `wham/usage`).
#
# Run only after the user confirmed a billing refresh, as `/bin/bash codex_billing_capture.sh` (no run
# bit needed). Makes at most one HTTPS GET. Never refreshes a token, never prints one, never puts one in
# a process's arguments. Needs bash 3.2+ and curl; reads auth.json itself, and only when a value holds
# JSON escapes asks a JSON reader: plutil (macOS 12+), jq or python3.
#
# Inputs (environment):
#   CODEX_HOME                    Codex data folder, default ~/.codex. Login in $CODEX_HOME/auth.json:
#                                 tokens.access_token (or tokens.accessToken) and tokens.account_id
#                                 (or tokens.accountId); OPENAI_API_KEY / auth_mode tell an API-key login.
#   AGENT_LIMITS_CODEX_USAGE_URL  endpoint, default https://chatgpt.com/backend-api/wham/usage; only a
#                                 plain https URL (http only to 127.0.0.1, ::1 or localhost), no user name
#   AGENT_LIMITS_PROBE_TIMEOUT    hard deadline in whole seconds, default 20 (connect: at most 10)
#   AGENT_LIMITS_WORK_DIR         a private folder the caller made and removes (else one is made in
#                                 $TMPDIR, default /tmp, and removed on every exit)
#   AGENT_LIMITS_JSON_READERS     JSON readers to try, in order; default "builtin plutil jq python3" (tests)
#
# Request: GET with `Authorization: Bearer <token>`, `ChatGPT-Account-Id: <account id>` (when known),
# `User-Agent: codex-cli`, `Accept: application/json`; no redirects followed, ~/.curlrc ignored, at
# most 512 KB of body. The two account headers reach curl as a config on its stdin (`curl -K -`),
# written by the printf builtin through a pipe, so they never appear in an argument list or a file.
#
# Output:
#   success  exit 0; the response body exactly as received on stdout; nothing on stderr.
#   failure  one JSON line on stdout, nothing on stderr, whatever happens (a signal, an error):
#            {"ok":false,"error":"<code>","hint":"<what the user can do>","http_status":N,"retry_after":S}
#            http_status only when the server answered; retry_after (seconds) only for a 429 that
#            carried a usable Retry-After header.
#
#   exit  error                  meaning
#   10    network                no connection, DNS failure, connection dropped before an answer
#   11    http_error             any other HTTP status: 5xx, 404, 3xx, a 403 neither JSON nor HTML
#   12    timeout                no complete answer within the deadline (curl exit 28)
#   13    auth_expired           HTTP 401: the login expired or was revoked
#   13    auth_forbidden         HTTP 403 with a JSON body: wrong workspace, deactivated account
#   14    credentials_not_found  no auth.json, or no ChatGPT tokens in it
#   14    api_key_login          auth.json holds an API key and no ChatGPT tokens
#   14    credentials_invalid    the token or account id has characters they cannot have
#   14    tool_missing           curl, or a JSON reader that auth.json needs, is missing
#   14    temp_dir_unavailable   no private temporary folder could be made, or the answer could not be
#                                written to it (then with the answer's http_status)
#   15    endpoint_refused       AGENT_LIMITS_CODEX_USAGE_URL is not a URL this probe may call
#   16    unparsable_body        HTML page (e.g. a Cloudflare check), non-JSON or empty body
#   16    body_too_large         more than 512 KB of body
#   17    rate_limited           HTTP 429
#   129, 130, 143  interrupted   stopped by HUP, INT or TERM (the temporary folder is removed first)
#   other probe_failed           an unexpected error in the probe itself

# @include shared.sh
# @include json.sh
# @include request.sh

# ---- Codex ----
WHO="chatgpt.com"
check_endpoint "${AGENT_LIMITS_CODEX_USAGE_URL:-https://chatgpt.com/backend-api/wham/usage}" AGENT_LIMITS_CODEX_USAGE_URL
URL="${AGENT_LIMITS_CODEX_USAGE_URL:-https://chatgpt.com/backend-api/wham/usage}"
expand_tilde "${CODEX_HOME:-${HOME:-}/.codex}"
AUTH_FILE="${REPLY%/}/auth.json"
JSON_SOURCE=$AUTH_FILE
LOGIN_HINT="Run \`codex\` and sign in with ChatGPT, then try again."

command -v curl >/dev/null 2>&1 || fail tool_missing 14 "curl was not found. Install curl, then try again."
if [ ! -f "$AUTH_FILE" ]; then
  fail credentials_not_found 14 "No Codex login found at $AUTH_FILE (Codex may keep it in the Keychain instead, which this refresh cannot read). $LOGIN_HINT"
fi
json_use_file "$AUTH_FILE" || fail credentials_not_found 14 "Cannot read $AUTH_FILE. Check its permissions, then try again."

if json_string tokens.access_token || json_string tokens.accessToken; then TOKEN=$JSON_VALUE; fi
trim "$TOKEN"
TOKEN=$REPLY
ACCOUNT_ID=""
if json_string tokens.account_id || json_string tokens.accountId; then ACCOUNT_ID=$JSON_VALUE; fi
trim "$ACCOUNT_ID"
ACCOUNT_ID=$REPLY

if [ -z "$TOKEN" ]; then
  if json_string OPENAI_API_KEY || { json_string auth_mode && [ "$JSON_VALUE" = "apikey" ]; }; then
    fail api_key_login 14 "Codex is logged in with an API key, and API-key logins have no ChatGPT usage data. Run \`codex login\` and sign in with ChatGPT to see your limits and credits."
  fi
  fail credentials_not_found 14 "$AUTH_FILE has no ChatGPT login tokens. $LOGIN_HINT"
fi
is_header_safe "$TOKEN" || fail credentials_invalid 14 "The access token in $AUTH_FILE looks damaged. $LOGIN_HINT"
if [ -n "$ACCOUNT_ID" ] && ! is_header_safe "$ACCOUNT_ID"; then
  fail credentials_invalid 14 "The account id in $AUTH_FILE looks damaged. $LOGIN_HINT"
fi

# The secret headers, as a curl config; printf is a builtin, so they appear in no argument list.
curl_config() {
  printf 'header = "Authorization: Bearer %s"\n' "$TOKEN"
  if [ -n "$ACCOUNT_ID" ]; then printf 'header = "ChatGPT-Account-Id: %s"\n' "$ACCOUNT_ID"; fi
}

make_tmp
http_get "$URL" -H "User-Agent: codex-cli" -H "Accept: application/json"
fail_on_curl_error "$URL_HOST"

read_body
body_kind
KIND=$REPLY
if [ "$HTTP_STATUS" = "200" ] && [ "$KIND" = "json" ]; then print_body; fi
MESSAGE=""
if [ "$KIND" = json ] && body_message detail.message detail error.message message; then MESSAGE=$REPLY; fi
case "$HTTP_STATUS" in
  200)
    case "$KIND" in
      html) fail unparsable_body 16 "$WHO answered with a web page (likely a browser check) instead of usage data. Try again later." 200 ;;
      empty) fail unparsable_body 16 "$WHO answered with an empty body. Try again later." 200 ;;
      *) fail unparsable_body 16 "$WHO answered with something that is not JSON. Try again later; if it keeps happening, the usage endpoint may have changed." 200 ;;
    esac
    ;;
  401) fail auth_expired 13 "Your Codex login has expired or was revoked. Run \`codex\` once to refresh your login, then try again." 401 ;;
  403)
    case "$KIND:$CONTENT_TYPE" in
      json:* | *:*[Jj][Ss][Oo][Nn]*)
        fail auth_forbidden 13 "ChatGPT refused access for this account${MESSAGE:+ ($MESSAGE)}. Run \`codex login\` and pick the right workspace, then try again." 403
        ;;
      html:*) fail unparsable_body 16 "$WHO answered with a browser check page (Cloudflare) instead of usage data. Try again later." 403 ;;
      *) fail http_error 11 "$WHO refused the request (HTTP 403). Try again later; if it keeps happening, run \`codex login\`." 403 ;;
    esac
    ;;
  429) fail_rate_limited "$WHO" 300 ;;
  5[0-9][0-9]) fail http_error 11 "$WHO had a server error (HTTP $HTTP_STATUS). Try again in a few minutes." "$HTTP_STATUS" ;;
  *) fail http_error 11 "$WHO answered with HTTP $HTTP_STATUS${MESSAGE:+ ($MESSAGE)}. Try again later; if it keeps happening, the usage endpoint may have changed." "$HTTP_STATUS" ;;
esac
