#!/usr/bin/env bash
# Lays out the root file system that the standalone image adds on top of an empty base ("scratch"): a Java 17
# runtime linked by jlink from the building JDK, the shared libraries it loads (copied from the building machine),
# an /etc/passwd naming the unprivileged user the image runs as, and a writable /tmp.
# Why: CI and air-gapped builds reach no container registry, so they cannot pull a JRE base image; this image
# needs none. The module list is a JRE without the desktop modules (AWT, Swing, sound): `cutover demo`, which
# drives every part, runs on it.
# Usage: standalone-root.sh OUT_DIR   (skipped when OUT_DIR.stamp says this script and JDK made it)
set -euo pipefail
out="${1:?usage: standalone-root.sh OUT_DIR}"
mkdir -p "$out" && out="$(cd "$out" && pwd)"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
modules=java.base,java.compiler,java.instrument,java.logging,java.management,java.management.rmi,java.naming,java.net.http
modules+=,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.sql.rowset
modules+=,java.transaction.xa,java.xml,java.xml.crypto,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.management
modules+=,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs
stamp="$java_home $("$java_home/bin/java" -version 2>&1 | head -1) $(sha1sum < "${BASH_SOURCE[0]}")"
if [[ -f "$out.stamp" && "$(cat "$out.stamp")" == "$stamp" ]]; then
  echo "standalone-root: $out is up to date"
  exit 0
fi
if [[ ! -d "$java_home/jmods" ]]; then
  echo "standalone-root: $java_home has no jmods/ for jlink (Debian 12 ships them in openjdk-17-jdk-headless)" >&2
  exit 1
fi
rm -rf "$out" "$out.stamp"
mkdir -p "$out/opt" "$out/etc" "$out/tmp" "$out/proc" "$out/dev"
"$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files --output "$out/opt/java"
# Every library the runtime's programs and libraries load, at the same path as on this machine (libjvm and the
# runtime's own libraries are found through their $ORIGIN run paths, so they show as "not found" here).
{
  for f in "$out"/opt/java/bin/* "$out"/opt/java/lib/jspawnhelper "$out"/opt/java/lib/*.so "$out"/opt/java/lib/server/*.so; do
    ldd "$f" 2>/dev/null || true
  done
} | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | grep -v "^$out/" | sort -u | while read -r lib; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
[[ -s "$out/opt/java/lib/security/cacerts" ]] || cp -L /etc/ssl/certs/java/cacerts "$out/opt/java/lib/security/cacerts"
printf 'root:x:0:0:root:/root:/sbin/nologin\ncutover:x:65532:65532:cutover:/tmp:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\ncutover:x:65532:\n' > "$out/etc/group"
echo "$stamp" > "$out.stamp"
echo "standalone-root: $out ($(du -sh "$out" | cut -f1))"
