#!/usr/bin/env bash
# slurm-single-node.sh - a real, throw-away single-node Slurm for entangle's cluster test
# (tests/cluster/slurm.test.ts). Debian 12 packages; run as root.
#
#   slurm-single-node.sh start    install (if needed) slurmctld slurmd slurm-client munge, start
#                                 munged, write /etc/slurm/slurm.conf for this machine, start
#                                 slurmctld and slurmd; leaves them running
#   slurm-single-node.sh stop     stop the daemons this script started, by their recorded PIDs
#   slurm-single-node.sh status   exit 0 when the controller answers and the node is usable
#                                 (`up` is the same)
#
# Idempotent: install is skipped when the binaries exist; daemons an earlier `start` left
# behind are stopped (by recorded PID) before starting again; Slurm's state and spool are wiped
# on every start. Nothing but the PIDs recorded in $STATE/*.pid is ever signalled.
set -euo pipefail

STATE=${SLURM_SN_STATE:-/tmp/entangle-slurm}   # spool, logs, pid files
CONF=/etc/slurm/slurm.conf
MARK='# entangle slurm-single-node.sh'

ts()  { date +%H:%M:%S; }
log() { echo "[$(ts)] slurm-single-node: $*"; }
die() { log "FAIL: $*" >&2; exit 1; }

# ---------------------------------------------------------------- stop by PID
# Only PIDs this script recorded, and only if the process still has the expected command name
# (guards against PID reuse).
alive() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null || true); [ -n "$st" ] && [ "${st#Z}" = "$st" ]; }
stop_one() {
  local name=$1 pidf=$STATE/$1.pid pid comm i
  [ -f "$pidf" ] || return 0
  pid=$(cat "$pidf")
  comm=$(ps -o comm= -p "$pid" 2>/dev/null || true)
  if [ "$comm" = "$name" ]; then
    kill -TERM "$pid"
    # alive = exists and is not a zombie (when this script is not the parent, PID 1 reaps the
    # exited daemon a little later)
    for i in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then log "$name ($pid) ignored SIGTERM for 10 s, SIGKILL"; kill -KILL "$pid"; fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$pidf"
}
stop_all() { stop_one slurmd; stop_one slurmctld; stop_one munged; }

# ---------------------------------------------------------------- install
install_pkgs() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null &&
     command -v sbatch >/dev/null && command -v munged >/dev/null; then
    return 0
  fi
  command -v apt-get >/dev/null || die "Slurm is not installed and there is no apt-get to install it"
  log "installing slurmctld slurmd slurm-client munge (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # without systemd the packages' services are not started by apt
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
}

# ---------------------------------------------------------------- munge
start_munge() {
  # munged refuses to run as root ("PRNG seed dir is insecure: invalid ownership of
  # /var/lib/munge"), so it runs as the munge user. /run/munge is normally made by
  # systemd-tmpfiles; make it here.
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  install -d -o munge -g munge -m 0700 /etc/munge
  if [ ! -s /etc/munge/munge.key ]; then
    log "creating /etc/munge/munge.key"
    mungekey --create --keyfile=/etc/munge/munge.key
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
  # setpriv execs (no extra parent process), so $! is munged's own PID
  setpriv --reuid=munge --regid=munge --init-groups \
    munged --foreground --force >"$STATE/munged.out" 2>&1 &
  echo $! >"$STATE/munged.pid"
  local i
  for i in $(seq 1 50); do
    if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
      log "munged up (pid $(cat "$STATE/munged.pid"))"
      return 0
    fi
    sleep 0.1
  done
  cat "$STATE/munged.out" >&2
  die "munged did not come up"
}

# ---------------------------------------------------------------- slurm
write_conf() {
  # The hardware line comes from `slurmd -C` (gives RealMemory, so --mem requests work, and the
  # real socket/core layout); the node is renamed to localhost.
  local hw
  hw=$(slurmd -C | head -1 | sed -e 's/^NodeName=[^ ]* //')
  mkdir -p /etc/slurm
  if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    cp "$CONF" "$CONF.bak.$(date +%s)"
    log "backed up the existing $CONF"
  fi
  cat >"$CONF" <<EOF
$MARK - single-node test cluster
ClusterName=entangletest
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
# the default batch_sched_delay=3 s makes each wave of array tasks wait ~3 s
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
# keep finished jobs visible to scontrol for a while (there is no accounting database)
MinJobAge=600
MailProg=/bin/true
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=$STATE/slurmctld.pidfile
SlurmdPidFile=$STATE/slurmd.pidfile
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=localhost $hw State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
  log "wrote $CONF (node: $hw)"
}

node_state() { sinfo -h -n localhost -o %t 2>/dev/null || true; }

start_slurm() {
  rm -rf "$STATE/ctld" "$STATE/d" "$STATE"/slurm*.log
  mkdir -p "$STATE/ctld" "$STATE/d"
  slurmctld -D -i >"$STATE/slurmctld.out" 2>&1 &
  echo $! >"$STATE/slurmctld.pid"
  local i st=""
  for i in $(seq 1 100); do scontrol ping 2>/dev/null | grep -q 'is UP' && break; sleep 0.1; done
  scontrol ping 2>/dev/null | grep -q 'is UP' || { tail "$STATE/slurmctld.log" >&2 || true; die "slurmctld is not UP"; }
  log "slurmctld up (pid $(cat "$STATE/slurmctld.pid"))"
  # the host name need not be 'localhost'; -N names the node explicitly
  slurmd -D -N localhost >"$STATE/slurmd.out" 2>&1 &
  echo $! >"$STATE/slurmd.pid"
  for i in $(seq 1 150); do
    st=$(node_state)
    [ "$st" = idle ] && break
    sleep 0.1
  done
  [ "$st" = idle ] || { tail "$STATE/slurmd.log" >&2 || true; die "node state '$st' (expected idle)"; }
  log "slurmd up (pid $(cat "$STATE/slurmd.pid")), node idle"
}

status() {
  command -v scontrol >/dev/null || { echo "Slurm is not installed"; return 1; }
  scontrol ping 2>/dev/null | grep -q 'is UP' || { echo "slurmctld is not answering"; return 1; }
  local st
  st=$(sinfo -h -o %t 2>/dev/null | sort -u | tr '\n' ' ')
  case " $st" in
    *" idle"* | *" mix"* | *" alloc"*) echo "Slurm is up (node states: ${st% })"; return 0 ;;
    *) echo "slurmctld is up but no node is usable (node states: ${st% })"; return 1 ;;
  esac
}

# ---------------------------------------------------------------- main
cmd=${1:-}
case $cmd in
  start)
    [ "$(id -u)" = 0 ] || die "run as root"
    mkdir -p "$STATE"
    install_pkgs
    stop_all
    start_munge
    write_conf
    start_slurm ;;
  stop)
    mkdir -p "$STATE"
    stop_all ;;
  status | up)
    status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2 ;;
esac
