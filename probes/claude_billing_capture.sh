#!/bin/bash
# claude_billing_capture.sh: manual billing probe for Claude (OAuth `api/oauth/usage`).
#
# Run only after the user confirmed a billing refresh, as `/bin/bash claude_billing_capture.sh` (no run
# bit needed). Makes at most one HTTPS GET. Never refreshes a token, never prints one, never puts one in
# a process's arguments. Needs bash 3.2+, curl, and (to read a credentials file or the Keychain item)
# one JSON reader: plutil (macOS), jq or python3.
#
# Inputs (environment), the token is taken from the first that has one:
#   CLAUDE_CODE_OAUTH_TOKEN        an OAuth token (e.g. from `claude setup-token`)
#   CLAUDE_CONFIG_DIR              Claude Code folder, default ~/.claude; $CLAUDE_CONFIG_DIR/.credentials.json
#                                  holds claudeAiOauth.accessToken and claudeAiOauth.expiresAt (epoch ms)
#   (macOS only) the Keychain item `Claude Code-credentials` (same JSON), read with `security` unless
#   AGENT_LIMITS_ALLOW_KEYCHAIN    is 0 (or false / no); default: allowed
#   AGENT_LIMITS_CLAUDE_USAGE_URL  endpoint, default https://api.anthropic.com/api/oauth/usage
#   AGENT_LIMITS_PROBE_TIMEOUT     hard deadline in whole seconds, default 20 (connect: at most 10)
#   AGENT_LIMITS_JSON_READERS      JSON readers to try, in order; default "plutil jq python3" (for tests)
# A credentials JSON with only `mcpOAuth` (no `claudeAiOauth`) means Claude Code is not logged in.
#
# Request: GET with `Authorization: Bearer <token>`, `anthropic-beta: oauth-2025-04-20`,
# `Accept: application/json`, `Content-Type: application/json`, `User-Agent: agent-limits`; no redirects
# followed, ~/.curlrc ignored. The Authorization header reaches curl as a config on its stdin
# (`curl -K -`), written by the printf builtin through a pipe, so it never appears in an argument list
# or a file. A Keychain secret only goes to a pipe and a file in a private temporary folder.
#
# Output:
#   success  exit 0; the response body exactly as received on stdout; nothing on stderr.
#   failure  one JSON line on stdout, nothing on stderr:
#            {"ok":false,"error":"<code>","hint":"<what the user can do>","http_status":N,"retry_after":S}
#            http_status only when the server answered; retry_after (seconds) only for a 429 that
#            carried a usable Retry-After header.
#
#   exit  error                  meaning
#   10    network                no connection, DNS failure, connection dropped before an answer
#   11    http_error             any other HTTP status: 5xx and 529 (overloaded), 404, 3xx, a 403
#                                neither JSON nor HTML
#   12    timeout                no complete answer within the deadline (curl exit 28)
#   13    auth_expired           HTTP 401: the login expired or was revoked
#   13    auth_scope_missing     HTTP 403 "does not meet scope requirement user:profile" (a token from
#                                `claude setup-token`)
#   13    auth_forbidden         any other HTTP 403 with a JSON body
#   14    credentials_not_found  no token in the environment, the credentials file or the Keychain
#                                (or only MCP logins there)
#   14    credentials_invalid    the token has characters a token cannot have
#   14    tool_missing           curl or a JSON reader (plutil, jq, python3) is missing
#   14    temp_dir_unavailable   no private temporary folder could be made
#   16    unparsable_body        HTML page (e.g. a Cloudflare check), non-JSON or empty body
#   17    rate_limited           HTTP 429

# ---- shared helpers: keep this block identical in both probes (a test compares them) ----
set -u
set -o pipefail
PATH="/usr/bin:/bin:/usr/sbin:/sbin${PATH:+:$PATH}"
export PATH
umask 077

TOKEN=""
JSON_READER=""
TMP_DIR=""
CURL_EXIT=0
HTTP_STATUS=""
CONTENT_TYPE=""

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [ -n "$TMP_DIR" ]; then rm -rf "$TMP_DIR"; fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# Hard deadline for the whole request, in whole seconds.
MAX_TIME=20
case "${AGENT_LIMITS_PROBE_TIMEOUT:-}" in
  "" | *[!0-9]*) ;;
  *)
    if [ "${#AGENT_LIMITS_PROBE_TIMEOUT}" -le 4 ] && [ "$((10#$AGENT_LIMITS_PROBE_TIMEOUT))" -gt 0 ]; then
      MAX_TIME=$((10#$AGENT_LIMITS_PROBE_TIMEOUT))
    fi
    ;;
esac
CONNECT_TIMEOUT=10
if [ "$MAX_TIME" -lt "$CONNECT_TIMEOUT" ]; then CONNECT_TIMEOUT=$MAX_TIME; fi

# json_escape STRING: STRING as the inside of a one-line JSON string.
json_escape() {
  printf '%s' "$1" | LC_ALL=C tr '\t\r\n' '   ' | LC_ALL=C tr -d '\000-\037\177' |
    LC_ALL=C sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'
}

# has_secret_piece TEXT: TEXT holds TOKEN, or any 16 consecutive characters of it (a server may echo
# part of a token in its error message; windows of 12 are checked every 4 characters).
has_secret_piece() {
  local i=0 n=${#TOKEN}
  [ "$n" -gt 0 ] || return 1
  case "$1" in *"$TOKEN"*) return 0 ;; esac
  while [ $((i + 12)) -le "$n" ]; do
    case "$1" in *"${TOKEN:$i:12}"*) return 0 ;; esac
    i=$((i + 4))
  done
  return 1
}

# fail CODE EXIT HINT [HTTP_STATUS] [RETRY_AFTER]: print the error envelope on stdout and exit.
fail() {
  local hint="$3" extra=""
  if has_secret_piece "$hint"; then hint="The provider's message was withheld because it contained a credential."; fi
  case "${4:-}" in "" | *[!0-9]*) ;; *) extra=",\"http_status\":$((10#$4))" ;; esac
  case "${5:-}" in "" | *[!0-9]*) ;; *) extra="$extra,\"retry_after\":$((10#$5))" ;; esac
  printf '{"ok":false,"error":"%s","hint":"%s"%s}\n' "$1" "$(json_escape "$hint")" "$extra"
  exit "$2"
}

# trim STRING: STRING without leading and trailing white space.
trim() {
  local s="$1"
  s="${s#"${s%%[![:space:]]*}"}"
  s="${s%"${s##*[![:space:]]}"}"
  printf '%s' "$s"
}

# expand_tilde PATH: a leading ~ or ~/ replaced by $HOME.
expand_tilde() {
  # shellcheck disable=SC2088 # a literal ~ is what is matched here
  case "$1" in
    "~") printf '%s' "${HOME:-}" ;;
    "~/"*) printf '%s/%s' "${HOME:-}" "${1#"~/"}" ;;
    *) printf '%s' "$1" ;;
  esac
}

# url_host URL: the host[:port] part of URL, for hints.
url_host() {
  local h="${1#*://}"
  h="${h%%/*}"
  printf '%s' "${h##*@}"
}

# is_header_safe VALUE: VALUE is non-empty and has only characters a bearer token or an id can have,
# so it can go inside a quoted curl config value as is.
is_header_safe() {
  case "$1" in "" | *[!A-Za-z0-9._~+/=-]*) return 1 ;; esac
  return 0
}

# pick_json_reader: set JSON_READER to the first of plutil, jq, python3 on PATH. The order can be
# changed (tests) with AGENT_LIMITS_JSON_READERS, a space-separated list of those three names.
pick_json_reader() {
  local r
  # shellcheck disable=SC2086 # a word list on purpose
  for r in ${AGENT_LIMITS_JSON_READERS:-plutil jq python3}; do
    case "$r" in plutil | jq | python3) ;; *) continue ;; esac
    if command -v "$r" >/dev/null 2>&1; then
      JSON_READER="$r"
      return 0
    fi
  done
  return 1
}

PY_JSON_GET='import json, sys
try:
    v = json.load(open(sys.argv[1], "rb"))
    for k in sys.argv[2].split("."):
        v = v[k] if isinstance(v, dict) else None
except Exception:
    sys.exit(1)
if isinstance(v, bool):
    v = "true" if v else "false"
if not isinstance(v, (str, int, float)):
    sys.exit(1)
sys.stdout.buffer.write(str(v).encode("utf-8") + b"\n")'

# json_get FILE KEYPATH: print the string, number or boolean at the dot-separated KEYPATH of the JSON
# in FILE; fail when it is absent, null, an object or an array. The value only goes to a pipe.
json_get() {
  local v=""
  case "$JSON_READER" in
    plutil) v=$(plutil -extract "$2" raw -o - "$1" 2>/dev/null) || return 1 ;;
    jq)
      v=$(jq -r --arg p "$2" \
        'getpath($p | split(".")) | select(type == "string" or type == "number" or type == "boolean")' \
        "$1" 2>/dev/null) || return 1
      ;;
    python3) v=$(python3 -I -c "$PY_JSON_GET" "$1" "$2" 2>/dev/null) || return 1 ;;
    *) return 1 ;;
  esac
  [ -n "$v" ] || return 1
  printf '%s\n' "$v"
}

# make_tmp: a private temporary folder for the body and headers, removed on exit.
make_tmp() {
  local base="${TMPDIR:-/tmp}"
  TMP_DIR=$(mktemp -d "${base%/}/agent-limits.XXXXXX" 2>/dev/null) || TMP_DIR=""
  if [ -z "$TMP_DIR" ] || [ ! -d "$TMP_DIR" ]; then
    TMP_DIR=""
    fail temp_dir_unavailable 14 "Could not create a private temporary folder in $base. Check that it exists and is writable."
  fi
}

# http_get URL CURL_ARGS...: one GET with a hard deadline and no redirects. stdin must carry a curl
# config with the secret headers. Sets CURL_EXIT, HTTP_STATUS and CONTENT_TYPE (lower case); the body
# and the response headers land in $TMP_DIR/body and $TMP_DIR/headers.
http_get() {
  local url="$1" written
  shift
  written=$(curl -q -sS --proto '=http,https' --max-time "$MAX_TIME" --connect-timeout "$CONNECT_TIMEOUT" \
    -o "$TMP_DIR/body" -D "$TMP_DIR/headers" -w '%{http_code} %{content_type}' -K - "$@" --url "$url" \
    2>"$TMP_DIR/curl.err")
  CURL_EXIT=$?
  HTTP_STATUS="${written%% *}"
  CONTENT_TYPE=""
  case "$written" in *" "*) CONTENT_TYPE=$(printf '%s' "${written#* }" | LC_ALL=C tr '[:upper:]' '[:lower:]') ;; esac
  if [ ! -f "$TMP_DIR/body" ]; then : >"$TMP_DIR/body"; fi
  if [ ! -f "$TMP_DIR/headers" ]; then : >"$TMP_DIR/headers"; fi
}

# fail_on_curl_error WHO: exit 12 (timeout) or 10 (network) when curl got no HTTP answer.
fail_on_curl_error() {
  case "$CURL_EXIT" in
    0) ;;
    28) fail timeout 12 "$1 did not answer within $MAX_TIME seconds. Check your connection and try again." ;;
    *) fail network 10 "Could not reach $1 (curl error $CURL_EXIT). Check your internet connection, VPN or proxy, then try again." ;;
  esac
  case "$HTTP_STATUS" in
    [1-9][0-9][0-9]) ;;
    *) fail network 10 "$1 sent no HTTP answer. Check your internet connection, VPN or proxy, then try again." ;;
  esac
}

# body_kind: json (looks like a JSON object), html, empty or other, for $TMP_DIR/body.
body_kind() {
  local first last
  first=$(LC_ALL=C tr -d ' \t\r\n' <"$TMP_DIR/body" | head -c 1)
  last=$(LC_ALL=C tr -d ' \t\r\n' <"$TMP_DIR/body" | tail -c 1)
  if [ -z "$first" ]; then
    echo empty
    return 0
  fi
  case "$CONTENT_TYPE" in *html*)
    echo html
    return 0
    ;;
  esac
  if [ "$first" = "{" ] && [ "$last" = "}" ]; then
    echo json
  elif [ "$first" = "<" ]; then
    echo html
  else
    echo other
  fi
}

# body_message KEYPATH...: the first string found at one of KEYPATHs in a JSON body, one line, at most
# 200 characters, for quoting the provider's message in a hint.
body_message() {
  local k m
  if [ -z "$JSON_READER" ]; then pick_json_reader || return 1; fi
  for k in "$@"; do
    m=$(json_get "$TMP_DIR/body" "$k") || continue
    m=$(trim "$(printf '%s' "$m" | LC_ALL=C tr '\t\r\n' '   ')")
    if [ -n "$m" ]; then
      printf '%s' "${m:0:200}"
      return 0
    fi
  done
  return 1
}

# retry_after_seconds: seconds from the response's Retry-After header (seconds or HTTP-date form).
retry_after_seconds() {
  local v now until_epoch
  v=$(LC_ALL=C tr -d '\r' <"$TMP_DIR/headers" |
    LC_ALL=C awk 'tolower($0) ~ /^retry-after[ \t]*:/ { sub(/^[^:]*:[ \t]*/, ""); sub(/[ \t]+$/, ""); v = $0 } END { print v }')
  case "$v" in
    "") return 1 ;;
    *[!0-9]*)
      until_epoch=$(LC_ALL=C date -u -j -f '%a, %d %b %Y %H:%M:%S GMT' "$v" +%s 2>/dev/null ||
        LC_ALL=C date -u -d "$v" +%s 2>/dev/null) || return 1
      now=$(date -u +%s)
      case "$until_epoch" in "" | *[!0-9]*) return 1 ;; esac
      if [ "$until_epoch" -gt "$now" ]; then v=$((until_epoch - now)); else v=0; fi
      ;;
  esac
  [ "${#v}" -le 9 ] || return 1
  printf '%s\n' "$((10#$v))"
}

# minutes_text SECONDS: "1 minute", "5 minutes", rounded up.
minutes_text() {
  local m=$(( ($1 + 59) / 60 ))
  if [ "$m" -le 1 ]; then printf '1 minute'; else printf '%s minutes' "$m"; fi
}

# fail_rate_limited WHO DEFAULT_SECONDS: exit 17, with retry_after when Retry-After was usable.
fail_rate_limited() {
  local secs
  if secs=$(retry_after_seconds); then
    fail rate_limited 17 "$1 is limiting how often usage can be read. Try again in $(minutes_text "$secs")." 429 "$secs"
  fi
  fail rate_limited 17 "$1 is limiting how often usage can be read. Try again in about $(minutes_text "$2")." 429
}
# ---- end of shared helpers ----

# ---- Claude ----
WHO="Claude"
URL="${AGENT_LIMITS_CLAUDE_USAGE_URL:-https://api.anthropic.com/api/oauth/usage}"
HOST=$(url_host "$URL")
CONFIG_DIR=$(expand_tilde "${CLAUDE_CONFIG_DIR:-${HOME:-}/.claude}")
CRED_FILE="${CONFIG_DIR%/}/.credentials.json"
KEYCHAIN_SERVICE="Claude Code-credentials"
TOKEN_SOURCE=""
EXPIRES_AT=""
MCP_ONLY=0
KEYCHAIN_ALLOWED=1
case "${AGENT_LIMITS_ALLOW_KEYCHAIN:-}" in 0 | false | FALSE | False | no | NO | No) KEYCHAIN_ALLOWED=0 ;; esac
IS_MAC=0
if [ "$(uname -s 2>/dev/null)" = "Darwin" ]; then IS_MAC=1; fi

# read_credentials FILE: take claudeAiOauth.accessToken / expiresAt from a Claude credentials JSON.
read_credentials() {
  if [ -z "$JSON_READER" ] && ! pick_json_reader; then
    fail tool_missing 14 "No JSON reader found (plutil, jq or python3) to read the Claude login. Install jq or python3, or set CLAUDE_CODE_OAUTH_TOKEN, then try again."
  fi
  TOKEN=$(json_get "$1" claudeAiOauth.accessToken) || TOKEN=""
  TOKEN=$(trim "$TOKEN")
  if [ -n "$TOKEN" ]; then
    EXPIRES_AT=$(json_get "$1" claudeAiOauth.expiresAt) || EXPIRES_AT=""
    return 0
  fi
  if grep -q '"mcpOAuth"' "$1" 2>/dev/null; then MCP_ONLY=1; fi
  return 1
}

command -v curl >/dev/null 2>&1 || fail tool_missing 14 "curl was not found. Install curl, then try again."
make_tmp

TOKEN=$(trim "${CLAUDE_CODE_OAUTH_TOKEN:-}")
if [ -n "$TOKEN" ]; then
  TOKEN_SOURCE="env"
elif [ -f "$CRED_FILE" ] && read_credentials "$CRED_FILE"; then
  TOKEN_SOURCE="file"
elif [ "$IS_MAC" = 1 ] && [ "$KEYCHAIN_ALLOWED" = 1 ] &&
  security find-generic-password -s "$KEYCHAIN_SERVICE" -w >"$TMP_DIR/keychain.json" 2>/dev/null &&
  read_credentials "$TMP_DIR/keychain.json"; then
  TOKEN_SOURCE="keychain"
fi
rm -f "$TMP_DIR/keychain.json"

if [ -z "$TOKEN" ]; then
  if [ "$MCP_ONLY" = 1 ]; then
    fail credentials_not_found 14 "Claude Code has no claude.ai login (only MCP server logins were found). Run \`claude\` and log in, then try again."
  fi
  if [ "$KEYCHAIN_ALLOWED" = 0 ]; then
    fail credentials_not_found 14 "No Claude login found, and reading the Keychain is turned off. Set CLAUDE_CODE_OAUTH_TOKEN or use a credentials file at $CRED_FILE (or allow reading the Keychain), then try again."
  fi
  if [ "$IS_MAC" = 1 ]; then
    fail credentials_not_found 14 "No Claude login found in CLAUDE_CODE_OAUTH_TOKEN, $CRED_FILE or the Keychain. Run \`claude\` and log in, then try again."
  fi
  fail credentials_not_found 14 "No Claude login found in CLAUDE_CODE_OAUTH_TOKEN or $CRED_FILE. Run \`claude\` and log in, then try again."
fi
if ! is_header_safe "$TOKEN"; then
  if [ "$TOKEN_SOURCE" = "env" ]; then
    fail credentials_invalid 14 "CLAUDE_CODE_OAUTH_TOKEN does not look like a token. Fix or unset it, then try again."
  fi
  fail credentials_invalid 14 "The saved Claude login looks damaged. Run \`claude\` and log in again, then try again."
fi

# An expired stored token is still tried (Claude Code may have refreshed it meanwhile); a 401 then
# tells the user to open Claude Code. This probe never refreshes tokens itself.
EXPIRED=0
EXPIRES_AT="${EXPIRES_AT%%.*}"
case "$EXPIRES_AT" in
  "" | *[!0-9]*) ;;
  *)
    if [ "${#EXPIRES_AT}" -le 15 ] && [ "$((10#$EXPIRES_AT / 1000))" -lt "$(date -u +%s)" ]; then EXPIRED=1; fi
    ;;
esac

# The secret header, as a curl config; printf is a builtin, so it appears in no argument list.
curl_config() {
  printf 'header = "Authorization: Bearer %s"\n' "$TOKEN"
}

http_get "$URL" -H "anthropic-beta: oauth-2025-04-20" -H "Accept: application/json" \
  -H "Content-Type: application/json" -H "User-Agent: agent-limits" < <(curl_config)
fail_on_curl_error "$HOST"

KIND=$(body_kind)
if [ "$HTTP_STATUS" = "200" ] && [ "$KIND" = "json" ]; then
  cat "$TMP_DIR/body"
  exit 0
fi
MESSAGE=$(body_message error.message message) || MESSAGE=""
case "$HTTP_STATUS" in
  200)
    case "$KIND" in
      html) fail unparsable_body 16 "$WHO answered with a web page (likely a browser check) instead of usage data. Try again later." 200 ;;
      empty) fail unparsable_body 16 "$WHO answered with an empty body. Try again later." 200 ;;
      *) fail unparsable_body 16 "$WHO answered with something that is not JSON. Try again later; if it keeps happening, the usage endpoint may have changed." 200 ;;
    esac
    ;;
  401)
    if [ "$EXPIRED" = 1 ]; then
      fail auth_expired 13 "Your Claude login has expired. Open Claude Code to refresh its login, then try again." 401
    fi
    if [ "$TOKEN_SOURCE" = "env" ]; then
      fail auth_expired 13 "Claude rejected the token in CLAUDE_CODE_OAUTH_TOKEN. Replace it, or unset it and log in with \`claude\`, then try again." 401
    fi
    fail auth_expired 13 "Claude rejected the saved login. Open Claude Code to refresh its login, then try again." 401
    ;;
  403)
    case "$KIND:$CONTENT_TYPE" in
      json:* | *:*json*)
        if grep -q 'user:profile' "$TMP_DIR/body" 2>/dev/null; then
          if [ "$TOKEN_SOURCE" = "env" ]; then
            fail auth_scope_missing 13 "The token in CLAUDE_CODE_OAUTH_TOKEN lacks the user:profile scope (tokens from \`claude setup-token\` do). Unset it and log in with \`claude\`, then try again." 403
          fi
          fail auth_scope_missing 13 "This Claude login lacks the user:profile scope (tokens from \`claude setup-token\` do). Log in with \`claude\`, then try again." 403
        fi
        fail auth_forbidden 13 "Claude refused access${MESSAGE:+: $MESSAGE}. Log in again with \`claude\`, then try again." 403
        ;;
      html:*) fail unparsable_body 16 "$WHO answered with a browser check page instead of usage data. Try again later." 403 ;;
      *) fail http_error 11 "$WHO refused the request (HTTP 403). Try again later; if it keeps happening, log in again with \`claude\`." 403 ;;
    esac
    ;;
  429) fail_rate_limited "$WHO" 300 ;;
  529) fail http_error 11 "$WHO is overloaded (HTTP 529). Try again in a few minutes." 529 ;;
  5[0-9][0-9]) fail http_error 11 "$WHO had a server error (HTTP $HTTP_STATUS). Try again in a few minutes." "$HTTP_STATUS" ;;
  *) fail http_error 11 "$WHO answered with HTTP $HTTP_STATUS${MESSAGE:+ ($MESSAGE)}. Try again later; if it keeps happening, the usage endpoint may have changed." "$HTTP_STATUS" ;;
esac
