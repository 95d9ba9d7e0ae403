#!/usr/bin/env bash
# deploy/k8s: renders the base and every overlay with `kubectl kustomize`,
# validates each object against the Kubernetes schemas (npm kubernetes-models,
# unknown fields included) and the deployment's essentials, and checks the
# validator rejects deliberately broken renders (deploy/validate-k8s.mjs).
# The kustomizations must render alike under kustomize v2.0.3 (Debian's
# kubectl 1.20) and v5, so fields only v3+ knows are refused here too.
# usage: deploy_k8s_test.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
K8S=$ROOT/deploy/k8s
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v kubectl >/dev/null || fail "kubectl not found: run scripts/install-deps.sh (Debian's kubernetes-client)"
command -v node >/dev/null || fail "node not found: run scripts/install-deps.sh"
for module in kubernetes-models yaml; do
  [ -f "$ROOT/node_modules/$module/package.json" ] \
    || fail "npm package $module missing: run scripts/install-deps.sh (npm ci)"
done
echo "kubectl: $(kubectl version --client 2>/dev/null | head -2 | tr '\n' ' ')"

# Kustomization fields kustomize v2.0.3 does not know, and directories under
# resources: (v2.0.3 takes those only under bases:).
renders=()
for dir in "$K8S/base" "$K8S"/overlays/*/; do
  dir=${dir%/}
  name=$(basename "$dir")
  kustomization=$dir/kustomization.yaml
  [ -f "$kustomization" ] || fail "$dir has no kustomization.yaml"
  if grep -nE '^(patches|labels|replacements|components|sortOptions|helmCharts|openapi|buildMetadata):' "$kustomization"; then
    fail "$kustomization uses a field kustomize v2.0.3 (kubectl 1.20) lacks: use patchesStrategicMerge/patchesJson6902/commonLabels"
  fi
  in_resources=0
  while IFS= read -r line; do
    case $line in
      resources:*) in_resources=1 ;;
      [a-zA-Z]*) in_resources=0 ;;
      *-\ *)
        if [ "$in_resources" -eq 1 ]; then
          entry=${line#*- }
          [ -d "$dir/$entry" ] && fail "$kustomization lists directory $entry under resources: (kustomize v2.0.3 wants it under bases:)"
        fi ;;
    esac
  done <"$kustomization"
  kubectl kustomize "$dir" >"$WORK/$name.yaml" 2>"$WORK/$name.err" \
    || fail "kubectl kustomize $dir: $(cat "$WORK/$name.err")"
  renders+=("$name=$WORK/$name.yaml")
done
[ "${#renders[@]}" -ge 3 ] || fail "want the base and overlays dev and prod, got ${renders[*]}"
if [ ! -s "$WORK/dev.yaml" ] || [ ! -s "$WORK/prod.yaml" ]; then fail "overlays dev and prod must both exist"; fi
grep -q '^  namespace: importai-dev$' "$WORK/dev.yaml" || fail "dev must deploy to namespace importai-dev"
grep -q '^  namespace: importai$' "$WORK/prod.yaml" || fail "prod must deploy to namespace importai"

node "$ROOT/deploy/validate-k8s.mjs" "${renders[@]}" || fail "deploy/k8s does not validate (above)"
node "$ROOT/deploy/validate-k8s.mjs" --self-test "prod=$WORK/prod.yaml" >"$WORK/self-test" 2>&1 \
  || { cat "$WORK/self-test" >&2; fail "the validator's self-test failed: it let a broken render pass"; }
echo "self-test: $(grep -c 'rejected' "$WORK/self-test") broken renders rejected"
echo "deploy k8s: PASS"
