#!/usr/bin/env node
// Validates rendered Kubernetes manifests (the output of `kubectl kustomize`)
// and asserts what the importai deployment relies on.
//
//   node deploy/validate-k8s.mjs NAME=RENDERED.yaml ...
//   node deploy/validate-k8s.mjs --self-test NAME=RENDERED.yaml
//   node deploy/validate-k8s.mjs --settings RENDERED.yaml [STATEFULSET]
//   node deploy/validate-k8s.mjs --statefulsets RENDERED.yaml
//
// Each object is checked against the Kubernetes OpenAPI schemas shipped by the
// npm package kubernetes-models (types, required fields, formats), and, since
// those schemas accept any extra property, also for unknown fields: the schema
// validator is run over a proxy that records every property it looks up, and
// a property it never looked up is one the schema does not define (a typo
// such as `readinessProbe.grpc.prot`). An apiVersion/kind the package does not
// know fails too.
//
// Then the essentials of the importai deployment (see deploy/README.md): one
// StatefulSet with one replica governed by a headless Service, a ClusterIP
// Service with ports grpc/metrics, gRPC probes, memory request = limit with
// RocksDB's caches well below it, the restricted security context, a
// read-only root with /tmp on an emptyDir, no service account token, a preStop
// sleep and a grace period covering it plus the server's drain, the
// Prometheus scrape annotations, writes behind a token file from a Secret
// (never IMPORTAI_ALLOW_UNAUTHENTICATED_WRITES), and a NetworkPolicy that
// lets in only the namespace's pods and, to the metrics port, the metrics
// scraper. When renders named dev and prod are both
// given, prod must get more memory, cache and storage than dev.
//
// A render may add read replicas (the ha overlay): StatefulSets whose server
// has IMPORTAI_FOLLOW. One StatefulSet without it stays the primary and gets
// all of the above; each follower passes the same pod checks and also: 2 or
// more pods on their own claims, IMPORTAI_FOLLOW naming the primary's
// ClusterIP Service (which must not select replicas) on the gRPC port,
// IMPORTAI_FOLLOW_TOKEN_FILE naming the primary's write token Secret, the
// primary's image, readiness on health "" (lag) and startup/liveness on a
// named service (not lag), anti-affinity by hostname, one
// PodDisruptionBudget that lets a drain take some replicas but not all, the
// headless Service importai-read selecting the primary and the replicas
// (not-ready pods left out), and a NetworkPolicy rule letting the replicas
// reach the primary's gRPC port. When renders named prod and ha are both
// given, every object of prod's must be in ha unchanged (but for the
// NetworkPolicy's podSelector): ha applied over prod keeps its primary.
//
// --self-test feeds the checks deliberately broken copies of a good render,
// and fails unless every one of them is rejected: the validator cannot
// silently pass everything.
//
// --settings prints what the server container of a StatefulSet (by default
// the primary) is given, for tests/deploy_config_test.sh to try on the real
// server: "env KEY=VALUE" for each variable (its ConfigMaps, then env), "file
// PATH BASE64" for each file of a mounted Secret, "probe SERVICE" for each
// gRPC probe. --statefulsets lists the StatefulSets, "NAME primary" first,
// then "NAME follower" for each replica StatefulSet.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// ---- schema validation --------------------------------------------------

const modelCache = new Map();

async function modelClass(apiVersion, kind) {
  if (typeof apiVersion !== "string" || !/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) {
    throw new Error(`unsupported apiVersion ${JSON.stringify(apiVersion)}`);
  }
  if (!modelCache.has(apiVersion)) {
    let module = null;
    try {
      module = await import(`kubernetes-models/${apiVersion}`);
    } catch {
      module = null;
    }
    modelCache.set(apiVersion, module);
  }
  const module = modelCache.get(apiVersion);
  if (!module) throw new Error(`unknown apiVersion ${apiVersion}`);
  const cls = module[kind];
  if (typeof kind !== "string" || typeof cls !== "function" || cls.kind !== kind) {
    throw new Error(`unknown kind ${JSON.stringify(kind)} in ${apiVersion}`);
  }
  return cls;
}

function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// Wraps data so every property the validator reads is recorded per object.
function recordingProxy(data, seen) {
  const proxies = new WeakMap();
  const wrap = (target) => {
    if (target === null || typeof target !== "object") return target;
    if (proxies.has(target)) return proxies.get(target);
    if (!seen.has(target)) seen.set(target, new Set());
    const keys = seen.get(target);
    const proxy = new Proxy(target, {
      get(t, key, receiver) {
        if (typeof key === "string") keys.add(key);
        return wrap(Reflect.get(t, key, receiver));
      },
      has(t, key) {
        if (typeof key === "string") keys.add(key);
        return Reflect.has(t, key);
      },
      getOwnPropertyDescriptor(t, key) {
        if (typeof key === "string") keys.add(key);
        return Reflect.getOwnPropertyDescriptor(t, key);
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  return wrap(data);
}

function unknownFields(value, seen, path, out) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => unknownFields(item, seen, `${path}[${i}]`, out));
  } else if (isPlainObject(value)) {
    const keys = seen.get(value) ?? new Set();
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (!keys.has(key)) out.push(`${childPath}: unknown field`);
      else unknownFields(child, seen, childPath, out);
    }
  }
  return out;
}

// Returns a list of problems with one object (empty: valid).
async function schemaProblems(obj) {
  if (!isPlainObject(obj)) return ["not a mapping"];
  let cls;
  try {
    cls = await modelClass(obj.apiVersion, obj.kind);
  } catch (error) {
    return [error.message];
  }
  const problems = [];
  try {
    new cls(obj).validate();
  } catch (error) {
    problems.push(`schema: ${error.message}`);
  }
  const seen = new WeakMap();
  try {
    cls.prototype.validate.call(recordingProxy(obj, seen));
  } catch {
    // Already reported above; the recorded look-ups are still complete.
  }
  return problems.concat(unknownFields(obj, seen, "", []));
}

// ---- values -------------------------------------------------------------

const binarySuffixes = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimalSuffixes = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3 };

// A Kubernetes quantity ("512Mi", "2G", "1e3") in bytes; NaN if malformed.
export function quantityBytes(quantity) {
  const match = /^([0-9]+(?:\.[0-9]+)?(?:[eE][0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/.exec(String(quantity));
  if (!match) return NaN;
  const suffix = match[2] ?? "";
  return Number(match[1]) * (binarySuffixes[suffix] ?? decimalSuffixes[suffix]);
}

// An absl duration ("20s", "1m30s", "500ms", "0") in seconds; NaN if malformed.
export function durationSeconds(text) {
  const units = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 };
  if (text === "0") return 0;
  const re = /([0-9]+(?:\.[0-9]*)?)(h|ms|us|ns|m|s)/y;
  let total = 0;
  let parts = 0;
  re.lastIndex = 0;
  while (re.lastIndex < String(text).length) {
    const match = re.exec(String(text));
    if (!match) return NaN;
    total += Number(match[1]) * units[match[2]];
    parts++;
  }
  return parts ? total : NaN;
}

const MiB = 2 ** 20;

// ---- the deployment's essentials ----------------------------------------

const RESTRICTED_UID = 10001;
const GRPC_PORT = 50051;
const METRICS_PORT = 9090;

function labelsMatch(selector, labels) {
  return (
    isPlainObject(selector) &&
    Object.keys(selector).length > 0 &&
    Object.entries(selector).every(([k, v]) => labels?.[k] === v)
  );
}

function portOf(listen) {
  const match = /:([0-9]+)$/.exec(String(listen ?? ""));
  return match ? Number(match[1]) : NaN;
}

// The files a container gets from Secret volumes, as [{ path, base64, secret,
// key }] (the key's data in the render's Secret), for the write token.
function secretFiles(objects, pod, container) {
  const files = [];
  for (const mount of container.volumeMounts ?? []) {
    const source = (pod.volumes ?? []).find((v) => v.name === mount.name)?.secret;
    if (!source) continue;
    const secret = objects.find((o) => o?.kind === "Secret" && o.metadata?.name === source.secretName);
    const data = { ...(secret?.data ?? {}) };
    for (const [key, value] of Object.entries(secret?.stringData ?? {})) {
      data[key] = Buffer.from(String(value)).toString("base64");
    }
    const items = source.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const item of items) {
      if (data[item.key] === undefined) continue;
      files.push({
        path: `${mount.mountPath.replace(/\/$/, "")}/${item.path}`,
        base64: data[item.key],
        secret: source.secretName,
        key: item.key,
      });
    }
  }
  return files;
}

// absl's spellings of a true bool flag.
const isTrue = (value) => /^(1|t|true|y|yes)$/i.test(String(value ?? "").trim());

// The server's pod spec and container in a StatefulSet.
function serverOf(sts) {
  const pod = sts?.spec?.template?.spec ?? {};
  const containers = pod.containers ?? [];
  return { pod, container: containers.find((c) => c.name === "importai-server") ?? containers[0] };
}

// What the server container is given: its ConfigMaps' data (envFrom, in
// order), then its plain env values.
function settingsOf(objects, sts) {
  const { container } = serverOf(sts);
  const env = {};
  for (const source of container?.envFrom ?? []) {
    const configMap = objects.find((o) => o?.kind === "ConfigMap" && o.metadata?.name === source.configMapRef?.name &&
      o.metadata?.namespace === sts.metadata?.namespace);
    Object.assign(env, configMap?.data ?? {});
  }
  for (const e of container?.env ?? []) if (typeof e.value === "string") env[e.name] = e.value;
  return env;
}

// A read replica: a StatefulSet whose server follows a primary (IMPORTAI_FOLLOW).
const isFollower = (objects, sts) => Boolean(settingsOf(objects, sts).IMPORTAI_FOLLOW);

// Whether a label selector (matchLabels and matchExpressions) selects labels;
// an empty selector selects everything.
function selects(selector, labels) {
  const matchLabels = Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);
  const matchExpressions = (selector?.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const has = Object.hasOwn(labels ?? {}, key);
    switch (operator) {
      case "In": return has && values.includes(labels[key]);
      case "NotIn": return !has || !values.includes(labels[key]);
      case "Exists": return has;
      case "DoesNotExist": return !has;
      default: return false;
    }
  });
  return matchLabels && matchExpressions;
}

// Returns { problems, facts } for one render (a list of objects).
export function essentialProblems(objects) {
  const problems = [];
  const check = (ok, message) => {
    if (!ok) problems.push(message);
    return ok;
  };
  const facts = {};
  const ofKind = (kind) => objects.filter((o) => o?.kind === kind);

  // One primary, the writer; any other StatefulSet must follow it.
  const statefulSets = ofKind("StatefulSet");
  const followers = statefulSets.filter((s) => isFollower(objects, s));
  const primaries = statefulSets.filter((s) => !isFollower(objects, s));
  const what = statefulSets.length > 1 || followers.length ? "StatefulSet without IMPORTAI_FOLLOW (RocksDB has one writer; replicas follow it)" : "StatefulSet";
  if (!check(primaries.length === 1, `want exactly one ${what}, got ${primaries.length}`)) {
    return { problems, facts };
  }
  const sts = primaries[0];
  const namespace = sts.metadata?.namespace;
  const sameNamespace = (o) => o.metadata?.namespace === namespace;
  check(sts.spec?.replicas === 1, `StatefulSet replicas must be 1 (RocksDB is single-writer), got ${sts.spec?.replicas}`);
  const primary = podProblems(objects, sts, check, facts);
  if (!primary) return { problems, facts };
  const podLabels = primary.podLabels;

  // The primary's Service: writes (and, without replicas, reads).
  const services = ofKind("Service").filter(sameNamespace);
  const clusterIP = services.filter(
    (s) => s.spec?.clusterIP !== "None" && (s.spec?.type ?? "ClusterIP") === "ClusterIP",
  );
  const grpcServices = clusterIP.filter((s) =>
    (s.spec?.ports ?? []).some((p) => p.name === "grpc" && p.port === GRPC_PORT),
  );
  const grpcService = grpcServices.find((s) => labelsMatch(s.spec?.selector, podLabels)) ?? grpcServices[0];
  if (check(grpcService, `want a ClusterIP Service with a port named grpc (${GRPC_PORT})`)) {
    check(labelsMatch(grpcService.spec?.selector, podLabels), `Service ${grpcService.metadata.name} does not select the pod`);
    check(
      (grpcService.spec.ports ?? []).some((p) => p.name === "metrics" && p.port === METRICS_PORT),
      `Service ${grpcService.metadata.name} wants a port named metrics (${METRICS_PORT})`,
    );
    facts.service = grpcService.metadata.name;
  }

  for (const follower of followers) {
    followerProblems(objects, follower, { sts, ...primary, grpcService, services }, check);
  }

  // Every object of an overlay in the StatefulSet's namespace.
  for (const o of objects) {
    if (o?.kind === "Namespace") continue;
    check(o?.metadata?.namespace === namespace,
      `${o?.kind}/${o?.metadata?.name} is in namespace ${o?.metadata?.namespace}, the StatefulSet in ${namespace}`);
  }
  return { problems, facts };
}

// The checks every importai pod passes, primary or replica: the governing
// headless Service, probes, memory and caches, settings, volumes, security,
// shutdown, scraping, the write token, the NetworkPolicy. Records the
// primary's sizes in facts (when given). Returns what the follower checks
// compare, or null when the pod has no container.
function podProblems(objects, sts, check, facts = {}) {
  const ofKind = (kind) => objects.filter((o) => o?.kind === kind);
  const namespace = sts.metadata?.namespace;
  const sameNamespace = (o) => o.metadata?.namespace === namespace;
  const podTemplate = sts.spec?.template ?? {};
  const pod = podTemplate.spec ?? {};
  const podLabels = podTemplate.metadata?.labels ?? {};
  check(
    labelsMatch(sts.spec?.selector?.matchLabels, podLabels),
    "StatefulSet selector does not match its pod template's labels",
  );

  // The governing Service.
  const services = ofKind("Service").filter(sameNamespace);
  const governing = services.find((s) => s.metadata?.name === sts.spec?.serviceName);
  if (check(governing, `StatefulSet serviceName ${sts.spec?.serviceName} names no Service in the render`)) {
    check(governing.spec?.clusterIP === "None", `governing Service ${governing.metadata.name} must be headless (clusterIP: None)`);
    check(labelsMatch(governing.spec?.selector, podLabels), `headless Service ${governing.metadata.name} does not select the pod`);
  }

  // The container.
  const { container } = serverOf(sts);
  if (!check(container, "the pod has no container")) return null;
  for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
    const grpc = container[probe]?.grpc;
    check(grpc?.port === GRPC_PORT, `${probe} must be a native gRPC health probe on port ${GRPC_PORT}`);
    if (grpc?.service !== undefined) {
      check(
        ["", "importai.v1.ArchiveService", "importai.v1.IngestService"].includes(grpc.service),
        `${probe} asks health about unknown service ${grpc.service}`,
      );
    }
  }
  const ports = container.ports ?? [];
  check(ports.some((p) => p.name === "grpc" && p.containerPort === GRPC_PORT), `container port grpc ${GRPC_PORT} missing`);
  check(ports.some((p) => p.name === "metrics" && p.containerPort === METRICS_PORT), `container port metrics ${METRICS_PORT} missing`);

  // Memory, and the caches below it.
  const requested = quantityBytes(container.resources?.requests?.memory);
  const limit = quantityBytes(container.resources?.limits?.memory);
  check(limit > 0, "the container needs a memory limit");
  check(requested === limit, `memory request (${container.resources?.requests?.memory}) must equal the limit (${container.resources?.limits?.memory})`);
  facts.memory = limit;

  const configRefs = (container.envFrom ?? []).map((e) => e.configMapRef?.name).filter(Boolean);
  const configMaps = ofKind("ConfigMap").filter((c) => sameNamespace(c) && configRefs.includes(c.metadata?.name));
  check(configMaps.length > 0 && configMaps.length === (container.envFrom ?? []).length,
    "the container must read its settings from ConfigMaps in the render (envFrom)");
  const env = settingsOf(objects, sts);
  for (const key of Object.keys(env)) {
    check(/^IMPORTAI_[A-Z_]+$/.test(key), `ConfigMap key ${key} is not an IMPORTAI_* variable`);
  }
  check(/^0\.0\.0\.0:/.test(env.IMPORTAI_LISTEN ?? "") && portOf(env.IMPORTAI_LISTEN) === GRPC_PORT,
    `IMPORTAI_LISTEN must be 0.0.0.0:${GRPC_PORT} (the probes and Services reach the pod's IP), got ${env.IMPORTAI_LISTEN}`);
  check(portOf(env.IMPORTAI_METRICS_LISTEN) === METRICS_PORT && /^0\.0\.0\.0:/.test(env.IMPORTAI_METRICS_LISTEN),
    `IMPORTAI_METRICS_LISTEN must be 0.0.0.0:${METRICS_PORT}, got ${env.IMPORTAI_METRICS_LISTEN}`);
  const blockMb = Number(env.IMPORTAI_BLOCK_CACHE_MB);
  const issueMb = Number(env.IMPORTAI_ISSUE_CACHE_MB);
  if (check(Number.isInteger(blockMb) && blockMb > 0 && Number.isInteger(issueMb) && issueMb > 0,
    `IMPORTAI_BLOCK_CACHE_MB and IMPORTAI_ISSUE_CACHE_MB must be positive integers, got ${env.IMPORTAI_BLOCK_CACHE_MB} and ${env.IMPORTAI_ISSUE_CACHE_MB}`)) {
    const caches = (blockMb + issueMb) * MiB;
    check(caches < limit, `block cache ${blockMb} MiB + issue cache ${issueMb} MiB is not below the memory limit`);
    check(caches <= limit / 2,
      `block cache ${blockMb} MiB + issue cache ${issueMb} MiB exceeds half the memory limit (memtables, gRPC and subscribers need the rest)`);
    facts.cacheMb = blockMb + issueMb;
  }
  const grace = durationSeconds(env.IMPORTAI_SHUTDOWN_GRACE);
  check(Number.isFinite(grace) && grace > 0, `IMPORTAI_SHUTDOWN_GRACE must be a duration such as 20s, got ${env.IMPORTAI_SHUTDOWN_GRACE}`);

  // Volumes: the data directory on the claim, /tmp on an emptyDir.
  const mounts = container.volumeMounts ?? [];
  const volumes = pod.volumes ?? [];
  const claims = sts.spec?.volumeClaimTemplates ?? [];
  const dataMount = mounts.find((m) => m.mountPath === env.IMPORTAI_DATA_DIR);
  if (check(dataMount, `IMPORTAI_DATA_DIR (${env.IMPORTAI_DATA_DIR}) must be a mounted volume`)) {
    check(env.IMPORTAI_DATA_DIR === "/var/lib/importai", `the data directory must be /var/lib/importai (the image's volume), got ${env.IMPORTAI_DATA_DIR}`);
    const claim = claims.find((c) => c.metadata?.name === dataMount.name);
    if (check(claim, `the data volume ${dataMount.name} must come from volumeClaimTemplates`)) {
      const storage = quantityBytes(claim.spec?.resources?.requests?.storage);
      check(storage > 0, "the data claim needs a storage request");
      check((claim.spec?.accessModes ?? []).includes("ReadWriteOnce"), "the data claim must be ReadWriteOnce");
      facts.storage = storage;
    }
  }
  const tmpMount = mounts.find((m) => m.mountPath === "/tmp");
  check(tmpMount && volumes.some((v) => v.name === tmpMount.name && v.emptyDir),
    "/tmp must be an emptyDir mount (the root filesystem is read-only)");

  // Security: the restricted Pod Security Standard, plus a read-only root.
  const podSecurity = pod.securityContext ?? {};
  const sec = container.securityContext ?? {};
  const effective = (key) => sec[key] ?? podSecurity[key];
  check(effective("runAsNonRoot") === true, "runAsNonRoot must be true");
  check(effective("runAsUser") === RESTRICTED_UID, `runAsUser must be ${RESTRICTED_UID} (the image's user)`);
  check(effective("runAsGroup") === RESTRICTED_UID, `runAsGroup must be ${RESTRICTED_UID}`);
  check(podSecurity.fsGroup === RESTRICTED_UID, `pod fsGroup must be ${RESTRICTED_UID} so the volume is writable`);
  check(sec.allowPrivilegeEscalation === false, "allowPrivilegeEscalation must be false");
  check((sec.capabilities?.drop ?? []).includes("ALL"), "capabilities must drop ALL");
  check((sec.capabilities?.add ?? []).length === 0, "no capabilities may be added");
  check((sec.seccompProfile ?? podSecurity.seccompProfile)?.type === "RuntimeDefault", "seccompProfile must be RuntimeDefault");
  check(sec.readOnlyRootFilesystem === true, "readOnlyRootFilesystem must be true");
  check(sec.privileged !== true, "the container must not be privileged");
  check(!pod.hostNetwork && !pod.hostPID && !pod.hostIPC, "no host namespaces");

  // Service account: no token.
  check(pod.automountServiceAccountToken === false, "the pod must set automountServiceAccountToken: false");
  const accountName = pod.serviceAccountName;
  const account = ofKind("ServiceAccount").find((a) => sameNamespace(a) && a.metadata?.name === accountName);
  if (check(account, `serviceAccountName ${accountName} names no ServiceAccount in the render`)) {
    check(account.automountServiceAccountToken === false, `ServiceAccount ${accountName} must set automountServiceAccountToken: false`);
  }
  check(pod.enableServiceLinks === false,
    "enableServiceLinks must be false (service links add IMPORTAI_* variables to the environment)");

  // Shutdown: preStop sleep, then the drain, inside the grace period.
  const preStop = container.lifecycle?.preStop;
  let sleep = NaN;
  const command = preStop?.exec?.command;
  if (Array.isArray(command) && /(^|\/)sleep$/.test(command[0] ?? "") && command.length === 2) {
    sleep = Number(command[1]);
  } else if (preStop?.sleep) {
    sleep = Number(preStop.sleep.seconds);
  }
  if (check(Number.isFinite(sleep) && sleep > 0, "a preStop sleep is required (exec [\"/bin/sleep\", \"N\"])")) {
    const period = pod.terminationGracePeriodSeconds;
    check(Number.isFinite(period) && period > sleep + grace,
      `terminationGracePeriodSeconds (${period}) must exceed preStop sleep ${sleep} s + IMPORTAI_SHUTDOWN_GRACE ${grace} s`);
  }

  // Prometheus.
  const annotations = podTemplate.metadata?.annotations ?? {};
  check(annotations["prometheus.io/scrape"] === "true", 'pod annotation prometheus.io/scrape must be "true"');
  check(annotations["prometheus.io/port"] === String(METRICS_PORT), `pod annotation prometheus.io/port must be "${METRICS_PORT}"`);
  check(annotations["prometheus.io/path"] === "/metrics", 'pod annotation prometheus.io/path must be "/metrics"');

  // Writes: behind a token from a Secret in the render, mounted as the file
  // IMPORTAI_INGEST_TOKEN_FILE names; never explicitly open.
  check(!isTrue(env.IMPORTAI_ALLOW_UNAUTHENTICATED_WRITES),
    "IMPORTAI_ALLOW_UNAUTHENTICATED_WRITES must not be set: writes would be open to whoever reaches the pod");
  const tokenFile = env.IMPORTAI_INGEST_TOKEN_FILE;
  check(secretFiles(objects, pod, container).some((f) => f.path === tokenFile),
    `IMPORTAI_INGEST_TOKEN_FILE (${tokenFile ?? "unset"}) must name a key of a Secret in the render mounted into the container: writes would be open`);

  // Network: a NetworkPolicy lets in the namespace's pods, and from other
  // namespaces only the metrics scraper, to the metrics port.
  const policies = ofKind("NetworkPolicy").filter(
    (p) => sameNamespace(p) && labelsMatch(p.spec?.podSelector?.matchLabels, podLabels));
  if (check(policies.length > 0, "want a NetworkPolicy selecting the pod (only the namespace's pods and the metrics scraper may connect)")) {
    const metricsOnly = (rule) =>
      (rule.ports ?? []).length > 0 && rule.ports.every((p) => p.port === "metrics" || p.port === METRICS_PORT);
    let scraper = false;
    for (const policy of policies) {
      const name = `NetworkPolicy ${policy.metadata?.name}`;
      check((policy.spec.policyTypes ?? ["Ingress"]).includes("Ingress"), `${name} must restrict Ingress`);
      for (const rule of policy.spec.ingress ?? []) {
        const peers = rule.from ?? [];
        if (!check(peers.length > 0, `${name}: an ingress rule without from admits everyone`)) continue;
        for (const peer of peers) {
          check(!peer.ipBlock, `${name}: ipBlock admits addresses from outside the cluster`);
          if (!peer.namespaceSelector) continue;
          const selector = peer.podSelector ?? {};
          const narrowed = Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length > 0;
          check(narrowed && metricsOnly(rule),
            `${name}: from other namespaces only the scraper's labelled pods, and only to the metrics port`);
          scraper ||= narrowed && metricsOnly(rule);
        }
      }
    }
    check(scraper, "the NetworkPolicy must let the metrics scraper (labelled pods of any namespace) reach the metrics port");
  }
  return { pod, podLabels, container, env, policies };
}

// The headless Service over every ready pod, primary and replicas, that
// clients balance reads and the feed over (deploy/README.md).
const READ_SERVICE = "importai-read";

// A PodDisruptionBudget's maxUnavailable or minAvailable as a pod count out
// of total (percentages round up, as Kubernetes rounds them); NaN if malformed.
function budgetPods(value, total) {
  if (Number.isInteger(value)) return value;
  const match = /^([0-9]+)%$/.exec(String(value));
  return match ? Math.ceil((Number(match[1]) * total) / 100) : NaN;
}

// A read replica (a StatefulSet whose server has IMPORTAI_FOLLOW): the pod
// checks, and what following the primary needs: the primary's Service and
// token, the same image, probes that tell lag from death, spread over nodes,
// a disruption budget, the read Service, and a way through the NetworkPolicy.
function followerProblems(objects, sts, primary, checkAll) {
  const name = sts.metadata?.name;
  const check = (ok, message) => checkAll(ok, `StatefulSet ${name}: ${message}`);
  const namespace = primary.sts.metadata?.namespace;
  const replica = podProblems(objects, sts, check);
  if (!replica) return;
  const { pod, podLabels, container, env } = replica;
  const count = sts.spec?.replicas ?? 1;
  check(Number.isInteger(count) && count >= 2,
    `a replica StatefulSet wants 2 or more pods (losing one must leave one to read from), got ${sts.spec?.replicas}`);
  check(!labelsMatch(primary.sts.spec?.selector?.matchLabels, podLabels) &&
    !labelsMatch(sts.spec?.selector?.matchLabels, primary.podLabels),
    `its pods and the primary's must not match each other's StatefulSet selector`);

  // Following: the primary's Service, on the gRPC port, with its token.
  const service = primary.grpcService?.metadata?.name;
  const follow = String(env.IMPORTAI_FOLLOW);
  const host = follow.replace(/:[0-9]+$/, "");
  const names = [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
  check(service !== undefined && names.includes(host) && portOf(follow) === GRPC_PORT,
    `IMPORTAI_FOLLOW must name the primary's Service ${service} of namespace ${namespace} on port ${GRPC_PORT} ` +
    `(${service}.${namespace}.svc.cluster.local:${GRPC_PORT}), got ${env.IMPORTAI_FOLLOW}`);
  if (env.IMPORTAI_MAX_LAG !== undefined) {
    const lag = durationSeconds(env.IMPORTAI_MAX_LAG);
    check(Number.isFinite(lag) && lag > 0, `IMPORTAI_MAX_LAG must be a duration such as 10s, got ${env.IMPORTAI_MAX_LAG}`);
  }
  const primaryToken = secretFiles(objects, primary.pod, primary.container)
    .find((f) => f.path === primary.env.IMPORTAI_INGEST_TOKEN_FILE);
  const followToken = secretFiles(objects, pod, container).find((f) => f.path === env.IMPORTAI_FOLLOW_TOKEN_FILE);
  check(primaryToken && followToken?.secret === primaryToken.secret && followToken.key === primaryToken.key,
    `IMPORTAI_FOLLOW_TOKEN_FILE (${env.IMPORTAI_FOLLOW_TOKEN_FILE ?? "unset"}) must name the primary's write token ` +
    `(key ${primaryToken?.key} of Secret ${primaryToken?.secret}) mounted into the container: a new replica presents it to copy its snapshot`);
  check(container.image === primary.container.image,
    `image ${container.image} is not the primary's (${primary.container.image})`);

  // Probes: readiness follows the lag (health of ""); startup and liveness
  // must not, or a replica copying its snapshot, or behind while the primary
  // is away, would be restarted.
  const asks = (probe) => container[probe]?.grpc?.service ?? "";
  check(asks("readinessProbe") === "",
    `readinessProbe must ask health about "" (NOT_SERVING beyond IMPORTAI_MAX_LAG), asks ${asks("readinessProbe")}`);
  for (const probe of ["startupProbe", "livenessProbe"]) {
    check(asks(probe) !== "",
      `${probe} must name a service: health of "" is NOT_SERVING while the replica is behind, so a replica copying its snapshot or catching up would be restarted`);
  }

  // Spread: anti-affinity by node against the other importai pods.
  const anti = pod.affinity?.podAntiAffinity ?? {};
  const terms = [
    ...(anti.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(anti.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.podAffinityTerm),
  ];
  check(terms.some((t) => t?.topologyKey === "kubernetes.io/hostname" && t.labelSelector && selects(t.labelSelector, podLabels)),
    "want pod anti-affinity by kubernetes.io/hostname against the replica pods (required or preferred): replicas on one node go down together");

  // Disruptions: one budget over the replica pods that lets a drain take
  // some, never all.
  const budgets = objects.filter((o) => o?.kind === "PodDisruptionBudget" && o.metadata?.namespace === namespace &&
    labelsMatch(o.spec?.selector?.matchLabels, podLabels) && selects(o.spec.selector, podLabels));
  if (check(budgets.length === 1, `want one PodDisruptionBudget selecting the replica pods, got ${budgets.length}`)) {
    const spec = budgets[0].spec;
    const [field, value] = spec.maxUnavailable !== undefined ? ["maxUnavailable", spec.maxUnavailable] : ["minAvailable", spec.minAvailable];
    const pods = budgetPods(value, count);
    check(pods >= 1 && pods < count,
      `PodDisruptionBudget ${budgets[0].metadata?.name}: ${field} ${value} of ${count} replicas must come to at least 1 and fewer than ${count} ` +
      "(1 is usual): none blocks every node drain; all lets a drain take every replica");
  }

  // Reads from every ready pod; writes to the primary only.
  const read = primary.services.find((s) => s.metadata?.name === READ_SERVICE);
  if (check(read, `want a Service ${READ_SERVICE} for reads and the feed (clients use dns:///${READ_SERVICE}.${namespace}.svc.cluster.local:${GRPC_PORT})`)) {
    check(read.spec?.clusterIP === "None",
      `Service ${READ_SERVICE} must be headless (clusterIP: None): a ClusterIP pins each client's connection to one pod; round_robin needs every pod's address`);
    check(labelsMatch(read.spec?.selector, podLabels) && labelsMatch(read.spec?.selector, primary.podLabels),
      `Service ${READ_SERVICE} must select the primary's pod and the replicas`);
    check((read.spec?.ports ?? []).some((p) => p.name === "grpc" && p.port === GRPC_PORT),
      `Service ${READ_SERVICE} wants a port named grpc (${GRPC_PORT})`);
    check(read.spec?.publishNotReadyAddresses !== true,
      `Service ${READ_SERVICE} must leave out pods that are not ready (a replica beyond IMPORTAI_MAX_LAG)`);
  }
  if (primary.grpcService) {
    check(!labelsMatch(primary.grpcService.spec?.selector, podLabels),
      `the primary's Service ${service} selects the replicas too: writes sent to a replica fail (FAILED_PRECONDITION)`);
  }

  // Replicas reach the primary's gRPC port (the feed and the snapshot).
  const grpcRule = (rule) => (rule.ports ?? []).length === 0 || rule.ports.some((p) => p.port === "grpc" || p.port === GRPC_PORT);
  const admits = (peer) => !peer.namespaceSelector && !peer.ipBlock && peer.podSelector && selects(peer.podSelector, podLabels);
  check(primary.policies.some((policy) => (policy.spec.ingress ?? []).some((rule) => grpcRule(rule) && (rule.from ?? []).some(admits))),
    "no NetworkPolicy selecting the primary lets the replica pods reach its grpc port (the feed and the snapshot)");
}

// ---- driver -------------------------------------------------------------

function parseRender(text, name) {
  const docs = parseAllDocuments(text);
  const objects = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new Error(`${name}: YAML: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

const describe = (o) => `${o?.kind ?? "?"}/${o?.metadata?.name ?? "?"}`;

async function renderProblems(objects) {
  const problems = [];
  if (objects.length === 0) problems.push("the render holds no objects");
  for (const o of objects) {
    for (const p of await schemaProblems(o)) problems.push(`${describe(o)}: ${p}`);
  }
  const essentials = essentialProblems(objects);
  return { problems: problems.concat(essentials.problems), facts: essentials.facts };
}

// JSON with object keys sorted, to compare objects whatever their key order.
const canonical = (value) => JSON.stringify(value, (_, v) =>
  isPlainObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v);

function comparisonProblems(results, renders) {
  const problems = [];
  const dev = results.get("dev");
  const prod = results.get("prod");
  if (dev && prod) {
    for (const [fact, what] of [["memory", "memory limit"], ["cacheMb", "RocksDB caches"], ["storage", "data volume"]]) {
      if (!(prod[fact] > dev[fact])) problems.push(`prod's ${what} (${prod[fact]}) must be larger than dev's (${dev[fact]})`);
    }
  }
  // ha is prod plus replicas: applied over a running prod it must keep the
  // primary, its volume and its Services as they are. Each object of prod's
  // is in ha unchanged, but for the NetworkPolicy's podSelector (ha's selects
  // the replicas too).
  const ha = renders.get("ha");
  if (ha && renders.get("prod")) {
    for (const o of renders.get("prod")) {
      const same = ha.find((h) => describe(h) === describe(o) && h.metadata?.namespace === o.metadata?.namespace);
      const strip = (x) => (x.kind === "NetworkPolicy" ? { ...x, spec: { ...x.spec, podSelector: null } } : x);
      if (!same) problems.push(`ha lacks prod's ${describe(o)}: applied over prod it would not keep prod's primary`);
      else if (canonical(strip(same)) !== canonical(strip(o))) {
        problems.push(`ha's ${describe(o)} differs from prod's: applied over prod it would change the primary (keep the two overlays' shared files alike)`);
      }
    }
  }
  return problems;
}

// Broken copies of a good render; each must be rejected.
const mutations = [
  ["unknown top-level spec field", (objs) => { sts(objs).spec.replicass = 1; }],
  ["unknown probe field", (objs) => { container(objs).readinessProbe.grpc.prot = 50051; }],
  ["misspelt container field", (objs) => { container(objs).imagePullPolcy = "Always"; }],
  ["wrong type", (objs) => { sts(objs).spec.replicas = "1"; }],
  ["unknown kind", (objs) => { objs.push({ apiVersion: "apps/v1", kind: "StatefullSet", metadata: { name: "x" } }); }],
  ["two replicas", (objs) => { sts(objs).spec.replicas = 2; }],
  ["service not headless", (objs) => { delete objs.find((o) => o.kind === "Service" && o.metadata.name === sts(objs).spec.serviceName).spec.clusterIP; }],
  ["no grpc port name", (objs) => { for (const s of objs.filter((o) => o.kind === "Service")) for (const p of s.spec.ports) if (p.name === "grpc") p.name = "api"; }],
  ["HTTP liveness probe", (objs) => { container(objs).livenessProbe = { tcpSocket: { port: 50051 } }; }],
  ["no startup probe", (objs) => { delete container(objs).startupProbe; }],
  ["memory request below limit", (objs) => { container(objs).resources.requests.memory = "1Mi"; }],
  ["caches above the limit", (objs) => { config(objs).data.IMPORTAI_BLOCK_CACHE_MB = "100000"; }],
  ["listening on loopback", (objs) => { config(objs).data.IMPORTAI_LISTEN = "127.0.0.1:50051"; }],
  ["writable root", (objs) => { container(objs).securityContext.readOnlyRootFilesystem = false; }],
  ["privilege escalation", (objs) => { delete container(objs).securityContext.allowPrivilegeEscalation; }],
  ["capabilities kept", (objs) => { container(objs).securityContext.capabilities.drop = ["NET_RAW"]; }],
  ["no seccomp", (objs) => { delete container(objs).securityContext.seccompProfile; delete sts(objs).spec.template.spec.securityContext.seccompProfile; }],
  ["root user", (objs) => { container(objs).securityContext.runAsUser = 0; }],
  ["no fsGroup", (objs) => { delete sts(objs).spec.template.spec.securityContext.fsGroup; }],
  ["no /tmp emptyDir", (objs) => { const c = container(objs); c.volumeMounts = c.volumeMounts.filter((m) => m.mountPath !== "/tmp"); }],
  ["token mounted", (objs) => { sts(objs).spec.template.spec.automountServiceAccountToken = true; }],
  ["no preStop", (objs) => { delete container(objs).lifecycle; }],
  ["grace too short", (objs) => { sts(objs).spec.template.spec.terminationGracePeriodSeconds = 20; }],
  ["no scrape annotation", (objs) => { delete sts(objs).spec.template.metadata.annotations["prometheus.io/scrape"]; }],
  ["writes open: no token file", (objs) => { delete container(objs).env; }],
  ["writes open: token Secret missing", (objs) => { objs.splice(objs.findIndex((o) => o.kind === "Secret"), 1); }],
  ["writes open by flag", (objs) => { config(objs).data.IMPORTAI_ALLOW_UNAUTHENTICATED_WRITES = "true"; }],
  ["no NetworkPolicy", (objs) => { objs.splice(objs.findIndex((o) => o.kind === "NetworkPolicy"), 1); }],
  ["NetworkPolicy admits everyone", (objs) => { policy(objs).spec.ingress.push({ ports: [{ port: "grpc" }] }); }],
  ["gRPC open to other namespaces", (objs) => { policy(objs).spec.ingress.push({ from: [{ namespaceSelector: {} }], ports: [{ port: "grpc" }] }); }],
  ["no scraper rule", (objs) => { policy(objs).spec.ingress = policy(objs).spec.ingress.filter((r) => !r.from.some((p) => p.namespaceSelector)); }],
];
// Broken copies of a render with read replicas (a StatefulSet that follows
// the primary); each must be rejected too.
const replicaMutations = [
  ["replica follows nothing: a second writer", (objs) => { delete replicaConfig(objs).data.IMPORTAI_FOLLOW; }],
  ["replica follows the read Service", (objs) => { replicaConfig(objs).data.IMPORTAI_FOLLOW = "importai-read:50051"; }],
  ["replica follows another namespace", (objs) => { replicaConfig(objs).data.IMPORTAI_FOLLOW = "importai.elsewhere.svc.cluster.local:50051"; }],
  ["replica follows the metrics port", (objs) => { replicaConfig(objs).data.IMPORTAI_FOLLOW = "importai:9090"; }],
  ["malformed max lag", (objs) => { replicaConfig(objs).data.IMPORTAI_MAX_LAG = "10"; }],
  ["no follow token", (objs) => { replicaContainer(objs).env = replicaContainer(objs).env.filter((e) => e.name !== "IMPORTAI_FOLLOW_TOKEN_FILE"); }],
  ["follow token from another Secret", (objs) => {
    const secret = structuredClone(objs.find((o) => o.kind === "Secret"));
    secret.metadata.name = "other-token";
    objs.push(secret);
    replica(objs).spec.template.spec.volumes.find((v) => v.secret).secret.secretName = "other-token";
  }],
  ["replica on another image", (objs) => { replicaContainer(objs).image = "importai:other"; }],
  ["one replica", (objs) => { replica(objs).spec.replicas = 1; }],
  ["replica selector takes the primary's pod", (objs) => { delete replica(objs).spec.selector.matchLabels["app.kubernetes.io/component"]; }],
  ["replica without its own volume", (objs) => {
    delete replica(objs).spec.volumeClaimTemplates;
    replica(objs).spec.template.spec.volumes.push({ name: "data", emptyDir: {} });
  }],
  ["readiness blind to lag", (objs) => { replicaContainer(objs).readinessProbe.grpc.service = "importai.v1.ArchiveService"; }],
  ["liveness restarts lagging replicas", (objs) => { delete replicaContainer(objs).livenessProbe.grpc.service; }],
  ["startup restarts a replica copying its snapshot", (objs) => { replicaContainer(objs).startupProbe.grpc.service = ""; }],
  ["no anti-affinity", (objs) => { delete replica(objs).spec.template.spec.affinity; }],
  ["anti-affinity by zone only", (objs) => {
    for (const t of replica(objs).spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution) {
      t.podAffinityTerm.topologyKey = "topology.kubernetes.io/zone";
    }
  }],
  ["anti-affinity against other pods", (objs) => {
    for (const t of replica(objs).spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution) {
      t.podAffinityTerm.labelSelector = { matchLabels: { "app.kubernetes.io/name": "other" } };
    }
  }],
  ["no PodDisruptionBudget", (objs) => { objs.splice(objs.findIndex((o) => o.kind === "PodDisruptionBudget"), 1); }],
  ["PodDisruptionBudget selects the primary only", (objs) => { budget(objs).spec.selector.matchLabels["app.kubernetes.io/component"] = "server"; }],
  ["PodDisruptionBudget blocks drains", (objs) => { budget(objs).spec.maxUnavailable = 0; }],
  ["PodDisruptionBudget lets every replica go", (objs) => { delete budget(objs).spec.maxUnavailable; budget(objs).spec.minAvailable = "0%"; }],
  ["no read Service", (objs) => { objs.splice(objs.findIndex((o) => o.metadata?.name === "importai-read"), 1); }],
  ["read Service not headless", (objs) => { delete readService(objs).spec.clusterIP; }],
  ["read Service misses the replicas", (objs) => { readService(objs).spec.selector["app.kubernetes.io/component"] = "server"; }],
  ["read Service misses the primary", (objs) => { readService(objs).spec.selector["app.kubernetes.io/component"] = "replica"; }],
  ["read Service publishes lagging replicas", (objs) => { readService(objs).spec.publishNotReadyAddresses = true; }],
  ["write Service selects the replicas", (objs) => { delete objs.find((o) => o.kind === "Service" && o.metadata.name === "importai").spec.selector["app.kubernetes.io/component"]; }],
  ["NetworkPolicy leaves the replicas out", (objs) => { policy(objs).spec.podSelector.matchLabels["app.kubernetes.io/component"] = "server"; }],
  ["replicas cannot reach the primary", (objs) => {
    policy(objs).spec.ingress[0].from = [{ podSelector: { matchLabels: { "app.kubernetes.io/component": "server" } } }];
  }],
];
const follows = (objs, o) => o.kind === "StatefulSet" && isFollower(objs, o);
const sts = (objs) => objs.find((o) => o.kind === "StatefulSet" && !follows(objs, o));
const container = (objs) => sts(objs).spec.template.spec.containers[0];
const config = (objs) => objs.find((o) => o.kind === "ConfigMap" && o.metadata.name === container(objs).envFrom[0].configMapRef.name);
const policy = (objs) => objs.find((o) => o.kind === "NetworkPolicy");
const replica = (objs) => objs.find((o) => follows(objs, o));
const replicaContainer = (objs) => replica(objs).spec.template.spec.containers[0];
const replicaConfig = (objs) => objs.find((o) => o.kind === "ConfigMap" && o.data?.IMPORTAI_FOLLOW !== undefined);
const budget = (objs) => objs.find((o) => o.kind === "PodDisruptionBudget");
const readService = (objs) => objs.find((o) => o.kind === "Service" && o.metadata.name === "importai-read");

async function selfTest(name, objects) {
  const failures = [];
  const baseline = await renderProblems(objects);
  if (baseline.problems.length) failures.push(`the unbroken render ${name} fails: ${baseline.problems.join("; ")}`);
  const all = objects.some((o) => follows(objects, o)) ? mutations.concat(replicaMutations) : mutations;
  for (const [what, mutate] of all) {
    const copy = structuredClone(objects);
    mutate(copy);
    const { problems } = await renderProblems(copy);
    if (problems.length === 0) failures.push(`a render with "${what}" passed validation`);
    else console.log(`self-test: ${what}: rejected (${problems[0]})`);
  }
  return failures;
}

// The StatefulSets' names, the primary first, then the followers: "NAME
// primary" or "NAME follower".
function printStatefulSets(objects) {
  const statefulSets = objects.filter((o) => o?.kind === "StatefulSet");
  if (!statefulSets.length) throw new Error("no StatefulSet in the render");
  const role = (o) => (isFollower(objects, o) ? "follower" : "primary");
  for (const o of statefulSets.filter((s) => role(s) === "primary").concat(statefulSets.filter((s) => role(s) === "follower"))) {
    console.log(`${o.metadata?.name} ${role(o)}`);
  }
}

function printSettings(objects, name) {
  const statefulSet = name === undefined
    ? objects.find((o) => o?.kind === "StatefulSet" && !isFollower(objects, o))
    : objects.find((o) => o?.kind === "StatefulSet" && o.metadata?.name === name);
  if (!statefulSet) throw new Error(`no StatefulSet ${name ?? "without IMPORTAI_FOLLOW"} in the render`);
  const pod = statefulSet.spec?.template?.spec ?? {};
  const server = (pod.containers ?? []).find((c) => c.name === "importai-server") ?? pod.containers?.[0];
  if (!server) throw new Error("no container in the StatefulSet");
  for (const source of server.envFrom ?? []) {
    const name = source.configMapRef?.name;
    if (!name) throw new Error("envFrom other than a configMapRef");
    const configMap = objects.find((o) => o?.kind === "ConfigMap" && o.metadata?.name === name);
    if (!configMap) throw new Error(`envFrom names ConfigMap ${name}, which is not in the render`);
    for (const [key, value] of Object.entries(configMap.data ?? {})) console.log(`env ${key}=${value}`);
  }
  for (const variable of server.env ?? []) {
    if (typeof variable.value !== "string") throw new Error(`env ${variable.name} is not a plain value`);
    console.log(`env ${variable.name}=${variable.value}`);
  }
  for (const file of secretFiles(objects, pod, server)) console.log(`file ${file.path} ${file.base64}`);
  for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
    if (server[probe]?.grpc) console.log(`probe ${server[probe].grpc.service ?? ""}`);
  }
}

async function main(argv) {
  if (argv[0] === "--settings" && (argv.length === 2 || argv.length === 3)) {
    printSettings(parseRender(readFileSync(argv[1], "utf8"), argv[1]), argv[2]);
    return 0;
  }
  if (argv[0] === "--statefulsets" && argv.length === 2) {
    printStatefulSets(parseRender(readFileSync(argv[1], "utf8"), argv[1]));
    return 0;
  }
  const selfTestMode = argv[0] === "--self-test";
  const specs = selfTestMode ? argv.slice(1) : argv;
  if (specs.length === 0 || specs.some((s) => !s.includes("="))) {
    console.error("usage: validate-k8s.mjs [--self-test] NAME=RENDERED.yaml ... | --settings RENDERED.yaml [STATEFULSET] | --statefulsets RENDERED.yaml");
    return 2;
  }
  const failures = [];
  const results = new Map();
  const renders = new Map();
  for (const spec of specs) {
    const [name, file] = [spec.slice(0, spec.indexOf("=")), spec.slice(spec.indexOf("=") + 1)];
    let objects;
    try {
      objects = parseRender(readFileSync(file, "utf8"), name);
    } catch (error) {
      failures.push(`${name}: ${error.message}`);
      continue;
    }
    if (selfTestMode) {
      failures.push(...(await selfTest(name, objects)));
      continue;
    }
    const { problems, facts } = await renderProblems(objects);
    results.set(name, facts);
    renders.set(name, objects);
    for (const p of problems) failures.push(`${name}: ${p}`);
    if (!problems.length) {
      console.log(`${name}: ${objects.length} objects valid (${objects.map(describe).join(", ")})`);
    }
  }
  failures.push(...comparisonProblems(results, renders));
  for (const f of failures) console.error(`FAIL: ${f}`);
  return failures.length ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
