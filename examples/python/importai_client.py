#!/usr/bin/python3
"""A small Import AI Archive client: lists the issues page by page, reads one,
searches, then follows the change feed.

stdout carries one JSON object a line: {"issue": N} per listed issue, then
{"revision": R, "issue": N, "type": "CREATED"|"UPDATED"} per change. What it
reads and searches, and each reconnection, goes to stderr.

The feed position is the last revision seen (a change, or a PROGRESS head),
kept in --state_file after every event, so a restarted client resumes from it
+ 1. --from overrides the file; with neither, the client starts after the
head it saw before listing.
"""

import argparse
import json
import os
import random
import sys
import threading
import time

import grpc
from google.protobuf import duration_pb2

from importai.v1 import archive_service_pb2 as archive
from importai.v1 import archive_service_pb2_grpc as archive_grpc
from importai.v1 import resources_pb2 as resources

# Worth another try after a backoff: the server restarting or draining
# (UNAVAILABLE), a stalled stream it ended (CANCELLED, also our idle
# watchdog), a subscriber limit, a broken connection.
RETRYABLE = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.CANCELLED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.ABORTED,
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
}
PROGRESS_INTERVAL_S = 10  # the server sends PROGRESS at least this often
IDLE_TIMEOUT_S = 3 * PROGRESS_INTERVAL_S  # silence longer than this: reconnect
BACKOFF_MIN_S, BACKOFF_MAX_S = 0.1, 10.0
TYPE_NAMES = {archive.EVENT_TYPE_CREATED: "CREATED", archive.EVENT_TYPE_UPDATED: "UPDATED"}


def log(message):
    print(message, file=sys.stderr, flush=True)


def emit(obj):
    print(json.dumps(obj, separators=(",", ":")), flush=True)


def read_state(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read().strip()
    except FileNotFoundError:
        return None
    if not text.isdigit():
        sys.exit(f"{path}: not a revision: {text!r} (delete it or pass --from)")
    return int(text)


def write_state(path, revision):
    # Write a temporary file and rename it: a crash leaves the old or the new
    # revision, never a torn one.
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(f"{revision}\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def list_issues(stub, page_size):
    request = archive.ListIssuesRequest(page_size=page_size, view=resources.ISSUE_VIEW_BASIC)
    numbers = []
    while True:
        response = stub.ListIssues(request)
        for issue in response.issues:
            emit({"issue": issue.number})
            numbers.append(issue.number)
        if not response.next_page_token:
            return numbers
        request.page_token = response.next_page_token


def show_issue(stub, number):
    issue = stub.GetIssue(archive.GetIssueRequest(name=f"issues/{number}"))
    tale = f', tale "{issue.tale.title}"' if issue.HasField("tale") else ""
    log(f'get {issue.name}: "{issue.title}" by {issue.author or "?"}, '
        f"{len(issue.sections)} sections{tale}, revision {issue.revision}")


def search(stub, query):
    response = stub.Search(archive.SearchRequest(query=query, page_size=3))
    log(f'search "{query}": {response.total_size} results')
    for result in response.results:
        log(f"  {result.name}  {result.title}")


def follow(stub, start, state_file, max_events):
    """Streams changes from revision `start` on; returns the exit status."""
    next_revision = start
    printed = 0
    backoff = BACKOFF_MIN_S
    while True:
        call = stub.WatchIssues(archive.WatchIssuesRequest(
            start_revision=next_revision,
            progress_interval=duration_pb2.Duration(seconds=PROGRESS_INTERVAL_S),
            view=resources.ISSUE_VIEW_BASIC),
            # While the server is down, wait for the channel to reconnect
            # rather than fail at once and spin through the backoff.
            wait_for_ready=True)
        # A connection can die without a word (a peer gone, a dropped
        # route): PROGRESS arrives at least every PROGRESS_INTERVAL_S, so a
        # longer silence cancels the call and we reconnect.
        watchdog = None
        idle = threading.Event()

        def expire():
            idle.set()
            call.cancel()

        def arm():
            nonlocal watchdog
            if watchdog:
                watchdog.cancel()
            watchdog = threading.Timer(IDLE_TIMEOUT_S, expire)
            watchdog.daemon = True
            watchdog.start()

        try:
            arm()
            for event in call:
                arm()
                backoff = BACKOFF_MIN_S
                if event.type == archive.EVENT_TYPE_PROGRESS:
                    # The head: nothing at or below it will come, so it is a
                    # safe place to resume from too.
                    if event.revision >= next_revision:
                        next_revision = event.revision + 1
                        write_state(state_file, event.revision)
                    continue
                if event.type not in TYPE_NAMES or event.revision < next_revision:
                    continue  # an unknown kind, or already seen: never twice
                emit({"revision": event.revision, "issue": event.issue.number,
                      "type": TYPE_NAMES[event.type]})
                next_revision = event.revision + 1
                write_state(state_file, event.revision)
                printed += 1
                if max_events and printed >= max_events:
                    call.cancel()
                    return 0
            log(f"watch: the server ended the stream; resuming from {next_revision}")
        except grpc.RpcError as error:
            code = error.code()
            if code == grpc.StatusCode.OUT_OF_RANGE:
                log(f"watch: revision {next_revision} is older than the server keeps: "
                    f"{error.details()} (delete {state_file} or pass --from to start again)")
                return 3
            if code not in RETRYABLE:
                log(f"watch: {code.name}: {error.details()}")
                return 1
            why = f"no event in {IDLE_TIMEOUT_S} s" if idle.is_set() else f"{code.name}: {error.details()}"
            log(f"watch: {why}; resuming from {next_revision} in {backoff:.1f} s")
        finally:
            if watchdog:
                watchdog.cancel()
        # Exponential backoff with jitter, so clients of a restarted server
        # do not all come back at once.
        time.sleep(backoff * random.uniform(0.5, 1.0))
        backoff = min(backoff * 2, BACKOFF_MAX_S)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="127.0.0.1:50051", help="HOST:PORT")
    parser.add_argument("--from", dest="start", type=int,
                        help="follow from this revision (default: after the saved one)")
    parser.add_argument("--max_events", type=int, default=0,
                        help="exit after this many changes (0: follow forever)")
    parser.add_argument("--state_file", default="importai-python.revision",
                        help="where the last revision seen is kept")
    parser.add_argument("--page_size", type=int, default=5)
    parser.add_argument("--search", default="model*", help="a search query")
    args = parser.parse_args()

    # The channel reconnects on its own schedule too: keep it as brisk as
    # ours (its default waits 1 s, then up to 2 minutes).
    options = [("grpc.initial_reconnect_backoff_ms", int(BACKOFF_MIN_S * 1000)),
               ("grpc.max_reconnect_backoff_ms", int(BACKOFF_MAX_S * 1000))]
    with grpc.insecure_channel(args.server, options=options) as channel:
        stub = archive_grpc.ArchiveServiceStub(channel)
        try:
            # The head before listing: following from head + 1 misses nothing
            # the list did not show.
            head = stub.GetFeedInfo(archive.GetFeedInfoRequest()).head_revision
            numbers = list_issues(stub, args.page_size)
            if numbers:
                show_issue(stub, numbers[0])
            search(stub, args.search)
        except grpc.RpcError as error:
            log(f"{error.code().name}: {error.details()}")
            return 1
        if args.start is not None:
            start = args.start
        else:
            saved = read_state(args.state_file)
            start = saved + 1 if saved is not None else head + 1
        log(f"watch: following from revision {start}")
        return follow(stub, start, args.state_file, args.max_events)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
