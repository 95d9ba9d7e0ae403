#!/usr/bin/env bash
# deploy/Dockerfile without a Docker engine: proves the runtime stage installs
# exactly the Debian packages whose shared libraries importai-server and
# importai load (ldd, then dpkg -S for each library), that the builder stage
# installs the same -dev packages as scripts/install-deps.sh, and lints the
# facts Kubernetes relies on (numeric non-root USER 10001, exec-form
# ENTRYPOINT, EXPOSE 50051 9090, VOLUME /var/lib/importai, env defaults) and
# .dockerignore.
# usage: deploy_image_test.sh SERVER CLI
set -euo pipefail
SERVER=$1 CLI=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOCKERFILE=$ROOT/deploy/Dockerfile
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
errors=0
problem() { echo "FAIL: $*" >&2; errors=$((errors + 1)); }

# Library packages of debian:bookworm-slim itself (its rootfs manifest:
# Priority required, plus apt and what apt needs), so never listed. Only these
# may be needed without being on the runtime install line.
BASE_IMAGE_PACKAGES="
  libacl1 libapt-pkg6.0 libattr1 libaudit1 libblkid1 libbz2-1.0 libc6
  libcap-ng0 libcap2 libcom-err2 libcrypt1 libdb5.3 libdebconfclient0
  libext2fs2 libffi8 libgcc-s1 libgcrypt20 libgmp10 libgnutls30
  libgpg-error0 libhogweed6 libidn2-0 liblz4-1 liblzma5 libmd0 libmount1
  libnettle8 libp11-kit0 libpam0g libpcre2-8-0 libseccomp2 libselinux1
  libsemanage2 libsepol2 libsmartcols1 libss2 libstdc++6 libsystemd0
  libtasn1-6 libtinfo6 libudev1 libunistring2 libuuid1 libxxhash0 libzstd1
  zlib1g"
# Packages the runtime stage may install although no binary links them.
# (None today; ca-certificates would go here if the server or CLI spoke TLS.)
ALLOWED_EXTRA_PACKAGES=""

[ -f "$DOCKERFILE" ] || fail "$DOCKERFILE missing"
command -v dpkg >/dev/null || fail "dpkg not found: this test needs Debian"

# The lines between "# BEGIN NAME" and "# END NAME".
block() {
  local text
  text=$(sed -n "/^# BEGIN $1\$/,/^# END $1\$/p" "$DOCKERFILE")
  [ -n "$text" ] || fail "deploy/Dockerfile has no '# BEGIN $1' ... '# END $1' block"
  printf '%s\n' "$text"
}
# The packages of the one `apt-get install` in block NAME, sorted.
block_packages() {
  local commands
  commands=$(block "$1" | grep -v '^#' | sed -e 's/\\$//' | tr '\n' ' ' | sed 's/&&/\n/g')
  [ "$(grep -c 'apt-get install' <<<"$commands")" -eq 1 ] \
    || fail "block $1 must hold exactly one apt-get install"
  grep 'apt-get install' <<<"$commands" | grep -q -- '--no-install-recommends' \
    || problem "block $1: apt-get install without --no-install-recommends"
  grep 'apt-get install' <<<"$commands" | tr ' \t' '\n' \
    | grep -v -e '^$' -e '^-' -e '=' -e '^RUN$' -e '^apt-get$' -e '^install$' | sort -u
}

# ---- builder: the same -dev packages as scripts/install-deps.sh ----
block_packages builder-packages >"$WORK/builder"
sed -n '/^packages=(/,/)/p' "$ROOT/scripts/install-deps.sh" \
  | sed -e 's/^packages=(//' -e 's/#.*//' -e 's/)//' | tr ' \t' '\n' \
  | grep -v -e '^$' -e '^nodejs$' -e '^npm$' | sort -u >"$WORK/install-deps"
[ -s "$WORK/install-deps" ] || fail "no packages=( ... ) list in scripts/install-deps.sh"
for package in $(comm -23 "$WORK/install-deps" "$WORK/builder"); do
  problem "builder stage lacks $package (in scripts/install-deps.sh): add it between '# BEGIN builder-packages' and '# END builder-packages'"
done
for package in $(comm -13 "$WORK/install-deps" "$WORK/builder"); do
  problem "builder stage installs $package, which scripts/install-deps.sh does not: keep the two lists equal"
done

# ---- runtime: exactly the packages shipping the libraries the binaries load ----
# Bookworm has merged /usr, and dpkg knows each file only under the path its
# package used (/lib/... or /usr/lib/...): ask for every spelling, the
# resolved symlink's too, in one dpkg -S call (each call reads the database).
candidates() {
  local path real candidate
  path=$1
  real=$(readlink -f "$path")
  for candidate in "$path" "$real"; do
    echo "$candidate"
    case $candidate in
      /usr/lib/* | /usr/lib64/*) echo "${candidate#/usr}" ;;
      /lib/* | /lib64/*) echo "/usr$candidate" ;;
    esac
  done
}
: >"$WORK/uses"
for binary in "$SERVER" "$CLI"; do
  [ -x "$binary" ] || fail "$binary is not an executable: build importai-server and importai first"
  ldd "$binary" >"$WORK/ldd" 2>&1 || fail "ldd $binary: $(cat "$WORK/ldd")"
  if grep -q 'not found' "$WORK/ldd"; then
    fail "$(basename "$binary") has unresolved libraries: $(grep 'not found' "$WORK/ldd" | tr -s ' \t' ' ')"
  fi
  awk -v b="$(basename "$binary")" '$2 == "=>" && $3 ~ /^\// {print $3, b} $1 ~ /^\// {print $1, b}' \
    "$WORK/ldd" >>"$WORK/uses"
  grep -q " $(basename "$binary")\$" "$WORK/uses" || fail "ldd found no shared libraries in $binary"
done
cut -d' ' -f1 "$WORK/uses" | sort -u >"$WORK/libs"
while read -r library; do
  candidates "$library" | sed "s|^|$library |"
done <"$WORK/libs" >"$WORK/candidates"  # LIBRARY CANDIDATE_PATH, in order
cut -d' ' -f2 "$WORK/candidates" | sort -u >"$WORK/paths"
# "libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6" ("a, b: PATH" when shared;
# diversion lines do not have that form). Unknown paths only go to stderr.
{ xargs dpkg -S <"$WORK/paths" 2>/dev/null || true; } \
  | awk -F': ' 'NF == 2 && $2 ~ /^\// {split($1, owners, ", "); sub(/:.*/, "", owners[1]); print $2, owners[1]}' \
  >"$WORK/owners"
# PACKAGE LIBRARY BINARY for each library a binary loads ("-": no package).
awk 'FILENAME == ARGV[1] {owner[$1] = $2; next}
     FILENAME == ARGV[2] {if (!($1 in package) && ($2 in owner)) package[$1] = owner[$2]; next}
     {print (($1 in package) ? package[$1] : "-"), $1, $2}' \
  "$WORK/owners" "$WORK/candidates" "$WORK/uses" >"$WORK/needed"
if grep -q '^- ' "$WORK/needed"; then
  fail "no Debian package ships $(awk '$1 == "-" {print $2 " (needed by " $3 ")"}' "$WORK/needed" | tr '\n' ' ')"
fi
cut -d' ' -f1 "$WORK/needed" | sort -u >"$WORK/required"
block_packages runtime-packages >"$WORK/runtime"
tr ' ' '\n' <<<"$BASE_IMAGE_PACKAGES" | { grep -v '^$' || true; } | sort -u >"$WORK/base"
tr ' ' '\n' <<<"$ALLOWED_EXTRA_PACKAGES" | { grep -v '^$' || true; } | sort -u >"$WORK/allowed"

for package in $(comm -23 "$WORK/required" "$WORK/base" | comm -23 - "$WORK/runtime"); do
  example=$(awk -v p="$package" '$1 == p {print $2 " (" $3 ")"; exit}' "$WORK/needed")
  problem "runtime stage lacks $package: it ships $example; add it between '# BEGIN runtime-packages' and '# END runtime-packages'"
done
for package in $(comm -23 "$WORK/runtime" "$WORK/required" | comm -23 - "$WORK/allowed"); do
  problem "runtime stage installs $package, but neither importai-server nor importai loads a library from it: remove it (or allow it in ALLOWED_EXTRA_PACKAGES with a reason)"
done
echo "runtime packages: $(comm -23 "$WORK/required" "$WORK/base" | tr '\n' ' ')+ from the base image: $(comm -12 "$WORK/required" "$WORK/base" | tr '\n' ' ')"

# ---- the Dockerfile's facts ----
mapfile -t froms < <(grep -E '^FROM ' "$DOCKERFILE")
[ "${#froms[@]}" -eq 2 ] || problem "want two stages (builder, runtime), got ${#froms[@]} FROM lines"
grep -Eq '^FROM debian:bookworm AS build$' <<<"${froms[0]:-}" || problem "the builder must be 'FROM debian:bookworm AS build', got '${froms[0]:-}'"
[ "${froms[1]:-}" = "FROM debian:bookworm-slim" ] || problem "the runtime must be 'FROM debian:bookworm-slim', got '${froms[1]:-}'"
runtime_stage=$(sed -n '/^FROM debian:bookworm-slim/,$p' "$DOCKERFILE")
builder_stage=$(sed -n '1,/^FROM debian:bookworm-slim/p' "$DOCKERFILE")
grep -q '^# BEGIN builder-packages$' <<<"$builder_stage" || problem "the builder-packages block must be in the builder stage"
grep -q '^# BEGIN runtime-packages$' <<<"$runtime_stage" || problem "the runtime-packages block must be in the runtime stage"
grep -Eq '^RUN scripts/build.sh build/release Release importai-server importai( |$)' <<<"$builder_stage" \
  || problem "the builder must run 'scripts/build.sh build/release Release importai-server importai'"
# The binaries are where the Dockerfile copies them from (same layout as CMake's).
case $SERVER in */cmd/importai-server) ;; *) problem "importai-server is no longer built in cmd/: update COPY --from=build" ;; esac
case $CLI in */cmd/importai) ;; *) problem "importai is no longer built in cmd/: update COPY --from=build" ;; esac
copy=$(grep -E '^COPY --from=build ' <<<"$runtime_stage" || true)
for binary in importai-server importai; do
  grep -q "/src/build/release/cmd/$binary " <<<"$copy " || problem "the runtime must COPY --from=build /src/build/release/cmd/$binary"
done
grep -Eq ' /usr/local/bin/$' <<<"$copy" || problem "the binaries go to /usr/local/bin/"
# The descriptor set is built beside cmd/ (proto/CMakeLists.txt) with the binaries.
[ -f "$(dirname "$SERVER")/../importai.protoset" ] \
  || problem "no importai.protoset at the top of the build tree beside cmd/: proto/CMakeLists.txt writes it"
grep -q "/src/build/release/importai.protoset " <<<"$copy " \
  || problem "the runtime must COPY --from=build /src/build/release/importai.protoset (the README's grpcurl -protoset)"
grep -q 'rm -rf /var/lib/apt/lists' <<<"$(block runtime-packages)" || problem "the runtime install must clean /var/lib/apt/lists"

users=$(grep -E '^USER ' <<<"$runtime_stage" || true)
last_user=$(tail -1 <<<"$users")
[ "$last_user" = "USER 10001:10001" ] \
  || problem "the runtime must end as 'USER 10001:10001' (numeric, non-root, so runAsNonRoot can check it), got '${last_user:-none}'"
grep -Eq -- '(groupadd|addgroup) .*--gid 10001' <<<"$runtime_stage" || problem "create group 10001 in the runtime stage"
grep -Eq -- '(useradd|adduser) .*--uid 10001' <<<"$runtime_stage" || problem "create user 10001 in the runtime stage"
grep -Eq 'chown (-R )?10001:10001 /var/lib/importai' <<<"$runtime_stage" || problem "/var/lib/importai must be owned by 10001:10001"

entrypoints=$(grep -E '^ENTRYPOINT' <<<"$runtime_stage" || true)
[ "$entrypoints" = 'ENTRYPOINT ["/usr/local/bin/importai-server"]' ] \
  || problem "want exactly 'ENTRYPOINT [\"/usr/local/bin/importai-server\"]' (exec form: SIGTERM reaches the server), got '${entrypoints:-none}'"
if grep -Eq '^CMD +[^[ ]' <<<"$runtime_stage"; then problem "CMD must be exec form"; fi
if grep -Eq '^STOPSIGNAL' <<<"$runtime_stage" && ! grep -Eq '^STOPSIGNAL (SIGTERM|15)$' <<<"$runtime_stage"; then
  problem "the server drains on SIGTERM: leave STOPSIGNAL alone"
fi
exposed=" $(grep -E '^EXPOSE ' <<<"$runtime_stage" | sed 's/^EXPOSE//' | tr '\n' ' ') "
for port in 50051 9090; do
  grep -Eq " $port(/tcp)? " <<<"$exposed" || problem "EXPOSE $port missing"
done
grep -Eq '^VOLUME (/var/lib/importai|\["/var/lib/importai"\])$' <<<"$runtime_stage" || problem "want VOLUME /var/lib/importai"
# ENV defaults (ENV A=1 \ B=2 continuation lines joined).
env_text=$(sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' <<<"$runtime_stage" | grep -E '^ENV ' | tr ' ' '\n')
for setting in IMPORTAI_LISTEN=0.0.0.0:50051 IMPORTAI_DATA_DIR=/var/lib/importai IMPORTAI_METRICS_LISTEN=0.0.0.0:9090; do
  grep -qx "$setting" <<<"$env_text" || problem "the runtime must set ENV $setting"
done

# ---- .dockerignore: keeps build trees and tools out, the sources in ----
IGNORE=$ROOT/.dockerignore
if [ ! -f "$IGNORE" ]; then
  problem ".dockerignore missing at the repo root"
else
  mapfile -t patterns < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e 's|^/||' -e 's|/$||' "$IGNORE" | grep -v '^$')
  for must in .git build node_modules data; do
    printf '%s\n' "${patterns[@]}" | grep -qx -- "$must" || problem ".dockerignore must exclude $must"
  done
  # Everything the build reads: the top CMakeLists, its subdirectories, scripts/.
  needed=(CMakeLists.txt scripts/build.sh)
  while read -r dir; do needed+=("$dir" "$dir/CMakeLists.txt"); done \
    < <(sed -n 's/^add_subdirectory(\([^) ]*\)).*/\1/p' "$ROOT/CMakeLists.txt")
  for path in "${needed[@]}"; do
    for pattern in "${patterns[@]}"; do
      [[ $pattern == !* ]] && continue
      # shellcheck disable=SC2053  # the pattern is a glob on purpose
      if [[ $path == $pattern || $path == $pattern/* ]]; then
        problem ".dockerignore pattern '$pattern' excludes $path, which the build needs"
      fi
    done
  done
fi

[ "$errors" -eq 0 ] || fail "$errors problem(s) in deploy/Dockerfile or .dockerignore"
echo "deploy image: PASS"
