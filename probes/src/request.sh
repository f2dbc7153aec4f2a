# The request: a private folder, one curl, and what its answer was.

# make_tmp: a private folder for the body and the headers. The runner passes one it made and removes
# itself (AGENT_LIMITS_WORK_DIR); run alone, the probe makes its own and removes it on every exit.
make_tmp() {
  local base="${TMPDIR:-/tmp}" given="${AGENT_LIMITS_WORK_DIR:-}"
  if [ -n "$given" ] && [ -d "$given" ] && [ ! -L "$given" ] && [ -O "$given" ] && [ -w "$given" ]; then
    TMP_DIR=$given
    return 0
  fi
  OWN_TMP_DIR=1
  TMP_DIR=$(mktemp -d "${base%/}/agent-limits.XXXXXX") || TMP_DIR=""
  if [ -z "$TMP_DIR" ] || [ ! -d "$TMP_DIR" ]; then
    TMP_DIR=""
    fail temp_dir_unavailable 14 "Could not create a private temporary folder in $base. Check that it exists and is writable."
  fi
}

# http_get URL CURL_ARGS...: one GET with a hard deadline, no redirects, at most MAX_BODY_BYTES of
# body. The secret headers reach curl as a config on its stdin (`-K -`), written by the probe's
# curl_config function (the printf builtin) through a pipe: never in an argument list or a file.
# Sets CURL_EXIT, HTTP_STATUS, BODY_SIZE and CONTENT_TYPE; the body and the headers land in
# $TMP_DIR/body and $TMP_DIR/headers. curl runs in the background so that a TERM reaches the trap at
# once (which then stops curl).
http_get() {
  local url="$1"
  shift
  {
    # curl before 8.4 ignores --max-filesize when the server announces no size: the file size limit
    # (KiB) stops it instead, with a write error rather than a signal.
    ulimit -f "$MAX_BODY_KIB"
    trap '' XFSZ
    exec curl -q -sS --proto "$CURL_PROTOCOLS" --max-time "$MAX_TIME" --connect-timeout "$CONNECT_TIMEOUT" \
      --max-filesize "$MAX_BODY_BYTES" -o "$TMP_DIR/body" -D "$TMP_DIR/headers" \
      -w '%{http_code} %{size_download} %{content_type}' -K - "$@" --url "$url" >"$TMP_DIR/meta"
  } < <(curl_config) &
  CURL_PID=$!
  wait "$CURL_PID"
  CURL_EXIT=$?
  CURL_PID=""
  HTTP_STATUS=""
  BODY_SIZE=""
  CONTENT_TYPE=""
  if [ -f "$TMP_DIR/meta" ]; then read -r HTTP_STATUS BODY_SIZE CONTENT_TYPE <"$TMP_DIR/meta"; fi
}

# fail_on_curl_error WHO: exit 12 (timeout), 16 (too large) or 10 (network) when curl got no full answer.
fail_on_curl_error() {
  case "$CURL_EXIT" in
    0) ;;
    28) fail timeout 12 "$1 did not answer within $MAX_TIME seconds. Check your connection and try again." ;;
    63 | 153) fail body_too_large 16 "$1 sent more than $MAX_BODY_KIB KB, which is not usage data. Try again later." ;;
    23)
      case "$BODY_SIZE" in "" | *[!0-9]*) BODY_SIZE=0 ;; esac
      if [ "${#BODY_SIZE}" -gt 9 ] || [ "$BODY_SIZE" -ge $((MAX_BODY_BYTES / 2)) ]; then
        fail body_too_large 16 "$1 sent more than $MAX_BODY_KIB KB, which is not usage data. Try again later."
      fi
      # The answer came but could not be written: its status says a request left the Mac.
      fail temp_dir_unavailable 14 "Could not save the answer in $TMP_DIR. Check that the disk has free space, then try again." "$HTTP_STATUS"
      ;;
    *) fail network 10 "Could not reach $1 (curl error $CURL_EXIT). Check your internet connection, VPN or proxy, then try again." ;;
  esac
  case "$HTTP_STATUS" in
    [1-9][0-9][0-9]) ;;
    *) fail network 10 "$1 sent no HTTP answer. Check your internet connection, VPN or proxy, then try again." ;;
  esac
}

# read_body: BODY is the response body exactly (it is printed as is on success).
read_body() {
  BODY=""
  if [ -f "$TMP_DIR/body" ]; then IFS= read -r -d '' BODY <"$TMP_DIR/body"; fi
  return 0
}

# body_kind: REPLY is json (looks like a JSON object), html, empty or other, from BODY's first and
# last non-blank characters (looked for near the ends only, so a huge blank body costs nothing).
body_kind() {
  local head="${BODY:0:256}" tail="$BODY"
  if [ "${#BODY}" -gt 256 ]; then tail=${BODY:${#BODY}-256}; fi
  trim "$head"
  head=$REPLY
  trim "$tail"
  tail=$REPLY
  if [ -z "$head" ]; then
    REPLY=empty
    # Bytes bash could not hold (NUL) mean the body is not the text it read.
    if [ "${#BODY}" -gt 256 ] || [ "${#BODY}" != "${BODY_SIZE:-0}" ]; then REPLY=other; fi
    return 0
  fi
  case "$CONTENT_TYPE" in *[Hh][Tt][Mm][Ll]*)
    REPLY=html
    return 0
    ;;
  esac
  case "$head:$tail" in
    "{"*:*"}")
      REPLY=json
      if [ "${#BODY}" != "${BODY_SIZE:-}" ]; then REPLY=other; fi
      ;;
    "<"*) REPLY=html ;;
    *) REPLY=other ;;
  esac
}

# print_body: the success answer.
print_body() {
  ANSWERED=1
  printf '%s' "$BODY"
  exit 0
}

# body_message KEYPATH...: REPLY is the first string found at one of KEYPATHs in a JSON body, one
# line, at most 200 bytes, for quoting the provider's message in a hint.
body_message() {
  local k m
  json_use "$BODY"
  for k in "$@"; do
    json_get "$k" string || continue
    trim "${JSON_VALUE//[[:cntrl:]]/ }"
    m=$REPLY
    if [ -n "$m" ]; then
      if [ "${#m}" -gt 200 ]; then
        m=${m:0:200}
        # Do not end on half of a multi-byte character.
        while :; do case "$m" in *[![:print:]]) m=${m%?} ;; *) break ;; esac; done
      fi
      REPLY=$m
      return 0
    fi
  done
  REPLY=""
  return 1
}

# retry_after_seconds: REPLY is the seconds from the response's Retry-After header (seconds or
# HTTP-date form); status 1 when there is none usable.
retry_after_seconds() {
  local line v="" now until_epoch
  if [ -f "$TMP_DIR/headers" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in [Rr][Ee][Tt][Rr][Yy]-[Aa][Ff][Tt][Ee][Rr]:* | [Rr][Ee][Tt][Rr][Yy]-[Aa][Ff][Tt][Ee][Rr][[:space:]]*:*)
        trim "${line#*:}"
        v=$REPLY
        ;;
      esac
    done <"$TMP_DIR/headers"
  fi
  case "$v" in
    "") return 1 ;;
    *[!0-9]*)
      # LC_ALL=C for date itself: the shell's is not exported, and BSD date parses `Mon`/`Oct` by locale.
      until_epoch=$(LC_ALL=C date -u -j -f '%a, %d %b %Y %H:%M:%S GMT' "$v" +%s || LC_ALL=C date -u -d "$v" +%s) ||
        return 1
      now=$(date -u +%s)
      case "$until_epoch" in "" | *[!0-9]*) return 1 ;; esac
      if [ "$until_epoch" -gt "$now" ]; then v=$((until_epoch - now)); else v=0; fi
      ;;
  esac
  [ "${#v}" -le 9 ] || return 1
  REPLY=$((10#$v))
}

# minutes_text SECONDS: REPLY is "1 minute", "5 minutes", rounded up.
minutes_text() {
  local m=$((($1 + 59) / 60))
  if [ "$m" -le 1 ]; then REPLY="1 minute"; else REPLY="$m minutes"; fi
}

# fail_rate_limited WHO DEFAULT_SECONDS: exit 17, with retry_after when Retry-After was usable.
fail_rate_limited() {
  local secs
  if retry_after_seconds; then
    secs=$REPLY
    minutes_text "$secs"
    fail rate_limited 17 "$1 is limiting how often usage can be read. Try again in $REPLY." 429 "$secs"
  fi
  minutes_text "$2"
  fail rate_limited 17 "$1 is limiting how often usage can be read. Try again in about $REPLY." 429
}
