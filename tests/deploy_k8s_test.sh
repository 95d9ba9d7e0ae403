#!/usr/bin/env bash
# deploy/k8s: renders the base and every overlay with `kubectl kustomize`,
# validates each object against the Kubernetes schemas (npm kubernetes-models,
# unknown fields included) and the deployment's essentials (writes behind a
# token from a Secret, a NetworkPolicy, ...; for the ha overlay's read
# replicas: following the primary's Service with its token, lag-aware
# readiness, anti-affinity, a PodDisruptionBudget, the read Service over
# every pod, and ha being prod plus replicas), and checks the validator
# rejects deliberately broken renders (deploy/validate-k8s.mjs). The
# kustomizations use the current fields (resources, patches, labels), which
# need kustomize v4.1 or newer (kubectl 1.22+), and must render without
# deprecation warnings.
# usage: deploy_k8s_test.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
K8S=$ROOT/deploy/k8s
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# The oldest kustomize that knows labels: (v4.1.0).
MIN_KUSTOMIZE=4.1

command -v kubectl >/dev/null || fail "kubectl not found: install kubectl 1.22 or newer (scripts/install-deps.sh says how)"
command -v node >/dev/null || fail "node not found: run scripts/install-deps.sh"
for module in kubernetes-models yaml; do
  [ -f "$ROOT/node_modules/$module/package.json" ] \
    || fail "npm package $module missing: run scripts/install-deps.sh (npm ci)"
done
versions=$(kubectl version --client 2>/dev/null | head -2 | tr '\n' ' ')
echo "kubectl: $versions"
kustomize=$(sed -n 's/.*Kustomize Version: v\([0-9][0-9.]*\).*/\1/p' <<<"$versions")
[ -n "$kustomize" ] && [ "$(printf '%s\n' "$MIN_KUSTOMIZE" "$kustomize" | sort -V | head -1)" = "$MIN_KUSTOMIZE" ] \
  || fail "kubectl's kustomize (${kustomize:-unknown}) is older than v$MIN_KUSTOMIZE, which deploy/k8s needs (labels:): install kubectl 1.22 or newer"

# Deprecated kustomization fields: kustomize v5 warns about them and will drop them.
renders=()
for dir in "$K8S/base" "$K8S"/overlays/*/; do
  dir=${dir%/}
  name=$(basename "$dir")
  kustomization=$dir/kustomization.yaml
  [ -f "$kustomization" ] || fail "$dir has no kustomization.yaml"
  if grep -nE '^(bases|commonLabels|patchesStrategicMerge|patchesJson6902|vars):' "$kustomization"; then
    fail "$kustomization uses a deprecated field: use resources/labels/patches/replacements"
  fi
  kubectl kustomize "$dir" >"$WORK/$name.yaml" 2>"$WORK/$name.err" \
    || fail "kubectl kustomize $dir: $(cat "$WORK/$name.err")"
  if grep -i 'deprecated' "$WORK/$name.err"; then fail "kubectl kustomize $dir warns (above)"; fi
  renders+=("$name=$WORK/$name.yaml")
done
[ "${#renders[@]}" -ge 4 ] || fail "want the base and overlays dev, prod and ha, got ${renders[*]}"
for name in dev prod ha; do [ -s "$WORK/$name.yaml" ] || fail "overlay $name must exist"; done
grep -q '^  namespace: importai-dev$' "$WORK/dev.yaml" || fail "dev must deploy to namespace importai-dev"
grep -q '^  namespace: importai$' "$WORK/prod.yaml" || fail "prod must deploy to namespace importai"
# ha replaces prod in place: same namespace (the validator compares the rest).
grep -q '^  namespace: importai$' "$WORK/ha.yaml" || fail "ha must deploy to namespace importai, as prod"
node "$ROOT/deploy/validate-k8s.mjs" --statefulsets "$WORK/ha.yaml" >"$WORK/ha.statefulsets" \
  || fail "listing ha's StatefulSets: $(cat "$WORK/ha.statefulsets")"
grep -q ' follower$' "$WORK/ha.statefulsets" \
  || fail "ha has no replica StatefulSet (one whose server has IMPORTAI_FOLLOW): $(tr '\n' ' ' <"$WORK/ha.statefulsets")"

node "$ROOT/deploy/validate-k8s.mjs" "${renders[@]}" || fail "deploy/k8s does not validate (above)"
node "$ROOT/deploy/validate-k8s.mjs" --self-test "prod=$WORK/prod.yaml" "ha=$WORK/ha.yaml" >"$WORK/self-test" 2>&1 \
  || { cat "$WORK/self-test" >&2; fail "the validator's self-test failed: it let a broken render pass"; }
echo "self-test: $(grep -c 'rejected' "$WORK/self-test") broken renders rejected"
echo "deploy k8s: PASS"
