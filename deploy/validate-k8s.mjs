#!/usr/bin/env node
// Validates rendered Kubernetes manifests (the output of `kubectl kustomize`)
// and asserts what the importai deployment relies on.
//
//   node deploy/validate-k8s.mjs NAME=RENDERED.yaml ...
//   node deploy/validate-k8s.mjs --self-test NAME=RENDERED.yaml
//   node deploy/validate-k8s.mjs --settings RENDERED.yaml
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
// --self-test feeds the checks deliberately broken copies of a good render,
// and fails unless every one of them is rejected: the validator cannot
// silently pass everything.
//
// --settings prints what the server container is given, for
// tests/deploy_config_test.sh to try on the real server: "env KEY=VALUE" for
// each variable (its ConfigMaps, then env), "file PATH BASE64" for each file
// of a mounted Secret, "probe SERVICE" for each gRPC probe.
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

// The files a container gets from Secret volumes, as [{ path, base64 }]
// (the key's data in the render's Secret), for the write token.
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
      files.push({ path: `${mount.mountPath.replace(/\/$/, "")}/${item.path}`, base64: data[item.key] });
    }
  }
  return files;
}

// absl's spellings of a true bool flag.
const isTrue = (value) => /^(1|t|true|y|yes)$/i.test(String(value ?? "").trim());

// Returns { problems, facts } for one render (a list of objects).
export function essentialProblems(objects) {
  const problems = [];
  const check = (ok, message) => {
    if (!ok) problems.push(message);
    return ok;
  };
  const facts = {};
  const ofKind = (kind) => objects.filter((o) => o?.kind === kind);

  const statefulSets = ofKind("StatefulSet");
  if (!check(statefulSets.length === 1, `want exactly one StatefulSet, got ${statefulSets.length}`)) {
    return { problems, facts };
  }
  const sts = statefulSets[0];
  const namespace = sts.metadata?.namespace;
  const sameNamespace = (o) => o.metadata?.namespace === namespace;
  check(sts.spec?.replicas === 1, `StatefulSet replicas must be 1 (RocksDB is single-writer), got ${sts.spec?.replicas}`);
  const podTemplate = sts.spec?.template ?? {};
  const pod = podTemplate.spec ?? {};
  const podLabels = podTemplate.metadata?.labels ?? {};
  check(
    labelsMatch(sts.spec?.selector?.matchLabels, podLabels),
    "StatefulSet selector does not match its pod template's labels",
  );

  // Services.
  const services = ofKind("Service").filter(sameNamespace);
  const governing = services.find((s) => s.metadata?.name === sts.spec?.serviceName);
  if (check(governing, `StatefulSet serviceName ${sts.spec?.serviceName} names no Service in the render`)) {
    check(governing.spec?.clusterIP === "None", `governing Service ${governing.metadata.name} must be headless (clusterIP: None)`);
    check(labelsMatch(governing.spec?.selector, podLabels), `headless Service ${governing.metadata.name} does not select the pod`);
  }
  const clusterIP = services.filter(
    (s) => s.spec?.clusterIP !== "None" && (s.spec?.type ?? "ClusterIP") === "ClusterIP",
  );
  const grpcService = clusterIP.find((s) =>
    (s.spec?.ports ?? []).some((p) => p.name === "grpc" && p.port === GRPC_PORT),
  );
  if (check(grpcService, `want a ClusterIP Service with a port named grpc (${GRPC_PORT})`)) {
    check(labelsMatch(grpcService.spec?.selector, podLabels), `Service ${grpcService.metadata.name} does not select the pod`);
    check(
      (grpcService.spec.ports ?? []).some((p) => p.name === "metrics" && p.port === METRICS_PORT),
      `Service ${grpcService.metadata.name} wants a port named metrics (${METRICS_PORT})`,
    );
    facts.service = grpcService.metadata.name;
  }

  // The container.
  const containers = pod.containers ?? [];
  const container = containers.find((c) => c.name === "importai-server") ?? containers[0];
  if (!check(container, "the pod has no container")) return { problems, facts };
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
  const configMap = ofKind("ConfigMap").find((c) => sameNamespace(c) && configRefs.includes(c.metadata?.name));
  const env = {};
  if (check(configMap, "the container must read its settings from a ConfigMap in the render (envFrom)")) {
    Object.assign(env, configMap.data ?? {});
  }
  for (const e of container.env ?? []) if (typeof e.value === "string") env[e.name] = e.value;
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

  // Every object of an overlay in the StatefulSet's namespace.
  for (const o of objects) {
    if (o?.kind === "Namespace") continue;
    check(o?.metadata?.namespace === namespace,
      `${o?.kind}/${o?.metadata?.name} is in namespace ${o?.metadata?.namespace}, the StatefulSet in ${namespace}`);
  }
  return { problems, facts };
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

function comparisonProblems(results) {
  const dev = results.get("dev");
  const prod = results.get("prod");
  if (!dev || !prod) return [];
  const problems = [];
  for (const [fact, what] of [["memory", "memory limit"], ["cacheMb", "RocksDB caches"], ["storage", "data volume"]]) {
    if (!(prod[fact] > dev[fact])) problems.push(`prod's ${what} (${prod[fact]}) must be larger than dev's (${dev[fact]})`);
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
const sts = (objs) => objs.find((o) => o.kind === "StatefulSet");
const container = (objs) => sts(objs).spec.template.spec.containers[0];
const config = (objs) => objs.find((o) => o.kind === "ConfigMap");
const policy = (objs) => objs.find((o) => o.kind === "NetworkPolicy");

async function selfTest(name, objects) {
  const failures = [];
  const baseline = await renderProblems(objects);
  if (baseline.problems.length) failures.push(`the unbroken render ${name} fails: ${baseline.problems.join("; ")}`);
  for (const [what, mutate] of mutations) {
    const copy = structuredClone(objects);
    mutate(copy);
    const { problems } = await renderProblems(copy);
    if (problems.length === 0) failures.push(`a render with "${what}" passed validation`);
    else console.log(`self-test: ${what}: rejected (${problems[0]})`);
  }
  return failures;
}

function printSettings(objects) {
  const statefulSet = objects.find((o) => o?.kind === "StatefulSet");
  if (!statefulSet) throw new Error("no StatefulSet in the render");
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
  if (argv[0] === "--settings" && argv.length === 2) {
    printSettings(parseRender(readFileSync(argv[1], "utf8"), argv[1]));
    return 0;
  }
  const selfTestMode = argv[0] === "--self-test";
  const specs = selfTestMode ? argv.slice(1) : argv;
  if (specs.length === 0 || specs.some((s) => !s.includes("="))) {
    console.error("usage: validate-k8s.mjs [--self-test] NAME=RENDERED.yaml ... | --settings RENDERED.yaml");
    return 2;
  }
  const failures = [];
  const results = new Map();
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
    for (const p of problems) failures.push(`${name}: ${p}`);
    if (!problems.length) {
      console.log(`${name}: ${objects.length} objects valid (${objects.map(describe).join(", ")})`);
    }
  }
  failures.push(...comparisonProblems(results));
  for (const f of failures) console.error(`FAIL: ${f}`);
  return failures.length ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
