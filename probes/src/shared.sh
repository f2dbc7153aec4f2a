# The setup and helpers both billing probes share. Speed matters: a probe should cost little more
# than its one curl, so the happy path starts no program but curl, and the helpers hand results back
# in globals (REPLY, JSON_VALUE, ...) instead of through $(...) subshells.

exec 2>/dev/null
set -u
set -o pipefail
PATH="/usr/bin:/bin:/usr/sbin:/sbin${PATH:+:$PATH}"
export PATH
umask 077
# Byte semantics for ${#x}, ${x:i:n}, patterns and [[ =~ ]], whatever locale the caller has.
LC_ALL=C
NL=$'\n'

TOKEN=""
TMP_DIR=""
OWN_TMP_DIR=0
CURL_PID=""
ANSWERED=0
REPLY=""
CURL_EXIT=0
HTTP_STATUS=""
BODY_SIZE=""
CONTENT_TYPE=""
BODY=""
# Larger answers are not usage data; the cap keeps the printed body under the runner's 1 MiB limit.
MAX_BODY_BYTES=524288
MAX_BODY_KIB=512

# finish: the EXIT trap. Stops a curl still running, removes the temporary folder the probe made, and
# prints an error envelope if the probe is ending without having answered (an unexpected error).
# shellcheck disable=SC2317 # called by the EXIT trap
finish() {
  local status=$?
  trap '' HUP INT TERM
  if [ -n "$CURL_PID" ]; then
    kill "$CURL_PID"
    wait "$CURL_PID"
  fi
  if [ "$OWN_TMP_DIR" = 1 ] && [ -n "$TMP_DIR" ]; then rm -rf "$TMP_DIR"; fi
  if [ "$ANSWERED" = 0 ]; then
    if [ "$status" = 0 ]; then status=1; fi
    printf '{"ok":false,"error":"probe_failed","hint":"The billing probe stopped unexpectedly (status %s). Try again; if it keeps happening, report it."}\n' "$status"
  fi
  exit "$status"
}
# shellcheck disable=SC2317 # called by the signal traps
stopped() {
  fail interrupted "$1" "The refresh was stopped before it finished. Try again."
}
trap finish EXIT
trap 'stopped 129' HUP
trap 'stopped 130' INT
trap 'stopped 143' TERM

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

# json_escape STRING: REPLY is STRING as the inside of a one-line JSON string.
json_escape() {
  local s="$1" bs='\' q='"'
  s=${s//"$bs"/"$bs$bs"}
  s=${s//"$q"/"$bs$q"}
  REPLY=${s//[[:cntrl:]]/ }
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
  if [ "$ANSWERED" = 1 ]; then exit "$2"; fi
  ANSWERED=1
  if has_secret_piece "$hint"; then hint="The provider's message was withheld because it contained a credential."; fi
  case "${4:-}" in "" | *[!0-9]*) ;; *) extra=",\"http_status\":$((10#$4))" ;; esac
  case "${5:-}" in "" | *[!0-9]*) ;; *) extra="$extra,\"retry_after\":$((10#$5))" ;; esac
  json_escape "$hint"
  printf '{"ok":false,"error":"%s","hint":"%s"%s}\n' "$1" "$REPLY" "$extra"
  exit "$2"
}

# trim STRING: REPLY is STRING without leading and trailing white space.
trim() {
  local s="$1"
  s="${s#"${s%%[![:space:]]*}"}"
  REPLY="${s%"${s##*[![:space:]]}"}"
}

# expand_tilde PATH: REPLY is PATH with a leading ~ or ~/ replaced by $HOME.
expand_tilde() {
  # shellcheck disable=SC2088 # a literal ~ is what is matched here
  case "$1" in
    "~") REPLY="${HOME:-}" ;;
    "~/"*) REPLY="${HOME:-}/${1#"~/"}" ;;
    *) REPLY="$1" ;;
  esac
}

# is_header_safe VALUE: VALUE is non-empty and has only characters a bearer token or an id can have,
# so it can go inside a quoted curl config value as is.
is_header_safe() {
  case "$1" in "" | *[!A-Za-z0-9._~+/=-]*) return 1 ;; esac
  return 0
}

ENDPOINT_RE='^(https?)://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?([/?#].*)?$'
DOTTED_QUAD_RE='^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$'

# check_endpoint URL VARIABLE: accept URL only when every parser reads the same host from it, and only
# https unless the host is this machine. Sets URL_HOST (host[:port], for hints) and CURL_PROTOCOLS.
# The extension applies the same rules before it asks the user (src/billing/endpoint.ts).
check_endpoint() {
  local why="" scheme host last
  case "$1" in
    *[![:print:]]* | *[[:space:]]*) why="it has spaces, control or non-ASCII characters" ;;
    *@* | *\\*) why="it has a user name (@) or a backslash" ;;
    *) [[ $1 =~ $ENDPOINT_RE ]] || why="it is not a plain http(s)://host/path URL" ;;
  esac
  if [ -z "$why" ]; then
    scheme=${BASH_REMATCH[1]}
    host=${BASH_REMATCH[2]}
    URL_HOST=$host${BASH_REMATCH[3]}
    # A last label that is a number makes the host an IPv4 address to some parsers (127.1, 0x7f.1).
    last=${host##*.}
    case "$last" in
      0[Xx]*) why="its host $host is not a plain name or IPv4 address" ;;
      *[!0-9]*) ;;
      *) [[ $host =~ $DOTTED_QUAD_RE ]] || why="its host $host is not a plain name or IPv4 address" ;;
    esac
  fi
  if [ -z "$why" ]; then
    case "$host" in
      127.0.0.1 | [Ll][Oo][Cc][Aa][Ll][Hh][Oo][Ss][Tt] | "[::1]") CURL_PROTOCOLS="=http,https" ;;
      *)
        CURL_PROTOCOLS="=https"
        [ "$scheme" = https ] || why="it is not https, which only this Mac's own address may skip"
        ;;
    esac
  fi
  if [ -n "$why" ]; then
    fail endpoint_refused 15 "$2 was not used: $why. Remove it or set an https URL, then try again."
  fi
}
