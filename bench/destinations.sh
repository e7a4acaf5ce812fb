#!/usr/bin/env bash
# Benchmark (not a test), all on loopback, every run from fresh, empty repositories:
#
# 1. Uploaders against each protocol's reference client: the block and index files of one backup
#    (a local repository of the corpus) uploaded by b247's store, one file after the other as a
#    backup's uploader does (UploadBench, test class path), and by the reference client:
#      SFTP  Debian's OpenSSH sshd (internal-sftp)  <-  OpenSSH sftp (put -r)
#      FTP   Debian's vsftpd, plain                  <-  lftp (mirror -R)
#      FTPS  Debian's vsftpd, ssl_enable=YES         <-  lftp (mirror -R, TLS, session reuse)
#      S3    s3proxy over a folder                   <-  aws s3 cp --recursive (the SDK's transfer manager)
#    and the ratio b247 / reference of the throughputs (goal >= 0.70), in a fresh JVM (cold) and
#    once the JIT compiled the ciphers and hashes (warm, as in a backup of more than a few seconds).
# 2. Backups of the corpus (b247 repo backup): to each destination alone, to local + SFTP + FTPS + S3
#    at once (concurrent mode) and one after the other (sequential mode); wall time, peak RSS, CPU.
#
#   bench/destinations.sh [--corpus DIR] [--work DIR] [--uploads "PROTOCOL..."] [--backups-only]
#                         [--runs "NAME..."] [--agents "ROOT..."] [--rounds N]
#
# --uploads picks part 1's protocols among SFTP FTP FTPS S3; --backups-only skips part 1; --runs picks backups among local_only sftp_only ftps_only s3_only
# concurrent_4 sequential_4; --agents compares agents A/B, each ROOT holding launch/b247 and
# target/b247-agent.jar (+ .jsa), e.g. a copy of an older build: every round runs each backup with
# each agent in turn, and the medians and ranges per agent and backup come at the end.
#
# Run it through the machine's exclusive lock (it loads both cores). Runs the agent through
# launch/b247 (its JVM settings), as vs-restic.sh does. Needs root (the FTP servers log in a system
# user it creates and removes), the agent jar (mvn -B -DskipTests package), the test classes
# (mvn -B test-compile), openssh-server, vsftpd, lftp, awscli, /usr/bin/time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus=/tmp/b247-bench/corpus
work=/tmp/b247-dest-bench
backups_only=""
uploads="SFTP FTP FTPS S3"
runs="local_only sftp_only ftps_only s3_only concurrent_4 sequential_4"
agents="$root"
rounds=1
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --backups-only) backups_only=1; shift ;;
    --uploads) uploads="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --agents) agents="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) echo "usage: $0 [--corpus DIR] [--work DIR] [--uploads \"PROTOCOL...\"] [--backups-only] [--runs \"NAME...\"] [--agents \"ROOT...\"]" \
         "[--rounds N]" >&2; exit 2 ;;
  esac
done
jar="$root/target/b247-agent.jar"
[ -f "$jar" ] || { echo "no $jar: run mvn -B -DskipTests package first" >&2; exit 2; }
[ -d "$root/target/test-classes" ] || { echo "no test classes: run mvn -B test-compile first" >&2; exit 2; }
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
for p in /usr/sbin/sshd /usr/sbin/vsftpd /usr/bin/lftp /usr/bin/aws /usr/bin/sftp; do
  [ -x "$p" ] || { echo "missing $p (openssh-server, vsftpd, lftp, awscli)" >&2; exit 2; }
done

rm -rf "$work"; mkdir -p "$work"/{etc,s3data,runs,ftp}
chmod 755 "$work"
ftpuser=b247bench
cleanup() {
  kill "${sshd_pid:-}" "${s3_pid:-}" "${ftp_pid:-}" "${ftps_pid:-}" 2>/dev/null || true
  userdel "$ftpuser" 2>/dev/null || true
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.2; done; echo "port $1 not up" >&2; exit 1; }

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

# --- FTP and FTPS: Debian's vsftpd (plain, and ssl_enable=YES), a system user with a random password
ftppass="B$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
id "$ftpuser" >/dev/null 2>&1 || useradd --system --no-create-home --home-dir / --shell /bin/sh "$ftpuser"
echo "$ftpuser:$ftppass" | chpasswd
chown "$ftpuser" "$work/ftp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/etc/ftp.key" \
  -out "$work/etc/ftp.crt" -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
ftpfp=$(openssl x509 -in "$work/etc/ftp.crt" -noout -fingerprint -sha256 | cut -d= -f2)
mkdir -p /var/run/vsftpd/empty
vsftpd_conf() { # PORT SSL
  cat <<EOF
anonymous_enable=NO
local_enable=YES
use_localtime=YES
secure_chroot_dir=/var/run/vsftpd/empty
pam_service_name=vsftpd
write_enable=YES
ssl_enable=$2
rsa_cert_file=$work/etc/ftp.crt
rsa_private_key_file=$work/etc/ftp.key
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$1
background=NO
EOF
}
fport=$(free_port); fsport=$(free_port)
vsftpd_conf "$fport" NO > "$work/etc/ftp.conf"
vsftpd_conf "$fsport" YES > "$work/etc/ftps.conf"
/usr/sbin/vsftpd "$work/etc/ftp.conf" >"$work/ftp.log" 2>&1 &
ftp_pid=$!
/usr/sbin/vsftpd "$work/etc/ftps.conf" >"$work/ftps.log" 2>&1 &
ftps_pid=$!

# --- S3: s3proxy over a folder -----------------------------------------------------------------
s3port=$(free_port)
(cd "$root" && mvn -q -o -B dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null)
cp="$root/target/classes:$root/target/test-classes:$(cat "$work/cp.txt")"
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
java -Xmx512m -Dlogback.configurationFile="$work/logback.xml" -cp "$cp" org.gaul.s3proxy.Main \
  --properties "$work/s3proxy.properties" >"$work/s3proxy.log" 2>&1 &
s3_pid=$!
for p in "$sport" "$fport" "$fsport" "$s3port"; do wait_port "$p"; done

umask 077
printf 'identity-file=%s\nknown-hosts=%s\n' "$work/id_ed25519" "$work/known_hosts" > "$work/sftp.creds"
printf 'password=%s\n' "$ftppass" > "$work/ftp.creds"
printf 'password=%s\ncertificate-fingerprint=%s\n' "$ftppass" "$ftpfp" > "$work/ftps.creds"
printf 'access-key=AKIDBENCH\nsecret-key=bench-secret-key\n' > "$work/s3.creds"
: > "$work/local.creds"
umask 022
echo "bench key for destinations" > "$work/key"

url() { # KIND NAME
  case "$1" in
    local) echo "$work/runs/$2" ;;
    sftp) echo "sftp://$(id -un)@127.0.0.1:$sport$work/runs/$2" ;;
    ftp) echo "ftp://$ftpuser@127.0.0.1:$fport$work/ftp/$2" ;;
    ftps) echo "ftps://$ftpuser@127.0.0.1:$fsport$work/ftp/$2" ;;
    s3) echo "s3://bench/$2?endpoint=http://127.0.0.1:$s3port&region=us-east-1" ;;
  esac
}
b247() { "$root/launch/b247" "$@"; }
# busy CPU time of the whole machine in clock ticks (the servers' share included)
cpu_now() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
# CPU clock ticks of the servers, their finished children included (sshd and vsftpd fork one per
# connection): "sftp ftps s3"
servers_now() { for p in "$sshd_pid" "$ftps_pid" "$s3_pid"; do awk '{ printf "%d ", $14 + $15 + $16 + $17 }' "/proc/$p/stat"; done; }
mb() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }

# ---- 1. uploaders against reference clients ---------------------------------------------------
if [ -z "$backups_only" ]; then
b247 repo init --repo "$work/runs/files" --key-file "$work/key" --kdf-memory 1024 --kdf-iterations 1 >/dev/null
b247 repo backup --repo "$work/runs/files" --key-file "$work/key" "$corpus" >/dev/null
files="$work/runs/files"
bytes=$(du -sb --apparent-size "$files" | cut -f1)
nfiles=$(find "$files" -type f | wc -l)
echo "upload set: $nfiles files, $bytes bytes (the repository of one backup of $corpus)"
upload_b247() { # KIND NAME -> "cold warm": seconds of the first pass (fresh JVM) and the best of two more
  java -cp "$cp" -Dpasses=3 -Dlogback.configurationFile="$work/logback.xml" au.com.backup247.agent.repo.store.UploadBench \
    "$(url "$1" "$2")" "$work/$1.creds" "$files" | awk 'NR == 1 { c = $2 } NR > 1 && (w == "" || $2 < w) { w = $2 }
      END { print c, w }'
}
timed() { local t0 t1; t0=$(date +%s.%N); "$@" >"$work/ref.out" 2>&1 || { cat "$work/ref.out"; exit 1; }
  t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'; }
ref_sftp() {
  printf 'mkdir %s\nput -r %s %s\n' "$work/runs/ref-sftp" "$files" "$work/runs/ref-sftp" > "$work/sftp.batch"
  timed sftp -q -i "$work/id_ed25519" -o UserKnownHostsFile="$work/known_hosts" -P "$sport" -b "$work/sftp.batch" \
    "$(id -un)@127.0.0.1"
}
ref_lftp() { # ssl yes|no, port
  timed lftp -c "set ftp:ssl-allow $1; set ftp:ssl-force $1; set ftp:ssl-protect-data $1; set ssl:verify-certificate no;
    open -u $ftpuser,$ftppass -p $2 127.0.0.1; mirror -R --no-perms $files $work/ftp/ref-$1"
}
ref_s3() {
  AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=bench-secret-key AWS_DEFAULT_REGION=us-east-1 \
    timed /usr/bin/aws --endpoint-url "http://127.0.0.1:$s3port" s3 cp --recursive --only-show-errors "$files" s3://bench/ref/
}
printf '\n%-6s %10s %10s %10s %10s %10s\n' protocol "cold MB/s" "warm MB/s" "ref MB/s" "cold/ref" "warm/ref"
row() { # NAME "COLD WARM" REF_SECONDS REF_NAME
  local cold warm; read -r cold warm <<< "$2"
  printf '%-6s %10s %10s %10s %10s %10s   (%s s, %s s vs %s s; reference: %s)\n' "$1" "$(mb "$bytes" "$cold")" \
    "$(mb "$bytes" "$warm")" "$(mb "$bytes" "$3")" "$(awk -v a="$cold" -v b="$3" 'BEGIN { printf "%.2f", b / a }')" \
    "$(awk -v a="$warm" -v b="$3" 'BEGIN { printf "%.2f", b / a }')" "$cold" "$warm" "$3" "$4"
}
picked() { case " $uploads " in *" $1 "*) return 0 ;; esac; return 1; }
if picked SFTP; then row SFTP "$(upload_b247 sftp up-sftp)" "$(ref_sftp)" "OpenSSH sftp"; fi
if picked FTP; then row FTP "$(upload_b247 ftp up-ftp)" "$(ref_lftp no "$fport")" "lftp"; fi
if picked FTPS; then row FTPS "$(upload_b247 ftps up-ftps)" "$(ref_lftp yes "$fsport")" "lftp"; fi
if picked S3; then row S3 "$(upload_b247 s3 up-s3)" "$(ref_s3)" "aws s3 cp (transfer manager)"; fi
echo "(cold: the first pass in a fresh JVM; warm: the best of two more passes, the JIT done)"
fi

# ---- 2. backups --------------------------------------------------------------------------------
fresh() { # RUN KIND... -> prints one --repo/--credentials pair per destination, all initialised like the first
  local run=$1 first="" out=()
  shift
  for k in "$@"; do
    local u; u=$(url "$k" "$run-$k")
    if [ -z "$first" ]; then
      b247 repo init --repo "$u" --key-file "$work/key" --credentials "$work/$k.creds" --kdf-memory 1024 \
        --kdf-iterations 1 >/dev/null
      first="$u"
    else
      # the first is the local folder whenever there are several
      b247 repo init --repo "$u" --like "$first" --key-file "$work/key" --credentials "$work/$k.creds" >/dev/null
    fi
    out+=(--repo "$u" --credentials "$work/$k.creds")
  done
  echo "${out[@]}"
}
run() { # NAME MODE AGENT_ROOT KIND...
  local name=$1 mode=$2 agent=$3; shift 3
  seq_no=$((${seq_no:-0} + 1))
  local args; read -r -a args < <(fresh "$name-$seq_no" "$@")
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  local cpu0 srv0; cpu0=$(cpu_now); srv0=$(servers_now)
  /usr/bin/time -f "%e %M %U %S" -o "$work/$name.time" "$agent/launch/b247" repo backup --mode "$mode" \
    --max-concurrent 4 "${args[@]}" --key-file "$work/key" "$corpus" >"$work/$name.out" 2>&1 \
    || { echo "$name FAILED:"; cat "$work/$name.out"; exit 1; }
  local secs rss user sys machine_cpu b247_cpu
  read -r secs rss user sys < "$work/$name.time"
  machine_cpu=$(awk -v a="$cpu0" -v b="$(cpu_now)" 'BEGIN { printf "%.1f", (b - a) / 100 }')
  local srv; srv=$(awk -v a="$srv0" -v b="$(servers_now)" 'BEGIN { split(a, x); split(b, y)
    printf "sshd %.1f vsftpd(ftps) %.1f s3proxy %.1f", (y[1] - x[1]) / 100, (y[2] - x[2]) / 100, (y[3] - x[3]) / 100 }')
  b247_cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
  printf '%-14s %7s s wall %8s KB peak RSS  b247 cpu %6s s  all processes cpu %6s s  (servers: %s)%s\n' "$name" \
    "$secs" "$rss" "$b247_cpu" "$machine_cpu" "$srv" "$([ "$agent" = "$root" ] && [ "$agents" = "$root" ] || echo "  ($agent)")"
  echo "$agent $name $secs $b247_cpu $machine_cpu $rss" >> "$work/results"
  eval "t_$name=$secs"
}
kinds_of() {
  case "$1" in
    local_only) echo sequential local ;;
    sftp_only) echo sequential sftp ;;
    ftps_only) echo sequential ftps ;;
    s3_only) echo sequential s3 ;;
    concurrent_4) echo concurrent local sftp ftps s3 ;;
    sequential_4) echo sequential local sftp ftps s3 ;;
    *) echo "unknown run $1" >&2; exit 2 ;;
  esac
}
echo
: > "$work/results"
for ((r = 1; r <= rounds; r++)); do
  for name in $runs; do
    for agent in $agents; do
      read -r -a mk < <(kinds_of "$name")
      run "$name" "${mk[0]}" "$agent" "${mk[@]:1}"
    done
  done
done

if [ "$agents" != "$root" ] || [ "$rounds" -gt 1 ]; then
  echo
  echo "medians [min-max] over $rounds round(s): wall s, b247 cpu s, all processes cpu s, peak RSS KB"
  for name in $runs; do
    for agent in $agents; do
      awk -v a="$agent" -v n="$name" '$1 == a && $2 == n' "$work/results" | python3 -c '
import sys, statistics
rows = [l.split() for l in sys.stdin]
cols = list(zip(*[[float(x) for x in r[2:]] for r in rows]))
print("%-14s %-40s" % (rows[0][1], rows[0][0][-40:]), "  ".join("%.2f [%.2f-%.2f]" % (statistics.median(c), min(c), max(c))
      for c in cols[:3]), "%d" % max(cols[3]))'
    done
  done
fi

case " $runs " in
  *" local_only "*" sftp_only "*" ftps_only "*" s3_only "*" concurrent_4 "*" sequential_4 "*)
    slowest=$(printf '%s\n' "$t_local_only" "$t_sftp_only" "$t_ftps_only" "$t_s3_only" | sort -g | tail -1)
    echo
    awk -v c="$t_concurrent_4" -v s="$t_sequential_4" -v m="$slowest" -v l="$t_local_only" 'BEGIN {
      printf "concurrent / slowest single destination = %.2f (target <= 1.30)\n", c / m
      printf "concurrent / local only                 = %.2f\n", c / l
      printf "concurrent / sequential                 = %.2f (target < 0.50)\n", c / s }' ;;
esac
