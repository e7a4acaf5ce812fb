#!/usr/bin/env bash
# Benchmark (not a test): one backup of a corpus to three loopback destinations — a local folder,
# SFTP (Debian's OpenSSH sshd, internal-sftp) and S3 (s3proxy over a folder) — in concurrent mode,
# compared with the same backup to each destination alone and with sequential mode. Every run
# starts from fresh, empty repositories. Prints wall time and peak RSS per run and the ratios.
#
#   bench/destinations.sh [--corpus DIR] [--work DIR]
#
# Runs the agent through launch/b247 (its JVM settings), as vs-restic.sh does.
# Needs: the agent jar (mvn -B -DskipTests package), openssh-server, /usr/bin/time, and the test
# class path (for s3proxy), which it asks Maven for.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus=/tmp/b247-bench/corpus
work=/tmp/b247-dest-bench
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    *) echo "usage: $0 [--corpus DIR] [--work DIR]" >&2; exit 2 ;;
  esac
done
jar="$root/target/b247-agent.jar"
[ -f "$jar" ] || { echo "no $jar: run mvn -B -DskipTests package first" >&2; exit 2; }
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }

rm -rf "$work"; mkdir -p "$work"/{etc,s3data,runs}
cleanup() { kill "${sshd_pid:-}" "${s3_pid:-}" 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- SFTP: OpenSSH on a free port, key login for the current user ---------------------------------
sport=$(free_port)
ssh-keygen -q -t ed25519 -N '' -C host -f "$work/etc/host_key"
ssh-keygen -q -t ed25519 -N '' -C client -f "$work/id_ed25519"
cp "$work/id_ed25519.pub" "$work/etc/authorized_keys"
echo "[127.0.0.1]:$sport $(cat "$work/etc/host_key.pub")" > "$work/known_hosts"
cat > "$work/etc/sshd_config" <<EOF
Port $sport
ListenAddress 127.0.0.1
HostKey $work/etc/host_key
PidFile none
AuthorizedKeysFile $work/etc/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
MaxSessions 32
LogLevel ERROR
Subsystem sftp internal-sftp
EOF
mkdir -p /run/sshd
/usr/sbin/sshd -D -e -f "$work/etc/sshd_config" 2>"$work/sshd.log" &
sshd_pid=$!

# --- S3: s3proxy over a folder -----------------------------------------------------------------
s3port=$(free_port)
(cd "$root" && mvn -q -o -B dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null)
cat > "$work/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=AKIDBENCH
s3proxy.credential=bench-secret-key
jclouds.provider=filesystem-nio2
jclouds.identity=AKIDBENCH
jclouds.credential=bench-secret-key
jclouds.filesystem.basedir=$work/s3data
EOF
mkdir -p "$work/s3data/bench"
echo '<configuration><root level="WARN"/></configuration>' > "$work/logback.xml" # s3proxy's DEBUG log slows it
java -Xmx512m -Dlogback.configurationFile="$work/logback.xml" -cp "$(cat "$work/cp.txt")" org.gaul.s3proxy.Main --properties "$work/s3proxy.properties" \
  >"$work/s3proxy.log" 2>&1 &
s3_pid=$!
for _ in $(seq 100); do
  (echo > /dev/tcp/127.0.0.1/$s3port) 2>/dev/null && (echo > /dev/tcp/127.0.0.1/$sport) 2>/dev/null && break
  sleep 0.2
done

umask 077
cat > "$work/creds.properties" <<EOF
identity-file=$work/id_ed25519
known-hosts=$work/known_hosts
access-key=AKIDBENCH
secret-key=bench-secret-key
EOF
echo "bench key for destinations" > "$work/key"

b247() { "$root/launch/b247" "$@"; }
# fresh repositories for one run: prints the three URLs
fresh() {
  local n=$1
  local local_url="$work/runs/local-$n" sftp_url="sftp://$(id -un)@127.0.0.1:$sport$work/runs/sftp-$n"
  local s3_url="s3://bench/run-$n?endpoint=http://127.0.0.1:$s3port&region=us-east-1"
  b247 repo init --repo "$local_url" --key-file "$work/key" --kdf-memory 1024 --kdf-iterations 1 >/dev/null
  for u in "$sftp_url" "$s3_url"; do
    b247 repo init --repo "$u" --like "$local_url" --key-file "$work/key" --credentials "$work/creds.properties" >/dev/null
  done
  echo "$local_url" "$sftp_url" "$s3_url"
}
# busy CPU time of the whole machine in clock ticks (the servers' share included)
cpu_now() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
# run NAME MODE URL...: one timed backup; prints "NAME seconds rss_kb"
run() {
  local name=$1 mode=$2; shift 2
  local args=()
  for u in "$@"; do args+=(--repo "$u"); done
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  cpu0=$(cpu_now)
  /usr/bin/time -f "%e %M %U %S" -o "$work/$name.time" "$root/launch/b247" repo backup --mode "$mode" --max-concurrent 3 \
    "${args[@]}" --key-file "$work/key" --credentials "$work/creds.properties" "$corpus" >"$work/$name.out" 2>&1 \
    || { echo "$name FAILED:"; cat "$work/$name.out"; exit 1; }
  read -r secs rss user sys < "$work/$name.time"
  local machine_cpu
  machine_cpu=$(awk -v a="$cpu0" -v b="$(cpu_now)" 'BEGIN { printf "%.1f", (b - a) / 100 }')
  printf '%-14s %7s s wall %8s KB peak RSS  b247 cpu %6.1f s  all processes cpu %6s s\n' "$name" "$secs" "$rss" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$machine_cpu"
  eval "t_$name=$secs"
}

read -r l s q < <(fresh 1); run local_only sequential "$l"
read -r l s q < <(fresh 2); run sftp_only sequential "$s"
read -r l s q < <(fresh 3); run s3_only sequential "$q"
read -r l s q < <(fresh 4); run concurrent_3 concurrent "$l" "$s" "$q"
read -r l s q < <(fresh 5); run sequential_3 sequential "$l" "$s" "$q"

slowest=$(printf '%s\n' "$t_local_only" "$t_sftp_only" "$t_s3_only" | sort -g | tail -1)
echo
awk -v c="$t_concurrent_3" -v s="$t_sequential_3" -v m="$slowest" -v l="$t_local_only" 'BEGIN {
  printf "concurrent / slowest single destination = %.2f (target <= 1.30)\n", c / m
  printf "concurrent / local only                 = %.2f\n", c / l
  printf "concurrent / sequential                 = %.2f (target < 0.50)\n", c / s }'
