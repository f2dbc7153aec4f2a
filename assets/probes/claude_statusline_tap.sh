#!/bin/bash
# claude_statusline_tap.sh: Agent Limits' opt-in tap on Claude Code's status line (zero network).
# It runs after every Claude Code response, and bash parses every line it reaches, comments included: the
# documentation (inputs, outputs, speed) is at the end of this file, after the last command, unread by runs.

# First, so that the rest is parsed and matched byte by byte (a UTF-8 locale costs on every line, and in
# one macOS's regex library fails on any invalid byte). The previous command gets the caller's locale back.
LC_ALL_WAS_SET=${LC_ALL+set}
ORIGINAL_LC_ALL=${LC_ALL-}
LC_ALL=C

ORIGINAL_PATH=${PATH-}
PATH="/usr/bin:/bin:/usr/sbin:/sbin${PATH:+:$PATH}"


NUMBER='-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?'
SPACE='[[:space:]]*'
# The value right after a key: an object of scalars or of flat objects (the shape of rate_limits) ...
NESTED_OBJECT_VALUE="^$SPACE:$SPACE(\\{([^{}]|\\{[^{}]*\\})*\\})"
# ... or a flat object (one window).
FLAT_OBJECT_VALUE="^$SPACE:$SPACE(\\{[^{}]*\\})"

# The helpers return through MATCH and WINDOW instead of printing: command substitutions fork, and
# forks are most of a status line's cost.
MATCH=""
WINDOW=""

data_folder() {
  if [ -n "${1-}" ]; then
    DATA_FOLDER="$1/agent-limits"
    return
  fi
  case "${BASH_SOURCE[0]}" in
    */agent-limits/*)
      DATA_FOLDER="${BASH_SOURCE[0]%/*}"
      return
      ;;
  esac
  DATA_FOLDER="${CLAUDE_CONFIG_DIR:-$HOME/.claude}/agent-limits"
}

# MATCH := the value text of key $1 in the JSON text $2 that matches the regex $3 (anchored right after
# the key). An occurrence right after a backslash is inside a string (`\"key\"`), not a key.
member() {
  local key="\"$1\"" rest=$2 before
  while :; do
    case $rest in *"$key"*) ;; *) return 1 ;; esac
    before=${rest%%"$key"*}
    # Not ${rest#*"$key"}: bash matches that against every prefix, which is quadratic.
    rest=${rest:${#before}+${#key}}
    case $before in *\\) continue ;; esac
    if [[ $rest =~ $3 ]]; then
      MATCH=${BASH_REMATCH[1]}
      return 0
    fi
  done
}

# MATCH := the number (or `null`, when $3 is nullable) of member $1 of the flat object text $2.
number_member() {
  local pattern="\"$1\"$SPACE:$SPACE($NUMBER|null)$SPACE[,}]"
  [[ $2 =~ $pattern ]] || return 1
  MATCH=${BASH_REMATCH[1]}
  [ "$MATCH" != null ] || [ "${3-}" = nullable ]
}

# WINDOW := `"<name>":{"used_percentage":N,"resets_at":N|null}` for window $1 of the rate-limits text $2,
# or empty when the window is absent or not an object. Fails when the window is there but malformed.
window_json() {
  local window used resets=null
  WINDOW=""
  member "$1" "$2" "$FLAT_OBJECT_VALUE" || return 0
  window=$MATCH
  number_member used_percentage "$window" || return 1
  used=$MATCH
  case $window in
    *'"resets_at"'*)
      number_member resets_at "$window" nullable || return 1
      resets=$MATCH
      ;;
  esac
  # 0 or a negative time is no reset time: write "unknown", never "reset long ago".
  case $resets in -*) resets=null ;; esac
  case ${resets%%[eE]*} in *[!0.]*) ;; *) resets=null ;; esac
  WINDOW="\"$1\":{\"used_percentage\":$used,\"resets_at\":$resets}"
}

# WINDOWS := the windows of the input's rate_limits, comma-separated; fails when there are none usable.
read_windows() {
  local rate_limits five_hour
  member rate_limits "$INPUT" "$NESTED_OBJECT_VALUE" || return 1
  rate_limits=$MATCH
  window_json five_hour "$rate_limits" || return 1
  five_hour=$WINDOW
  window_json seven_day "$rate_limits" || return 1
  WINDOWS="$five_hour${five_hour:+${WINDOW:+,}}$WINDOW"
  [ -n "$WINDOWS" ]
}

# Runs in a subshell, so its umask (new folders 0700, files 0600) and failures stay there.
write_rate_limits() (
  umask 077
  # A file-size limit then fails the write (and the temp file is removed) instead of killing the subshell.
  trap '' XFSZ
  [ -d "$DATA_FOLDER" ] || mkdir -p "$DATA_FOLDER" || exit
  if [ "${BASH_VERSINFO[0]}" -ge 5 ]; then now=$EPOCHSECONDS; else now=$(date +%s); fi
  case $now in '' | *[!0-9]*) exit 1 ;; esac
  temp="$DATA_FOLDER/.rate-limits.json.$$.tmp"
  # Stopped between the write and the rename (Claude Code cancels a status line still running): no leftover.
  trap 'rm -f "$temp"; exit 1' HUP INT TERM
  if printf '{"captured_at":%s,"rate_limits":{%s}}\n' "$now" "$WINDOWS" >"$temp" &&
    mv -f "$temp" "$RATE_LIMITS_FILE"; then
    [ -L "$SEEN_FILE" ] || printf x >"$SEEN_FILE"
  else
    rm -f "$temp"
  fi
)

# Saves the input's rate limits, or only marks them as seen when the saved file already says the same.
capture_rate_limits() {
  local saved=""
  read_windows || return
  RATE_LIMITS_FILE="$DATA_FOLDER/rate-limits.json"
  SEEN_FILE="$DATA_FOLDER/rate-limits.seen"
  if [ -f "$RATE_LIMITS_FILE" ]; then IFS= read -r saved <"$RATE_LIMITS_FILE"; fi
  case $saved in
    '{"captured_at":'*',"rate_limits":{'"$WINDOWS"'}}')
      if [ -f "$SEEN_FILE" ] && [ ! -L "$SEEN_FILE" ]; then
        # In place (1<>, no truncation): cheap on every file system, and the mtime moves all the same.
        printf x 1<>"$SEEN_FILE"
        return
      fi
      ;;
  esac
  write_rate_limits </dev/null >/dev/null 2>&1
}

data_folder "${1-}"

# Until EOF, or until a read waits a second: Claude Code sometimes leaves the pipe open after the JSON, or
# opens it and never writes (anthropics/claude-code#59966), and a tap waiting for an EOF that never comes
# would hang the status line and pile up processes.
INPUT=""
CHUNK=""
if [ "${BASH_VERSINFO[0]}" -ge 5 ]; then
  # A timed read costs bash 5 a clock check per byte (a timed line read, a select() per byte); -N costs
  # the least, and 1 KB per read keeps each read far inside its second even on a slow machine. At a
  # timeout bash 5 keeps what arrived.
  while IFS= read -r -N 1024 -t 1 CHUNK; do
    INPUT=$INPUT$CHUNK
    CHUNK=""
  done
else
  # Up to each NUL (JSON has none) or EOF: bash 3.2 (macOS's /bin/bash) and 4 time a read with one alarm,
  # costing nothing per byte. At a timeout bash 4 keeps what arrived; bash 3.2 drops it, so on a pipe left
  # open that run saves nothing and the previous command gets an empty input, but nothing hangs.
  while IFS= read -r -d '' -t 1 CHUNK; do
    INPUT=$INPUT$CHUNK
    CHUNK=""
  done
fi
INPUT=$INPUT$CHUNK

case $INPUT in
  # The outer redirection also hides bash's own report should the write's subshell die of a signal.
  *'"rate_limits"'*) { capture_rate_limits; } 2>/dev/null ;;
esac

PREVIOUS=""
PREVIOUS_FILE="$DATA_FOLDER/previous-command"
if [ -z "${AGENT_LIMITS_IN_TAP-}" ] && [ -f "$PREVIOUS_FILE" ]; then
  IFS= read -r -d '' PREVIOUS <"$PREVIOUS_FILE" 2>/dev/null
fi
[ -n "$PREVIOUS" ] || exit 0

if [ -n "$ORIGINAL_PATH" ]; then PATH=$ORIGINAL_PATH; fi
if [ -n "$LC_ALL_WAS_SET" ]; then LC_ALL=$ORIGINAL_LC_ALL; else unset LC_ALL; fi
# AGENT_LIMITS_IN_TAP stops a previous command that is itself this tap from running its own previous.
export AGENT_LIMITS_IN_TAP=1
# exec: the previous command's output and exit code are the status line's, with no shell in between.
exec /bin/sh -c "$PREVIOUS" < <(printf '%s' "$INPUT" 2>/dev/null)

# ---------------------------------------------------------------------------------------------------------
# Documentation. Never parsed: every run has ended (exit or exec) above.
#
# Installed by the extension as the `statusLine` command `/bin/bash '<folder>/claude_statusline_tap.sh'`
# (no run bit needed). Claude Code (2.1.80+) pipes one JSON object to it on stdin; for Claude.ai logins,
# after the session's first response, that object carries
#   "rate_limits": {"five_hour": {"used_percentage": 37.0, "resets_at": 1791823260}, "seven_day": {...}}
# (used_percentage 0-100, may exceed 100; resets_at in epoch seconds). Needs bash 3.2+, no jq, no python.
#
# Inputs:
#   stdin               the status-line JSON, read once (NUL bytes, which JSON never has, are dropped), up
#                       to EOF or until a read waits a second (a pipe left open); bash 3.2 then loses
#                       what that read had taken, bash 4+ keeps it; on any bash the tap goes on
#   $1                  optional: the Claude Code folder; its agent-limits/ subfolder is the data folder
#   (no $1)             when the script sits in a folder named agent-limits (as installed), that folder;
#                       otherwise ${CLAUDE_CONFIG_DIR:-$HOME/.claude}/agent-limits
#   <data folder>/previous-command
#                       optional: the status-line command that was configured before the tap (written by
#                       the installer, exactly the previous `statusLine.command`)
#
# Output:
#   <data folder>/rate-limits.json  (folder 0700, file 0600), replaced atomically (temp file + mv) when
#       stdin has usable rate limits that differ from the saved ones, left alone otherwise:
#       {"captured_at":<epoch s>,"rate_limits":{"five_hour":{"used_percentage":N,"resets_at":N|null},
#        "seven_day":{...}}}   (a window the input lacks is left out; anything malformed: no write;
#        a resets_at of 0 or below is written as null, "unknown")
#   <data folder>/rate-limits.seen  one byte, rewritten in place when stdin repeats the saved rate limits:
#       its modification time says they were still current then, with no `date` process and no rename
#   stdout, stderr and exit code: exactly those of the previous command, run as `/bin/sh -c "$previous"`
#       with the same stdin, environment, umask, locale and working folder (the way Claude Code runs it).
#       With no previous command: no output, exit 0. The tap's own errors are swallowed and never stop the
#       previous command.
#
# Speed: this runs after every Claude Code response. Reading, matching and comparing use builtins only;
# processes are started only to write a change (date on bash < 5, mv) and to feed the previous command.
