#!/usr/bin/env bash
# Trial of dist/autograder.zip as Gradescope runs it (issue #10), on this machine, in a few minutes.
#
#   scripts/gradescope_trial.sh [AUTOGRADER_ZIP]      (as root; default dist/autograder.zip)
#
# 1. debootstrap a fresh Debian bookworm (minbase) into a temporary folder and empty its apt lists,
#    as in a Docker image;
# 2. in new mount, PID, IPC and UTS namespaces, chroot into it as root (with /proc, /sys, /dev and
#    the host's /etc/resolv.conf, so that apt and pip reach their registries), unzip the zip into
#    /autograder/source and run setup.sh the way Gradescope builds its image;
# 3. run /autograder/run_autograder on the reference solutions and on the stubs, each inside a
#    cgroup of 768 MiB and 0.5 CPU (Gradescope's default container), and print the two scores with
#    the isolation level, time, peak memory and OOM kills of each run.
#    NN101_TRIAL_MEMORY_MB="768 384" grades both at each size (384 MiB: Gradescope's old default);
#    NN101_TRIAL_CPU_PERCENT changes the CPU share.
# Exit status 0 when the references get full marks and the stubs 0 at every size. Not run in CI:
# it needs root, debootstrap, cgroups and the network. NN101_TRIAL_KEEP=1 keeps the root file
# system and the logs for a look.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
memory_sizes="${NN101_TRIAL_MEMORY_MB:-768}"
cpu_percent="${NN101_TRIAL_CPU_PERCENT:-50}"
mirror="${NN101_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
fail() { echo "gradescope_trial: $*" >&2; exit 1; }
say() { echo "gradescope_trial: $*"; }

# --- cgroups (v1 here; v2 where the machine has it) ---------------------------------------------
cgroup_dirs() {  # the folders of the trial's cgroup, one per line
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    echo "/sys/fs/cgroup/$1"
  else
    echo "/sys/fs/cgroup/memory/$1"
    echo "/sys/fs/cgroup/cpu/$1"
  fi
}

make_cgroup() {  # make cgroup $1 with $2 MiB of memory and the trial's CPU share
  local name="$1" quota=$((cpu_percent * 1000)) bytes=$(($2 * 1024 * 1024))
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    mkdir "/sys/fs/cgroup/$name"
    echo "$bytes" >"/sys/fs/cgroup/$name/memory.max"
    echo 0 >"/sys/fs/cgroup/$name/memory.swap.max"
    echo "$quota 100000" >"/sys/fs/cgroup/$name/cpu.max"
  else
    mkdir "/sys/fs/cgroup/memory/$name" "/sys/fs/cgroup/cpu/$name"
    echo "$bytes" >"/sys/fs/cgroup/memory/$name/memory.limit_in_bytes"
    if [ -f "/sys/fs/cgroup/memory/$name/memory.memsw.limit_in_bytes" ]; then
      echo "$bytes" >"/sys/fs/cgroup/memory/$name/memory.memsw.limit_in_bytes"
    fi
    echo 100000 >"/sys/fs/cgroup/cpu/$name/cpu.cfs_period_us"
    echo "$quota" >"/sys/fs/cgroup/cpu/$name/cpu.cfs_quota_us"
  fi
}

peak_memory_mb() {  # the cgroup's peak memory since it was made, and its OOM kills
  local dir
  dir="$(cgroup_dirs "$1" | head -n 1)"
  if [ -f "$dir/memory.max_usage_in_bytes" ]; then
    echo "$(($(cat "$dir/memory.max_usage_in_bytes") / 1048576)) MiB peak, $(awk '/oom_kill /{print $2}' "$dir/memory.oom_control") OOM kills"
  elif [ -f "$dir/memory.peak" ]; then
    echo "$(($(cat "$dir/memory.peak") / 1048576)) MiB peak, $(awk '/oom_kill /{print $2}' "$dir/memory.events") OOM kills"
  else
    echo "peak memory unknown"
  fi
}

# --- inside the new namespaces (the script calls itself with --inside) ---------------------------
inside() {
  local work="$1" zip="$2" rootfs="$1/rootfs" run
  mount --bind "$rootfs" "$rootfs"  # a mount point, as a container's root is
  mount -t proc proc "$rootfs/proc"
  mount -t sysfs sysfs "$rootfs/sys"
  mount --rbind /sys/fs/cgroup "$rootfs/sys/fs/cgroup"  # as Docker mounts it: the grader reads its OOM count
  mount --rbind /dev "$rootfs/dev"
  touch "$rootfs/etc/resolv.conf"
  mount --bind /etc/resolv.conf "$rootfs/etc/resolv.conf"

  say "unzipping $zip into /autograder/source"
  mkdir -p "$rootfs/autograder/source"
  unzip -q "$zip" -d "$rootfs/autograder/source"
  cp "$rootfs/autograder/source/run_autograder" "$rootfs/autograder/run_autograder"
  chmod +x "$rootfs/autograder/run_autograder"

  say "running setup.sh (as Gradescope does when it builds the image; log in $work/setup.log)"
  local started=$SECONDS ca=()
  if [ -n "$(ls "$rootfs/usr/local/share/ca-certificates")" ]; then  # see "the host's CAs" below
    ca=(PIP_CERT=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt)
  fi
  if ! chroot "$rootfs" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      LANG=C.UTF-8 "${ca[@]}" bash -c 'cd /autograder/source && bash ./setup.sh' 2>&1 | tee "$work/setup.log"; then
    fail "setup.sh failed after $((SECONDS - started)) s (last lines above; whole log in $work/setup.log)"
  fi
  say "setup.sh took $((SECONDS - started)) s"

  for mb in $memory_sizes; do
    for run in correct:solutions stub:exercises; do
      grade "$work" "${run%%:*}-${mb}MiB" "$repo/${run#*:}" "$mb"
    done
  done
}

grade() {  # grade the modules of folder $3 as submission $2, inside a cgroup of $4 MiB
  local work="$1" label="$2" folder="$3" mb="$4" rootfs="$1/rootfs" name started
  name="$(basename "$work")-$label"
  rm -rf "$rootfs/autograder/submission" "$rootfs/autograder/results"
  mkdir -p "$rootfs/autograder/submission" "$rootfs/autograder/results"
  cp "$folder"/*.py "$rootfs/autograder/submission/"
  cat >"$rootfs/autograder/submission_metadata.json" <<JSON
{"id": 1, "created_at": "$(date --iso-8601=seconds)", "users": [{"id": 4242, "name": "Trial Student"}],
 "assignment": {"title": "nn101 trial"}, "previous_submissions": []}
JSON
  make_cgroup "$name" "$mb"
  say "grading $label ($folder) in a cgroup of $mb MiB and $cpu_percent % of a CPU"
  started=$SECONDS
  (
    for dir in $(cgroup_dirs "$name"); do echo "$BASHPID" >"$dir/cgroup.procs"; done
    exec chroot "$rootfs" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      LANG=C.UTF-8 bash -c 'cd /autograder && ./run_autograder'
  ) >"$work/$label.log" 2>&1 || say "run_autograder exited with status $? (log: $work/$label.log)"
  local seconds=$((SECONDS - started)) memory
  memory="$(peak_memory_mb "$name")"
  for dir in $(cgroup_dirs "$name"); do rmdir "$dir"; done
  cp "$rootfs/autograder/results/results.json" "$work/$label.json" 2>/dev/null \
    || fail "$label: run_autograder left no results.json (log: $work/$label.log)"
  python3 - "$work/$label.json" "$label" "$seconds" "$memory" >>"$work/scores.txt" <<'PY'
import json, sys
path, label, seconds, memory = sys.argv[1:]
data = json.load(open(path))
tests = data.get("tests", [])
total = sum(t.get("max_score", 0) for t in tests)
isolation = data.get("extra_data", {}).get("isolation") or "?"
print(f"{label}: {data.get('score', 0):g} / {total:g} points, {len(tests)} tests, "
      f"{sum(t.get('status') == 'passed' for t in tests)} passed; isolation {isolation}; {seconds} s; {memory}")
failed = [t for t in tests if t.get("score", 0) != t.get("max_score", 0)]
if label.startswith("correct"):
    for t in failed[:5]:
        print(f"    lost {t['max_score'] - t['score']:g}: {t['name']}: {t.get('output', '')[:200]!r}")
print(f"    output: {data.get('output', '')[:300]!r}")
PY
}

if [ "${1:-}" = "--inside" ]; then
  inside "$2" "$3"
  exit 0
fi

# --- on the host -------------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || fail "run me as root (debootstrap, chroot, mounts and cgroups need it)"
for tool in debootstrap unshare chroot unzip python3; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install debootstrap unzip util-linux python3)"
done
zip="$(realpath "${1:-$repo/dist/autograder.zip}")"
[ -f "$zip" ] || fail "no $zip: build it first with 'nn101 gradescope build'"
work="$(mktemp -d /var/tmp/nn101-trial.XXXXXX)"
cleanup() {
  local status=$?
  for mb in $memory_sizes; do
    for label in correct stub; do
      for dir in $(cgroup_dirs "$(basename "$work")-$label-${mb}MiB"); do [ ! -d "$dir" ] || rmdir "$dir" || true; done
    done
  done
  if [ "${NN101_TRIAL_KEEP:-0}" = 1 ] || [ "$status" != 0 ]; then
    say "kept $work (setup.log, and a .log and .json per run)"
  else
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT

say "debootstrapping Debian bookworm (minbase) into $work/rootfs"
started=$SECONDS
debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || fail "debootstrap failed (log: $work/debootstrap.log)"
rm -rf "$work/rootfs/var/lib/apt/lists/"*  # as in a Docker image: no package lists
say "debootstrap took $((SECONDS - started)) s; apt lists emptied"
# The host's CAs: a machine behind a TLS-inspecting proxy trusts its CA in
# /usr/local/share/ca-certificates; the ca-certificates package that setup.sh installs adds them
# to the chroot's bundle, and pip is pointed at that bundle. Gradescope's network needs none.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$work/rootfs/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$work/rootfs/usr/local/share/ca-certificates/"
  say "copied the host's extra CAs: $(cd /usr/local/share/ca-certificates && echo ./*.crt)"
fi

unshare --mount --pid --ipc --uts --fork --propagation private bash "${BASH_SOURCE[0]}" --inside "$work" "$zip"
echo
say "scores (run_autograder as root in the chroot, $cpu_percent % of a CPU):"
cat "$work/scores.txt"
wrong="$(grep -E '^(correct|stub)-' "$work/scores.txt" \
  | grep -v -e '^correct-[0-9]*MiB: \([0-9.]*\) / \1 points' -e '^stub-[0-9]*MiB: 0 / ' || true)"
[ -z "$wrong" ] || fail "not the expected scores (full marks for the references, 0 for the stubs): $wrong"
