#!/bin/bash
# claude_statusline_tap.sh: Agent Limits' opt-in tap on Claude Code's status line (zero network).
#
# Installed by the extension as the `statusLine` command `/bin/bash '<folder>/claude_statusline_tap.sh'`
# (no run bit needed). Claude Code (2.1.80+) pipes one JSON object to it on stdin; for Claude.ai logins,
# after the session's first response, that object carries
#   "rate_limits": {"five_hour": {"used_percentage": 37.0, "resets_at": 1791823260}, "seven_day": {...}}
# (used_percentage 0-100, may exceed 100; resets_at in epoch seconds). Needs bash 3.2+, no jq, no python.
#
# Inputs:
#   stdin               the status-line JSON, read once (NUL bytes, which JSON never has, are dropped)
#   $1                  optional: the Claude Code folder; its agent-limits/ subfolder is the data folder
#   (no $1)             when the script sits in a folder named agent-limits (as installed), that folder;
#                       otherwise ${CLAUDE_CONFIG_DIR:-$HOME/.claude}/agent-limits
#   <data folder>/previous-command
#                       optional: the status-line command that was configured before the tap (written by
#                       the installer, exactly the previous `statusLine.command`)
#
# Output:
#   <data folder>/rate-limits.json  (folder 0700, file 0600), replaced atomically (temp file + mv) when
#       stdin has usable rate limits, left alone otherwise:
#       {"captured_at":<epoch s>,"rate_limits":{"five_hour":{"used_percentage":N,"resets_at":N|null},
#        "seven_day":{...}}}   (a window the input lacks is left out; anything malformed: no write)
#   stdout, stderr and exit code: exactly those of the previous command, run as `/bin/sh -c "$previous"`
#       with the same stdin, environment, umask and working folder (the way Claude Code runs it). With
#       no previous command: no output, exit 0. The tap's own errors are swallowed and never stop the
#       previous command.

ORIGINAL_PATH=${PATH-}
PATH="/usr/bin:/bin:/usr/sbin:/sbin${PATH:+:$PATH}"

NUMBER='-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?'
SPACE='[[:space:]]*'

# The helpers return through MATCH and WINDOW instead of printing: command substitutions fork, and
# forks are most of the tap's cost.
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

# MATCH := the `{...}` text of member $1 of the JSON text $2, for a member whose value is an object of
# scalars or of such objects (the shape of rate_limits).
object_member() {
  local pattern="\"$1\"$SPACE:$SPACE(\\{([^{}]|\\{[^{}]*\\})*\\})"
  [[ $2 =~ $pattern ]] || return 1
  MATCH=${BASH_REMATCH[1]}
}

# MATCH := the number (or `null`, when $3 is nullable) of member $1 of the flat object text $2.
number_member() {
  local pattern="\"$1\"$SPACE:$SPACE($NUMBER|null)${SPACE}[,}]"
  [[ $2 =~ $pattern ]] || return 1
  MATCH=${BASH_REMATCH[1]}
  [ "$MATCH" != null ] || [ "${3-}" = nullable ]
}

# WINDOW := `"<name>":{"used_percentage":N,"resets_at":N|null}` for window $1 of the rate-limits text $2,
# or empty when the window is absent. Fails when the window is there but malformed.
window_json() {
  local window used resets=null
  WINDOW=""
  object_member "$1" "$2" || return 0
  window=$MATCH
  number_member used_percentage "$window" || return 1
  used=$MATCH
  case "$window" in
    *'"resets_at"'*)
      number_member resets_at "$window" nullable || return 1
      resets=$MATCH
      ;;
  esac
  WINDOW="\"$1\":{\"used_percentage\":$used,\"resets_at\":$resets}"
}

epoch_seconds() {
  if [ "${BASH_VERSINFO[0]}" -ge 5 ]; then
    MATCH=$EPOCHSECONDS
  else
    MATCH=$(date +%s)
  fi
  case "$MATCH" in '' | *[!0-9]*) return 1 ;; esac
}

# Runs in a subshell, so its umask (new folders 0700, files 0600) and failures stay there.
capture_rate_limits() {
  local rate_limits five_hour seven_day windows temp
  umask 077
  # A file-size limit then fails the write (and the temp file is removed) instead of killing the subshell.
  trap '' XFSZ
  object_member rate_limits "$1" || return
  rate_limits=$MATCH
  window_json five_hour "$rate_limits" || return
  five_hour=$WINDOW
  window_json seven_day "$rate_limits" || return
  seven_day=$WINDOW
  windows="$five_hour${five_hour:+${seven_day:+,}}$seven_day"
  [ -n "$windows" ] || return
  epoch_seconds || return
  [ -d "$DATA_FOLDER" ] || mkdir -p "$DATA_FOLDER" || return
  temp="$DATA_FOLDER/.rate-limits.json.$$.tmp"
  if printf '{"captured_at":%s,"rate_limits":{%s}}\n' "$MATCH" "$windows" >"$temp"; then
    mv -f "$temp" "$DATA_FOLDER/rate-limits.json" || rm -f "$temp"
  else
    rm -f "$temp"
  fi
}

data_folder "${1-}"

# The x keeps trailing newlines that command substitution would strip.
{ INPUT=$(cat; printf x); } 2>/dev/null
INPUT=${INPUT%x}

case "$INPUT" in
  # The outer redirection also hides bash's own report should the subshell die of a signal.
  *'"rate_limits"'*) { (capture_rate_limits "$INPUT") </dev/null >/dev/null 2>&1; } 2>/dev/null ;;
esac

PREVIOUS=""
PREVIOUS_FILE="$DATA_FOLDER/previous-command"
if [ -z "${AGENT_LIMITS_IN_TAP-}" ] && [ -f "$PREVIOUS_FILE" ]; then
  IFS= read -r -d '' PREVIOUS <"$PREVIOUS_FILE" 2>/dev/null
fi
[ -n "$PREVIOUS" ] || exit 0

if [ -n "${ORIGINAL_PATH}" ]; then PATH=$ORIGINAL_PATH; fi
# AGENT_LIMITS_IN_TAP stops a previous command that is itself this tap from running its own previous.
printf '%s' "$INPUT" | AGENT_LIMITS_IN_TAP=1 /bin/sh -c "$PREVIOUS"
