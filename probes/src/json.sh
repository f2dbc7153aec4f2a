# Reading JSON. The few fields a probe needs are read by bash itself (json_index, json_lookup). Only
# when that cannot decide (escapes in a string or a key) do the external readers run, in the order of
# AGENT_LIMITS_JSON_READERS (default "builtin plutil jq python3"; tests change it): plutil (macOS 12+
# for `-extract raw`), jq, python3. Each checks the value's type; one that cannot answer hands over to
# the next. The JSON text reaches them through a pipe, never through an argument or a file.

JSON_TEXT=""
JSON_INDEX=""
JSON_INDEXED=0
JSON_ODD_KEYS=0
JSON_KIND=""
JSON_VALUE=""
JSON_NUMBER_RE='^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$'
# Stand-ins for the escapes \\ and \" while the text is cut at its quotes: control characters, which
# JSON never has raw, so a text that holds them is refused first.
JSON_ESC_BACKSLASH=$'\001'
JSON_ESC_QUOTE=$'\002'
# Where a number or a literal ends (a pattern in a variable: a `}` inside ${...} would end it).
JSON_WORD_END='[][{}:,[:space:]]*'

# json_index: walk JSON_TEXT and set JSON_INDEX to one line per value, "<key.path>=<kind>:<text>",
# kind s (string without escapes), e (string with escapes; text left out), n (number), b (true or
# false), z (null), o (object), a (array). Values inside arrays get a `#` path component, and so do
# keys with a dot, a `=` or an escape (JSON_ODD_KEYS then says a key could not be read), so no key
# path that is asked for can match them. Status 1, and an empty index, when JSON_TEXT is not one JSON
# value. The text is cut at its quotes by word splitting (one pass in bash's C code), so the odd
# pieces are the strings and the even ones hold the rest; a regular expression per token costs far more.
json_index() {
  local text="$JSON_TEXT" IFS='"' i n piece token key="" expect=value depth=0 glob_was_on=1
  local -a pieces kinds paths
  JSON_INDEX=$NL
  JSON_ODD_KEYS=0
  paths[0]=""
  case "$text" in *["$JSON_ESC_BACKSLASH$JSON_ESC_QUOTE"]*) return 1 ;; esac
  case "$text" in *\\*)
    text=${text//"\\\\"/$JSON_ESC_BACKSLASH}
    text=${text//"\\\""/$JSON_ESC_QUOTE}
    ;;
  esac
  case $- in *f*) glob_was_on=0 ;; esac
  set -f
  pieces=($text)
  if [ "$glob_was_on" = 1 ]; then set +f; fi
  n=${#pieces[@]}
  # An even count ends on a string: it must have been closed.
  if [ $((n % 2)) = 0 ]; then case "$text" in *\") ;; *) n=0 ;; esac; fi
  for ((i = 0; i < n; i++)); do
    piece=${pieces[i]}
    if [ $((i % 2)) = 1 ]; then
      json_step s "$piece" || break
      continue
    fi
    # Between two strings: { } [ ] : , and numbers or literals. White space goes, unless it would
    # join two words (`tr ue`), which then stay apart and fail.
    case "$piece" in *[A-Za-z0-9.+-][[:space:]]*) ;; *) piece=${piece//[[:space:]]/} ;; esac
    while [ -n "$piece" ]; do
      case "$piece" in
        [][{}:,]*) token=${piece:0:1} ;;
        [[:space:]]*)
          piece=${piece#"${piece%%[![:space:]]*}"}
          continue
          ;;
        *) token=${piece%%$JSON_WORD_END} ;;
      esac
      piece=${piece:${#token}}
      json_step w "$token" || break 2
    done
  done
  if [ "$i" = "$n" ] && [ "$n" -gt 0 ] && [ "$expect" = end ]; then return 0; fi
  JSON_INDEX=""
  return 1
}

# json_step KIND TOKEN: one token of json_index's walk (whose locals it updates): KIND s for the text
# of a string, w for anything else ({ } [ ] : , a number, true, false, null).
json_step() {
  local vpath kind
  case "$expect" in
    key | firstkey)
      if [ "$1" = s ]; then
        key=$2
        case "$key" in
          *["$JSON_ESC_BACKSLASH$JSON_ESC_QUOTE\\"]*)
            key="#"
            JSON_ODD_KEYS=1
            ;;
          *[.=]* | *[[:cntrl:]]*) key="#" ;;
        esac
        expect=colon
        return 0
      fi
      [ "$expect:$2" = "firstkey:}" ] || return 1
      json_close o
      return
      ;;
    colon)
      [ "$1:$2" = "w::" ] || return 1
      expect=value
      return 0
      ;;
    next)
      [ "$1" = w ] || return 1
      case "$2" in
        ,)
          if [ "${kinds[depth]}" = o ]; then expect=key; else expect=value; fi
          return 0
          ;;
        "}") json_close o ;;
        "]") json_close a ;;
        *) return 1 ;;
      esac
      return
      ;;
    first) if [ "$1:$2" = "w:]" ]; then
      json_close a
      return
    fi ;;
    value) ;;
    *) return 1 ;;
  esac
  # A value: its key path, then what it is.
  if [ "$depth" = 0 ]; then
    vpath=""
  elif [ "${kinds[depth]}" = o ]; then
    vpath=${paths[depth]:+${paths[depth]}.}$key
  else
    vpath=${paths[depth]:+${paths[depth]}.}#
  fi
  if [ "$1" = s ]; then
    case "$2" in
      *["$JSON_ESC_BACKSLASH$JSON_ESC_QUOTE\\"]*) JSON_INDEX="$JSON_INDEX$vpath=e:$NL" ;;
      *[[:cntrl:]]*) return 1 ;;
      *) JSON_INDEX="$JSON_INDEX$vpath=s:$2$NL" ;;
    esac
  else
    case "$2" in
      "{" | "[")
        if [ "$2" = "{" ]; then kind=o; else kind=a; fi
        JSON_INDEX="$JSON_INDEX$vpath=$kind:$NL"
        depth=$((depth + 1))
        kinds[depth]=$kind
        paths[depth]=$vpath
        if [ "$kind" = o ]; then expect=firstkey; else expect=first; fi
        return 0
        ;;
      true | false) JSON_INDEX="$JSON_INDEX$vpath=b:$2$NL" ;;
      null) JSON_INDEX="$JSON_INDEX$vpath=z:$NL" ;;
      *)
        [[ $2 =~ $JSON_NUMBER_RE ]] || return 1
        JSON_INDEX="$JSON_INDEX$vpath=n:$2$NL"
        ;;
    esac
  fi
  json_after_value
}

# json_close o|a: the walk leaves the object or array it is in, which must be of that kind.
json_close() {
  [ "${kinds[depth]}" = "$1" ] || return 1
  depth=$((depth - 1))
  json_after_value
}

json_after_value() {
  if [ "$depth" = 0 ]; then expect=end; else expect=next; fi
}

# json_lookup KEYPATH: JSON_KIND and JSON_VALUE of the last value at KEYPATH (the one JSON parsers
# keep). A regular expression, not ${JSON_INDEX##*...}: that pattern costs time squared in the length.
json_lookup() {
  local re="^(.*$NL)?${1//./\\.}=([a-z]):([^$NL]*)$NL"
  [[ $JSON_INDEX =~ $re ]] || return 1
  JSON_KIND=${BASH_REMATCH[2]}
  JSON_VALUE=${BASH_REMATCH[3]}
}

# json_use TEXT: the document json_get reads from now on.
json_use() {
  JSON_TEXT="$1"
  JSON_INDEXED=0
}

# json_use_file FILE: read FILE (a regular file) as the document; status 1 when it cannot be read.
json_use_file() {
  [ -f "$1" ] && [ -r "$1" ] || return 1
  json_use "$(<"$1")"
}

PY_JSON_GET='import json, sys
try:
    v = json.loads(sys.stdin.buffer.read())
except Exception:
    sys.exit(1)
for k in sys.argv[1].split("."):
    v = v.get(k) if isinstance(v, dict) else None
if sys.argv[2] == "string":
    ok = isinstance(v, str)
else:
    ok = isinstance(v, (int, float)) and not isinstance(v, bool)
if not ok:
    sys.exit(3)
sys.stdout.buffer.write(str(v).encode("utf-8") + b"\n")'

# json_external READER KEYPATH TYPE: ask one external reader. Status 0 with JSON_VALUE set: found;
# 1: the reader read the document and the value is absent or of another type; 2: it could not answer.
json_external() {
  local v status ptype
  command -v "$1" >/dev/null 2>&1 || return 2
  case "$1" in
    plutil)
      # `-extract KEY raw` prints an object's keys or an array's count with status 0, so ask the type
      # first; both fail on macOS before 12, which hands over to the next reader.
      ptype=$(printf '%s' "$JSON_TEXT" | plutil -type "$2" -) || return 2
      case "$3:$ptype" in string:string | number:integer | number:float) ;; *) return 1 ;; esac
      v=$(printf '%s' "$JSON_TEXT" | plutil -extract "$2" raw -) || return 2
      ;;
    jq)
      v=$(printf '%s' "$JSON_TEXT" | jq -e -r --arg p "$2" --arg t "$3" \
        '(try getpath($p | split(".")) catch null) | select(type == $t)')
      status=$?
      if [ "$status" = 4 ]; then return 1; fi
      [ "$status" = 0 ] || return 2
      ;;
    python3)
      v=$(printf '%s' "$JSON_TEXT" | python3 -I -c "$PY_JSON_GET" "$2" "$3")
      status=$?
      if [ "$status" = 3 ]; then return 1; fi
      [ "$status" = 0 ] || return 2
      ;;
    *) return 2 ;;
  esac
  JSON_VALUE=$v
  return 0
}

# json_get KEYPATH TYPE: JSON_VALUE is the non-empty string (TYPE string) or the number (TYPE number)
# at the dot-separated KEYPATH of the current document. Status 1 when it is absent, empty, null or of
# another type; 2 when no JSON reader from AGENT_LIMITS_JSON_READERS is available.
json_get() {
  local reader status ran=0
  JSON_VALUE=""
  # shellcheck disable=SC2086 # a word list on purpose
  for reader in ${AGENT_LIMITS_JSON_READERS:-builtin plutil jq python3}; do
    if [ "$reader" = builtin ]; then
      ran=1
      if [ "$JSON_INDEXED" = 0 ]; then
        JSON_INDEXED=1
        json_index || return 1 # not JSON: no reader would find anything
      fi
      if json_lookup "$1"; then
        case "$2:$JSON_KIND" in
          string:s | number:n) [ -n "$JSON_VALUE" ] && return 0 ;;
          string:e) continue ;; # escapes: let a full JSON parser decode them
        esac
        JSON_VALUE=""
        return 1
      fi
      [ "$JSON_ODD_KEYS" = 1 ] || return 1
      continue
    fi
    json_external "$reader" "$1" "$2"
    status=$?
    case "$status" in
      0) if [ -n "$JSON_VALUE" ]; then return 0; else return 1; fi ;;
      1) return 1 ;;
    esac
    if command -v "$reader" >/dev/null 2>&1; then ran=1; fi
  done
  JSON_VALUE=""
  if [ "$ran" = 1 ]; then return 1; fi
  return 2
}

# json_string KEYPATH / json_number KEYPATH: json_get, failing the probe (tool_missing) when no JSON
# reader is available at all.
json_string() {
  json_get "$1" string
  case $? in
    0) return 0 ;;
    2) fail tool_missing 14 "No JSON reader found (plutil, jq or python3) to read $JSON_SOURCE. $JSON_READER_HINT" ;;
  esac
  return 1
}
json_number() {
  json_get "$1" number
  case $? in
    0) return 0 ;;
    2) fail tool_missing 14 "No JSON reader found (plutil, jq or python3) to read $JSON_SOURCE. $JSON_READER_HINT" ;;
  esac
  return 1
}
JSON_SOURCE="the login file"
JSON_READER_HINT="Install jq or python3, then try again."
