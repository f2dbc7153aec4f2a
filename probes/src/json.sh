# Reading JSON. The few fields a probe needs are read by bash itself (json_index / json_lookup). Only when that
# cannot decide (escapes in a string or a key) do the external readers run, in the order of
# AGENT_LIMITS_JSON_READERS (default "builtin plutil jq python3"; tests change it): plutil (macOS 12+
# for `-extract raw`), jq, python3. Each checks the value's type; one that cannot answer hands over to
# the next. The JSON text reaches them through a pipe, never through an argument or a file.

JSON_TEXT=""
JSON_INDEX=""
JSON_INDEXED=0
JSON_ODD_KEYS=0
JSON_KIND=""
JSON_VALUE=""
JSON_TOKEN_RE='^[[:space:]]*("[^"\\]*"|"([^"\\]|\\.)*"|[][{}:,]|-?[0-9][0-9.eE+-]*|true|false|null)'
JSON_NUMBER_RE='^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$'

# json_index: walk JSON_TEXT and set JSON_INDEX to one line per value, "<key.path>=<kind>:<text>",
# kind s (string without escapes), e (string with escapes; text left out), n (number), b (true or
# false), z (null), o (object), a (array). Values inside arrays get a `#` path component, and so do
# keys with a dot or an escape (JSON_ODD_KEYS then says a key could not be read), so no key path that
# is asked for can match them. Status 1, and an empty index, when JSON_TEXT is not one JSON value.
json_index() {
  local rest="$JSON_TEXT" token key="" vpath expect=value depth=0 kind
  local -a kinds paths
  JSON_INDEX=$NL
  JSON_ODD_KEYS=0
  paths[0]=""
  while [[ $rest =~ $JSON_TOKEN_RE ]]; do
    token=${BASH_REMATCH[1]}
    rest=${rest:${#BASH_REMATCH[0]}}
    case "$token" in \"*[[:cntrl:]]*) break ;; esac
    case "$expect:$token" in
      key:\"* | firstkey:\"*)
        key=${token:1:${#token}-2}
        case "$key" in *\\* | *.* | *=*)
          key="#"
          JSON_ODD_KEYS=1
          ;;
        esac
        expect=colon
        continue
        ;;
      colon:":")
        expect=value
        continue
        ;;
      next:,)
        if [ "${kinds[depth]}" = o ]; then expect=key; else expect=value; fi
        continue
        ;;
      next:"}" | firstkey:"}")
        [ "${kinds[depth]}" = o ] || break
        ;;
      next:"]" | first:"]")
        [ "${kinds[depth]}" = a ] || break
        ;;
      value:"}" | value:"]" | value:, | value:: | first:, | first:: | first:"}") break ;;
      value:* | first:*) ;;
      *) break ;;
    esac
    case "$token" in
      "}" | "]") depth=$((depth - 1)) ;;
      *)
        # A value: its key path, then what it is.
        if [ "$depth" = 0 ]; then
          vpath=""
        elif [ "${kinds[depth]}" = o ]; then
          vpath=${paths[depth]:+${paths[depth]}.}$key
        else
          vpath=${paths[depth]:+${paths[depth]}.}#
        fi
        case "$token" in
          "{" | "[")
            if [ "$token" = "{" ]; then kind=o; else kind=a; fi
            JSON_INDEX="$JSON_INDEX$vpath=$kind:$NL"
            depth=$((depth + 1))
            kinds[depth]=$kind
            paths[depth]=$vpath
            if [ "$kind" = o ]; then expect=firstkey; else expect=first; fi
            continue
            ;;
          \"*\\*) JSON_INDEX="$JSON_INDEX$vpath=e:$NL" ;;
          \"*) JSON_INDEX="$JSON_INDEX$vpath=s:${token:1:${#token}-2}$NL" ;;
          true | false) JSON_INDEX="$JSON_INDEX$vpath=b:$token$NL" ;;
          null) JSON_INDEX="$JSON_INDEX$vpath=z:$NL" ;;
          *)
            [[ $token =~ $JSON_NUMBER_RE ]] || break
            JSON_INDEX="$JSON_INDEX$vpath=n:$token$NL"
            ;;
        esac
        ;;
    esac
    if [ "$depth" = 0 ]; then expect=end; else expect=next; fi
  done
  if [ "$expect" = end ] && [[ $rest =~ ^[[:space:]]*$ ]]; then return 0; fi
  JSON_INDEX=""
  return 1
}

# json_lookup KEYPATH: JSON_KIND and JSON_VALUE of the last value at KEYPATH (the one JSON parsers keep).
json_lookup() {
  local entry
  case "$JSON_INDEX" in *"$NL$1="*) ;; *) return 1 ;; esac
  entry=${JSON_INDEX##*"$NL$1="}
  entry=${entry%%"$NL"*}
  JSON_KIND=${entry%%:*}
  JSON_VALUE=${entry#*:}
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
