#!/usr/bin/env bash
# Record what the real zkCli.sh (ZooKeeper 3.8, Debian) prints for each script, each against a fresh
# standalone server (tickTime 2000, client port 127.0.0.1:21801).
# usage: record.sh [-o OUTDIR] SCRIPT.zk...
#   writes SCRIPT.out beside each script (or into OUTDIR).
#   If SCRIPT.cfg exists beside a script, its lines are appended to that server's zoo.cfg
#   (server options such as extendedTypesEnabled=true).
# Adapted from /work/shared/oracle/tools/record.sh: same zkCli invocation and the same output filter.
set -u
export LC_ALL=C.UTF-8   # zkCli reads the script and prints in the locale charset; keep it UTF-8
HERE=$(cd "$(dirname "$0")" && pwd)
outdir=""
if [ "${1:-}" = "-o" ]; then outdir=$2; shift 2; mkdir -p "$outdir"; fi
rc=0
for s in "$@"; do
  if [ -n "$outdir" ]; then out="$outdir/$(basename "${s%.zk}").out"; else out="${s%.zk}.out"; fi
  if "$HERE/fourlw.py" 21801 ruok 2>/dev/null | grep -q imok; then
    echo "record.sh: something already answers on 127.0.0.1:21801; not recording $s" >&2; rc=1; continue
  fi
  d=$(mktemp -d)
  cfg="${s%.zk}.cfg"
  if [ -f "$cfg" ]; then export ZK_EXTRA_CFG="$cfg"; else unset ZK_EXTRA_CFG; fi
  "$HERE/ensemble.sh" start 1 "$d" >/dev/null
  ok=0
  # wait until the server really serves (srvr shows a Mode): `ruok` answers imok a little earlier, and a
  # zkCli connecting in that window can lose its first request (ConnectionLoss)
  for i in $(seq 1 100); do "$HERE/fourlw.py" 21801 srvr 2>/dev/null | grep -q '^Mode: standalone' && { ok=1; break; }; sleep 0.2; done
  if [ $ok = 0 ]; then echo "record.sh: server did not start for $s (see $d/1/out.log)" >&2; rc=1; "$HERE/ensemble.sh" stop "$d"; continue; fi
  { cat "$s"; echo quit; } | timeout 120 /usr/share/zookeeper/bin/zkCli.sh -server 127.0.0.1:21801 2>&1 \
    | grep -a -v -E '^(SLF4J|log4j|Welcome to ZooKeeper|JLine support|Connecting to 127|WATCHER::|WatchedEvent state:(SyncConnected|Closed) type:None)' \
    | sed '/^$/d' > "$out"
  "$HERE/ensemble.sh" stop "$d"; sleep 0.5; rm -rf "$d"
done
exit $rc
