# Sourced by ./cairn and ./wallet: sets CAIRN_JAVA to a java binary of version >= 21, or exits with a clear error.
# Order: $JAVA_HOME, then `java` on PATH, then the newest JDK under /usr/lib/jvm.
cairn_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}
cairn_find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  local d
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${d%/}/bin/java"); done
  local c major
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    major=$(cairn_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      CAIRN_JAVA="$c"
      CAIRN_JAVA_MAJOR="$major"
      return 0
    fi
  done
  echo "error: Cairn needs a JDK 21 or newer; none found in JAVA_HOME, on PATH or under /usr/lib/jvm. Install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME." >&2
  exit 1
}
# Rebuilds the jar at $1 with the Maven args in $2.. when it is missing or older than any source or pom.
cairn_ensure_built() {
  local jar="$1"; shift
  if [ ! -f "$jar" ] || [ -n "$(find "$CAIRN_HOME" \( -name node_modules -o -name target -o -name .git -o -name data \) -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit 2>/dev/null)" ]; then
    if ! command -v mvn >/dev/null 2>&1; then
      echo "error: $jar is missing or stale and Maven (mvn) is not installed to build it; install maven." >&2
      exit 1
    fi
    echo "building $(basename "$jar") (first run or sources changed)..." >&2
    # Maven's console library writes colour resets (ESC[0m) even in batch mode with colour off; a quiet
    # build prints nothing else. Keep its output and show it, without escape codes, only when it fails.
    local log
    log="$(mktemp "${TMPDIR:-/tmp}/cairn-build.XXXXXX")"
    if ! (cd "$CAIRN_HOME" && mvn -B -q -Dstyle.color=never -DskipTests "$@" package) >"$log" 2>&1; then
      sed $'s/\x1b\[[0-9;]*[A-Za-z]//g' "$log" >&2
      rm -f "$log"
      echo "error: build failed; run 'mvn -B package -DskipTests' to see why." >&2
      exit 1
    fi
    rm -f "$log"
  fi
}
# Prints -XX:AOTCache=$1 when that cache (written by `cairn bench aot-train`) is newer than the jar $2, the JVM
# reads such caches (JDK 25+) and $3 (the JVM options) does not already speak of AOT; prints nothing otherwise.
cairn_aot_option() {
  if [ -f "$1" ] && [ "$1" -nt "$2" ] && [ "${CAIRN_JAVA_MAJOR:-0}" -ge 25 ] 2>/dev/null && [[ "$3" != *-XX:AOT* ]]; then
    echo "-XX:AOTCache=$1"
  fi
}
