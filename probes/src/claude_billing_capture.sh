#!/bin/bash
# claude_billing_capture.sh: manual billing probe for Claude (OAuth `api/oauth/usage`).
#
# Run only after the user confirmed a billing refresh, as `/bin/bash claude_billing_capture.sh` (no run
# bit needed). Makes at most one HTTPS GET. Never refreshes a token, never prints one, never puts one in
# a process's arguments. Needs bash 3.2+ and curl; reads the credentials JSON itself, and only when a
# value holds JSON escapes asks a JSON reader: plutil (macOS 12+), jq or python3.
#
# Inputs (environment), the token is taken from the first that has one:
#   CLAUDE_CODE_OAUTH_TOKEN        an OAuth token (e.g. from `claude setup-token`)
#   CLAUDE_CONFIG_DIR              Claude Code folder, default ~/.claude; $CLAUDE_CONFIG_DIR/.credentials.json
#                                  holds claudeAiOauth.accessToken and claudeAiOauth.expiresAt (epoch ms)
#   (macOS only) the Keychain item `Claude Code-credentials` (same JSON), read with `security` unless
#   AGENT_LIMITS_ALLOW_KEYCHAIN    is 0 (or false / no); default: allowed
#   AGENT_LIMITS_CLAUDE_USAGE_URL  endpoint, default https://api.anthropic.com/api/oauth/usage; only a
#                                  plain https URL (http only to 127.0.0.1, ::1 or localhost), no user name
#   AGENT_LIMITS_PROBE_TIMEOUT     hard deadline in whole seconds, default 20 (connect: at most 10)
#   AGENT_LIMITS_WORK_DIR          a private folder the caller made and removes (else one is made in
#                                  $TMPDIR, default /tmp, and removed on every exit)
#   AGENT_LIMITS_JSON_READERS      JSON readers to try, in order; default "builtin plutil jq python3" (tests)
# A credentials JSON with only `mcpOAuth` (no `claudeAiOauth`) means Claude Code is not logged in.
#
# Request: GET with `Authorization: Bearer <token>`, `anthropic-beta: oauth-2025-04-20`,
# `Accept: application/json`, `Content-Type: application/json`, `User-Agent: agent-limits`; no redirects
# followed, ~/.curlrc ignored, at most 512 KB of body. The Authorization header reaches curl as a config
# on its stdin (`curl -K -`), written by the printf builtin through a pipe, so it never appears in an
# argument list or a file. A Keychain secret only goes through pipes, never to a file.
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
#   14    tool_missing           curl, or a JSON reader that the credentials need, is missing
#   14    temp_dir_unavailable   no private temporary folder could be made, or the answer could not be
#                                written to it (then with the answer's http_status)
#   15    endpoint_refused       AGENT_LIMITS_CLAUDE_USAGE_URL is not a URL this probe may call
#   16    unparsable_body        HTML page (e.g. a Cloudflare check), non-JSON or empty body
#   16    body_too_large         more than 512 KB of body
#   17    rate_limited           HTTP 429
#   129, 130, 143  interrupted   stopped by HUP, INT or TERM (the temporary folder is removed first)
#   other probe_failed           an unexpected error in the probe itself

# @include shared.sh
# @include json.sh
# @include request.sh

# ---- Claude ----
WHO="Claude"
check_endpoint "${AGENT_LIMITS_CLAUDE_USAGE_URL:-https://api.anthropic.com/api/oauth/usage}" AGENT_LIMITS_CLAUDE_USAGE_URL
URL="${AGENT_LIMITS_CLAUDE_USAGE_URL:-https://api.anthropic.com/api/oauth/usage}"
expand_tilde "${CLAUDE_CONFIG_DIR:-${HOME:-}/.claude}"
CRED_FILE="${REPLY%/}/.credentials.json"
KEYCHAIN_SERVICE="Claude Code-credentials"
TOKEN_SOURCE=""
EXPIRES_AT=""
MCP_ONLY=0
KEYCHAIN_ALLOWED=1
case "${AGENT_LIMITS_ALLOW_KEYCHAIN:-}" in 0 | false | FALSE | False | no | NO | No) KEYCHAIN_ALLOWED=0 ;; esac
IS_MAC=0
case "${OSTYPE:-}" in darwin*) IS_MAC=1 ;; esac

# read_credentials: take claudeAiOauth.accessToken / expiresAt from the Claude credentials JSON that
# json_use was given.
read_credentials() {
  TOKEN=""
  if json_string claudeAiOauth.accessToken; then
    trim "$JSON_VALUE"
    TOKEN=$REPLY
  fi
  if [ -n "$TOKEN" ]; then
    if json_number claudeAiOauth.expiresAt || json_string claudeAiOauth.expiresAt; then EXPIRES_AT=$JSON_VALUE; fi
    return 0
  fi
  case "$JSON_TEXT" in *'"mcpOAuth"'*) MCP_ONLY=1 ;; esac
  return 1
}

command -v curl >/dev/null 2>&1 || fail tool_missing 14 "curl was not found. Install curl, then try again."

trim "${CLAUDE_CODE_OAUTH_TOKEN:-}"
TOKEN=$REPLY
# The programs started from here on (curl, security, a JSON reader) need not see it in their environment.
export -n CLAUDE_CODE_OAUTH_TOKEN 2>/dev/null
if [ -n "$TOKEN" ]; then
  TOKEN_SOURCE="env"
else
  JSON_SOURCE="the Claude login in $CRED_FILE"
  JSON_READER_HINT="Install jq or python3, or set CLAUDE_CODE_OAUTH_TOKEN, then try again."
  if json_use_file "$CRED_FILE" && read_credentials; then
    TOKEN_SOURCE="file"
  elif [ "$IS_MAC" = 1 ] && [ "$KEYCHAIN_ALLOWED" = 1 ]; then
    JSON_SOURCE="the Claude login in the Keychain"
    # The secret only goes through the command substitution's pipe.
    json_use "$(security find-generic-password -s "$KEYCHAIN_SERVICE" -w)"
    if [ -n "$JSON_TEXT" ] && read_credentials; then TOKEN_SOURCE="keychain"; fi
    json_use ""
  fi
fi

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

# is_expired: the stored token's expiresAt (epoch ms) has passed. Asked only after a 401: an expired
# stored token is still tried (Claude Code may have refreshed it meanwhile), and this probe never
# refreshes tokens itself.
is_expired() {
  local at="${EXPIRES_AT%%.*}"
  case "$at" in "" | *[!0-9]*) return 1 ;; esac
  [ "${#at}" -le 15 ] && [ "$((10#$at / 1000))" -lt "$(date -u +%s)" ]
}

# The secret header, as a curl config; printf is a builtin, so it appears in no argument list.
curl_config() {
  printf 'header = "Authorization: Bearer %s"\n' "$TOKEN"
}

make_tmp
http_get "$URL" -H "anthropic-beta: oauth-2025-04-20" -H "Accept: application/json" \
  -H "Content-Type: application/json" -H "User-Agent: agent-limits"
fail_on_curl_error "$URL_HOST"

read_body
body_kind
KIND=$REPLY
if [ "$HTTP_STATUS" = "200" ] && [ "$KIND" = "json" ]; then print_body; fi
MESSAGE=""
if [ "$KIND" = json ] && body_message error.message message; then MESSAGE=$REPLY; fi
case "$HTTP_STATUS" in
  200)
    case "$KIND" in
      html) fail unparsable_body 16 "$WHO answered with a web page (likely a browser check) instead of usage data. Try again later." 200 ;;
      empty) fail unparsable_body 16 "$WHO answered with an empty body. Try again later." 200 ;;
      *) fail unparsable_body 16 "$WHO answered with something that is not JSON. Try again later; if it keeps happening, the usage endpoint may have changed." 200 ;;
    esac
    ;;
  401)
    if is_expired; then
      fail auth_expired 13 "Your Claude login has expired. Open Claude Code to refresh its login, then try again." 401
    fi
    if [ "$TOKEN_SOURCE" = "env" ]; then
      fail auth_expired 13 "Claude rejected the token in CLAUDE_CODE_OAUTH_TOKEN. Replace it, or unset it and log in with \`claude\`, then try again." 401
    fi
    fail auth_expired 13 "Claude rejected the saved login. Open Claude Code to refresh its login, then try again." 401
    ;;
  403)
    case "$KIND:$CONTENT_TYPE" in
      json:* | *:*[Jj][Ss][Oo][Nn]*)
        case "$BODY" in *user:profile*)
          if [ "$TOKEN_SOURCE" = "env" ]; then
            fail auth_scope_missing 13 "The token in CLAUDE_CODE_OAUTH_TOKEN lacks the user:profile scope (tokens from \`claude setup-token\` do). Unset it and log in with \`claude\`, then try again." 403
          fi
          fail auth_scope_missing 13 "This Claude login lacks the user:profile scope (tokens from \`claude setup-token\` do). Log in with \`claude\`, then try again." 403
          ;;
        esac
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
