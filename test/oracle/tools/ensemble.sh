#!/usr/bin/env bash
# Start/stop a real ZooKeeper 3.8 ensemble (Debian package) on loopback for oracle checks.
# usage: ensemble.sh start N BASE_DIR | stop BASE_DIR | kill BASE_DIR SID | restart BASE_DIR SID
# Copied from /work/shared/oracle/tools/ensemble.sh, plus two optional environment variables:
#   ZK_EXTRA_CFG=FILE        lines appended to every server's zoo.cfg (e.g. extendedTypesEnabled=true)
#   ZK_SERVER_JVMFLAGS="..." extra java flags for every server (e.g. -Dznode.container.checkIntervalMs=100)
# and `stop` waits until the servers have exited (so the next fresh server can bind the port).
set -euo pipefail
ZKCP="/etc/zookeeper/conf:/usr/share/java/zookeeper.jar"
cmd=$1
start_one() { # dir sid
  local d=$1 sid=$2
  # shellcheck disable=SC2086
  nohup java -Xmx256m -cp "$ZKCP" -Dzookeeper.log.dir=$d/$sid -Dzookeeper.4lw.commands.whitelist='*' \
    -Dzookeeper.admin.enableServer=false ${ZK_SERVER_JVMFLAGS:-} \
    org.apache.zookeeper.server.quorum.QuorumPeerMain $d/$sid/zoo.cfg \
    > $d/$sid/out.log 2>&1 &
  echo $! > $d/$sid/pid
}
case $cmd in
start)
  n=$2; d=$3; mkdir -p $d
  for i in $(seq 1 $n); do
    mkdir -p $d/$i/data; echo $i > $d/$i/data/myid
    { echo "tickTime=2000"; echo "initLimit=10"; echo "syncLimit=5"; echo "dataDir=$d/$i/data"; echo "clientPort=$((21800+i))";
      echo "clientPortAddress=127.0.0.1"; echo "4lw.commands.whitelist=*";
      for j in $(seq 1 $n); do echo "server.$j=127.0.0.1:$((28800+j)):$((38800+j))"; done
      if [ -n "${ZK_EXTRA_CFG:-}" ]; then cat "$ZK_EXTRA_CFG"; fi; } > $d/$i/zoo.cfg
    start_one $d $i
  done;;
stop) d=$2
  for p in $d/*/pid; do kill $(cat $p) 2>/dev/null || true; done
  for p in $d/*/pid; do for k in $(seq 1 100); do kill -0 $(cat $p) 2>/dev/null || break; sleep 0.1; done; done;;
kill) d=$2; kill -9 $(cat $d/$3/pid);;
restart) d=$2; start_one $d $3;;
esac
