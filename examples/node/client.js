#!/usr/bin/env node
// A small Import AI Archive client: lists the issues page by page, reads one,
// searches, then follows the change feed.
//
// stdout carries one JSON object a line: {"issue": N} per listed issue, then
// {"revision": R, "issue": N, "type": "CREATED"|"UPDATED"} per change. What it
// reads and searches, and each reconnection, goes to stderr.
//
// The feed position is the last revision seen (a change, or a PROGRESS head),
// kept in --state_file after every event, so a restarted client resumes from
// it + 1. --from overrides the file; with neither, the client starts after the
// head it saw before listing.
'use strict';

const fs = require('fs');
const path = require('path');
const { parseArgs } = require('util');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_DIR = path.resolve(__dirname, '../../proto');
// Worth another try after a backoff: the server restarting or draining
// (UNAVAILABLE), a stalled stream it ended (CANCELLED, also our idle
// watchdog), a subscriber limit, a broken connection.
const RETRYABLE = new Set([
  grpc.status.UNAVAILABLE, grpc.status.CANCELLED, grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.ABORTED, grpc.status.INTERNAL, grpc.status.UNKNOWN,
]);
const PROGRESS_INTERVAL_S = 10; // the server sends PROGRESS at least this often
const IDLE_TIMEOUT_MS = 3 * PROGRESS_INTERVAL_S * 1000; // longer silence: reconnect
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 10000;
const TYPE_NAMES = { EVENT_TYPE_CREATED: 'CREATED', EVENT_TYPE_UPDATED: 'UPDATED' };

const log = (message) => process.stderr.write(`${message}\n`);
const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const codeName = (code) => Object.keys(grpc.status).find((k) => grpc.status[k] === code) || code;

function readState(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
  if (!/^[0-9]+$/.test(text)) throw new Error(`${file}: not a revision: '${text}' (delete it or pass --from)`);
  return Number(text);
}

// Write a temporary file and rename it: a crash leaves the old or the new
// revision, never a torn one.
function writeState(file, revision) {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  fs.writeSync(fd, `${revision}\n`);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

// The unary methods as promises: await unary(client, 'GetIssue', {...}).
function unary(client, method, request) {
  return new Promise((resolve, reject) => {
    client[method](request, (err, response) => (err ? reject(err) : resolve(response)));
  });
}

async function listIssues(client, pageSize) {
  const numbers = [];
  let pageToken = '';
  do {
    const response = await unary(client, 'ListIssues', {
      page_size: pageSize, page_token: pageToken, view: 'ISSUE_VIEW_BASIC',
    });
    for (const issue of response.issues) {
      emit({ issue: issue.number });
      numbers.push(issue.number);
    }
    pageToken = response.next_page_token;
  } while (pageToken);
  return numbers;
}

async function showIssue(client, number) {
  const issue = await unary(client, 'GetIssue', { name: `issues/${number}` });
  const tale = issue.tale ? `, tale "${issue.tale.title}"` : '';
  log(`get ${issue.name}: "${issue.title}" by ${issue.author || '?'}, ` +
      `${issue.sections.length} sections${tale}, revision ${issue.revision}`);
}

async function search(client, query) {
  const response = await unary(client, 'Search', { query, page_size: 3 });
  log(`search "${query}": ${response.total_size} results`);
  for (const result of response.results) log(`  ${result.name}  ${result.title}`);
}

// One WatchIssues call, until it ends; onEvent returns true to stop.
// Resolves with null when stopped, or the error that ended the call (with
// idle set when the watchdog ended it).
function watchOnce(client, start, onEvent) {
  return new Promise((resolve) => {
    const metadata = new grpc.Metadata();
    // While the server is down, wait for the channel to reconnect rather
    // than fail at once and spin through the backoff.
    metadata.setOptions({ waitForReady: true });
    const call = client.WatchIssues({
      start_revision: start,
      progress_interval: { seconds: PROGRESS_INTERVAL_S },
      view: 'ISSUE_VIEW_BASIC',
    }, metadata);
    // A connection can die without a word (a peer gone, a dropped route):
    // PROGRESS arrives at least every PROGRESS_INTERVAL_S, so a longer
    // silence cancels the call and we reconnect.
    let idle = false;
    const watchdog = setTimeout(() => { idle = true; call.cancel(); }, IDLE_TIMEOUT_MS);
    let finished = false;
    const finish = (result) => {
      if (finished) return;
      finished = true;
      clearTimeout(watchdog);
      resolve(result);
    };
    call.on('data', (event) => {
      if (finished) return;
      watchdog.refresh();
      if (onEvent(event)) {
        finish(null);
        call.cancel();
      }
    });
    call.on('error', (err) => finish(Object.assign(err, { idle })));
    call.on('end', () => finish({ code: grpc.status.UNAVAILABLE, details: 'the server ended the stream' }));
  });
}

// Streams changes from revision `start` on; resolves with the exit status.
async function follow(client, start, stateFile, maxEvents) {
  let next = start;
  let printed = 0;
  let backoff = BACKOFF_MIN_MS;
  for (;;) {
    const err = await watchOnce(client, next, (event) => {
      backoff = BACKOFF_MIN_MS;
      if (event.type === 'EVENT_TYPE_PROGRESS') {
        // The head: nothing at or below it will come, so it is a safe place
        // to resume from too.
        if (event.revision >= next) {
          next = event.revision + 1;
          writeState(stateFile, event.revision);
        }
        return false;
      }
      const type = TYPE_NAMES[event.type];
      if (!type || event.revision < next) return false; // unknown, or seen: never twice
      emit({ revision: event.revision, issue: event.issue.number, type });
      next = event.revision + 1;
      writeState(stateFile, event.revision);
      printed += 1;
      return maxEvents > 0 && printed >= maxEvents;
    });
    if (err === null) return 0;
    if (err.code === grpc.status.OUT_OF_RANGE) {
      log(`watch: revision ${next} is older than the server keeps: ${err.details} ` +
          `(delete ${stateFile} or pass --from to start again)`);
      return 3;
    }
    if (!RETRYABLE.has(err.code)) {
      log(`watch: ${codeName(err.code)}: ${err.details}`);
      return 1;
    }
    const why = err.idle ? `no event in ${IDLE_TIMEOUT_MS / 1000} s` : `${codeName(err.code)}: ${err.details}`;
    log(`watch: ${why}; resuming from ${next} in ${(backoff / 1000).toFixed(1)} s`);
    // Exponential backoff with jitter, so clients of a restarted server do
    // not all come back at once.
    await sleep(backoff * (0.5 + Math.random() / 2));
    backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
  }
}

async function main() {
  const { values: args } = parseArgs({
    options: {
      server: { type: 'string', default: '127.0.0.1:50051' },
      from: { type: 'string' },
      max_events: { type: 'string', default: '0' },
      state_file: { type: 'string', default: 'importai-node.revision' },
      page_size: { type: 'string', default: '5' },
      search: { type: 'string', default: 'model*' },
      help: { type: 'boolean', default: false },
    },
  });
  if (args.help) {
    log('usage: client.js [--server=HOST:PORT] [--from=REV] [--max_events=N] ' +
        '[--state_file=PATH] [--page_size=N] [--search=QUERY]');
    return 0;
  }
  const definition = protoLoader.loadSync('importai/v1/archive_service.proto', {
    includeDirs: [PROTO_DIR], keepCase: true, longs: Number, enums: String, defaults: true,
  });
  const { ArchiveService } = grpc.loadPackageDefinition(definition).importai.v1;
  // The channel reconnects on its own schedule too: keep it as brisk as ours
  // (its default waits 1 s, then up to 2 minutes).
  const client = new ArchiveService(args.server, grpc.credentials.createInsecure(), {
    'grpc.initial_reconnect_backoff_ms': BACKOFF_MIN_MS,
    'grpc.max_reconnect_backoff_ms': BACKOFF_MAX_MS,
  });
  try {
    let head;
    try {
      // The head before listing: following from head + 1 misses nothing the
      // list did not show.
      head = (await unary(client, 'GetFeedInfo', {})).head_revision;
      const numbers = await listIssues(client, Number(args.page_size));
      if (numbers.length) await showIssue(client, numbers[0]);
      await search(client, args.search);
    } catch (err) {
      log(`${codeName(err.code)}: ${err.details}`);
      return 1;
    }
    let start;
    if (args.from !== undefined) {
      start = Number(args.from);
    } else {
      let saved;
      try {
        saved = readState(args.state_file);
      } catch (err) {
        log(err.message);
        return 1;
      }
      start = saved !== null ? saved + 1 : head + 1;
    }
    log(`watch: following from revision ${start}`);
    return await follow(client, start, args.state_file, Number(args.max_events));
  } finally {
    client.close();
  }
}

main().then((status) => { process.exitCode = status; }, (err) => {
  const usage = String(err.code).startsWith('ERR_PARSE_ARGS');
  log(usage ? `${err.message} (--help lists the flags)` : err.stack || String(err));
  process.exitCode = usage ? 2 : 1;
});
