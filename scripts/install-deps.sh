#!/usr/bin/env bash
# Installs what building and testing need, only when something is missing:
# Debian packages (as root, or through sudo) and the npm tools in package.json.
set -euo pipefail
cd "$(dirname "$0")/.."

# deploy/Dockerfile's builder stage installs the same C++ packages
# (tests/deploy_image_test.sh keeps the two lists equal). The parser's format
# readers use cmark, libxml2 and libyaml; content hashes and write tokens use
# OpenSSL's libcrypto; the search analyzer normalizes text with utf8proc;
# /metrics is served by prometheus-cpp.
packages=(
  cmake ninja-build g++ pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev librocksdb-dev libgtest-dev libgmock-dev libbenchmark-dev
  libcmark-dev libxml2-dev libyaml-dev libssl-dev libutf8proc-dev
  prometheus-cpp-dev
  nodejs npm
)
# Only the CI's hardening steps need these (scripts/fuzz.sh: clang with
# libFuzzer and its ASan/UBSan runtimes), not the release image's builder.
hardening_packages=(clang libclang-rt-14-dev)
# The end-to-end tests read the CLI's JSON output with jq; scripts/test.sh
# runs them again under stress-ng's load. The client examples (examples/, run
# by tests/examples_test.sh) use Debian's gRPC for Python (stubs from
# protobuf-compiler-grpc's grpc_python_plugin) and for Go (GOPATH mode:
# /usr/share/gocode, no module downloads; protoc-gen-go and
# protoc-gen-go-grpc make the stubs). Naming the protobuf 1.5 packages makes
# apt pick them over the 1.3 ones golang-google-grpc-dev would also accept.
test_packages=(jq stress-ng
  python3-grpcio
  golang-go golang-google-grpc-dev golang-google-protobuf-dev
  golang-github-golang-protobuf-1-5-dev protoc-gen-go protoc-gen-go-grpc)
missing=()
for package in "${packages[@]}" "${hardening_packages[@]}" "${test_packages[@]}"; do
  # nodejs/npm may come from elsewhere; a working command is enough.
  case "$package" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
# kubectl renders deploy/k8s in the deploy tests, and needs kustomize v4.1+
# (kubectl 1.22 or newer) for its labels:. Debian 12's kubernetes-client is
# kubectl 1.20 (kustomize v2.0.3), too old, so it is not installed here.
command -v kubectl >/dev/null \
  || echo "install-deps: kubectl 1.22 or newer not found: the deploy_k8s_manifests and deploy_config_on_server tests need it (Debian 12's kubernetes-client is too old)" >&2
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x node_modules/.bin/buf ] || [ ! -f node_modules/kubernetes-models/package.json ] \
    || [ ! -f node_modules/yaml/package.json ] || [ ! -f node_modules/@grpc/grpc-js/package.json ] \
    || [ ! -f node_modules/@grpc/proto-loader/package.json ]; then
  echo "install-deps: installing npm tools (buf, kubernetes-models, yaml, @grpc/grpc-js, @grpc/proto-loader)"
  npm ci --no-fund --no-audit --loglevel=error
fi
