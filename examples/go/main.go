// Command importai-client is a small Import AI Archive client: it lists the
// issues page by page, reads one, searches, then follows the change feed.
//
// stdout carries one JSON object a line: {"issue": N} per listed issue, then
// {"revision": R, "issue": N, "type": "CREATED"|"UPDATED"} per change. What it
// reads and searches, and each reconnection, goes to stderr.
//
// The feed position is the last revision seen (a change, or a PROGRESS head),
// kept in -state_file after every event, so a restarted client resumes from it
// + 1. -from overrides the file; with neither, the client starts after the
// head it saw before listing.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	pb "importai/v1"
)

const (
	progressInterval = 10 * time.Second     // the server sends PROGRESS at least this often
	idleTimeout      = 3 * progressInterval // a longer silence: reconnect
	backoffMin       = 100 * time.Millisecond
	backoffMax       = 10 * time.Second
)

// retryable: worth another try after a backoff: the server restarting or
// draining (Unavailable), a stalled stream it ended (Canceled, also our idle
// watchdog), a subscriber limit, a broken connection.
var retryable = map[codes.Code]bool{
	codes.Unavailable: true, codes.Canceled: true, codes.ResourceExhausted: true,
	codes.Aborted: true, codes.Internal: true, codes.Unknown: true,
}

var typeNames = map[pb.EventType]string{
	pb.EventType_EVENT_TYPE_CREATED: "CREATED",
	pb.EventType_EVENT_TYPE_UPDATED: "UPDATED",
}

var stdout = json.NewEncoder(os.Stdout)

func logf(format string, args ...interface{}) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

type listed struct {
	Issue int32 `json:"issue"`
}

type change struct {
	Revision int64  `json:"revision"`
	Issue    int32  `json:"issue"`
	Type     string `json:"type"`
}

// readState returns the saved revision, or -1 when there is none.
func readState(path string) (int64, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return -1, nil
	} else if err != nil {
		return 0, err
	}
	return strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
}

// writeState writes a temporary file and renames it: a crash leaves the old
// or the new revision, never a torn one.
func writeState(path string, revision int64) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "%d\n", revision)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func listIssues(ctx context.Context, client pb.ArchiveServiceClient, pageSize int32) ([]int32, error) {
	var numbers []int32
	req := &pb.ListIssuesRequest{PageSize: pageSize, View: pb.IssueView_ISSUE_VIEW_BASIC}
	for {
		resp, err := client.ListIssues(ctx, req)
		if err != nil {
			return nil, err
		}
		for _, issue := range resp.GetIssues() {
			stdout.Encode(listed{Issue: issue.GetNumber()})
			numbers = append(numbers, issue.GetNumber())
		}
		if resp.GetNextPageToken() == "" {
			return numbers, nil
		}
		req.PageToken = resp.GetNextPageToken()
	}
}

func showIssue(ctx context.Context, client pb.ArchiveServiceClient, number int32) error {
	issue, err := client.GetIssue(ctx, &pb.GetIssueRequest{Name: fmt.Sprintf("issues/%d", number)})
	if err != nil {
		return err
	}
	tale, author := "", issue.GetAuthor()
	if issue.GetTale() != nil {
		tale = fmt.Sprintf(", tale %q", issue.GetTale().GetTitle())
	}
	if author == "" {
		author = "?"
	}
	logf("get %s: %q by %s, %d sections%s, revision %d", issue.GetName(), issue.GetTitle(),
		author, len(issue.GetSections()), tale, issue.GetRevision())
	return nil
}

func search(ctx context.Context, client pb.ArchiveServiceClient, query string) error {
	resp, err := client.Search(ctx, &pb.SearchRequest{Query: query, PageSize: 3})
	if err != nil {
		return err
	}
	logf("search %q: %d results", query, resp.GetTotalSize())
	for _, result := range resp.GetResults() {
		logf("  %s  %s", result.GetName(), result.GetTitle())
	}
	return nil
}

// follower keeps the feed position across calls.
type follower struct {
	client    pb.ArchiveServiceClient
	next      int64 // the revision to ask for
	stateFile string
	maxEvents int
	printed   int
}

// watchOnce runs one WatchIssues call until it ends; a nil error means
// maxEvents changes were printed.
func (f *follower) watchOnce(resetBackoff func()) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// A connection can die without a word (a peer gone, a dropped route):
	// PROGRESS arrives at least every progressInterval, so a longer silence
	// cancels the call and we reconnect.
	watchdog := time.AfterFunc(idleTimeout, cancel)
	defer watchdog.Stop()
	idle := func(err error) error { // says so when the watchdog ended the call
		if !watchdog.Stop() && status.Code(err) == codes.Canceled {
			return status.Errorf(codes.Canceled, "no event in %v", idleTimeout)
		}
		return err
	}
	stream, err := f.client.WatchIssues(ctx, &pb.WatchIssuesRequest{
		StartRevision:    f.next,
		ProgressInterval: durationpb.New(progressInterval),
		View:             pb.IssueView_ISSUE_VIEW_BASIC,
	}, grpc.WaitForReady(true)) // while the server is down, wait for the channel
	if err != nil {
		return idle(err)
	}
	for {
		event, err := stream.Recv()
		if err == io.EOF {
			return status.Error(codes.Unavailable, "the server ended the stream")
		} else if err != nil {
			return idle(err)
		}
		watchdog.Reset(idleTimeout)
		resetBackoff()
		if event.GetType() == pb.EventType_EVENT_TYPE_PROGRESS {
			// The head: nothing at or below it will come, so it is a safe
			// place to resume from too.
			if event.GetRevision() >= f.next {
				f.next = event.GetRevision() + 1
				if err := writeState(f.stateFile, event.GetRevision()); err != nil {
					return err
				}
			}
			continue
		}
		name, known := typeNames[event.GetType()]
		if !known || event.GetRevision() < f.next {
			continue // an unknown kind, or already seen: never twice
		}
		stdout.Encode(change{Revision: event.GetRevision(), Issue: event.GetIssue().GetNumber(), Type: name})
		f.next = event.GetRevision() + 1
		if err := writeState(f.stateFile, event.GetRevision()); err != nil {
			return err
		}
		f.printed++
		if f.maxEvents > 0 && f.printed >= f.maxEvents {
			return nil
		}
	}
}

// follow streams changes, reconnecting with backoff; returns the exit status.
func (f *follower) follow() int {
	delay := backoffMin
	for {
		err := f.watchOnce(func() { delay = backoffMin })
		if err == nil {
			return 0
		}
		st, isStatus := status.FromError(err)
		switch {
		case !isStatus:
			logf("watch: %v", err) // e.g. the state file cannot be written
			return 1
		case st.Code() == codes.OutOfRange:
			logf("watch: revision %d is older than the server keeps: %s (delete %s or pass -from to start again)",
				f.next, st.Message(), f.stateFile)
			return 3
		case !retryable[st.Code()]:
			logf("watch: %s: %s", st.Code(), st.Message())
			return 1
		}
		logf("watch: %s: %s; resuming from %d in %.1f s", st.Code(), st.Message(), f.next, delay.Seconds())
		// Exponential backoff with jitter, so clients of a restarted server
		// do not all come back at once.
		time.Sleep(time.Duration(float64(delay) * (0.5 + rand.Float64()/2)))
		if delay *= 2; delay > backoffMax {
			delay = backoffMax
		}
	}
}

func run() int {
	server := flag.String("server", "127.0.0.1:50051", "HOST:PORT")
	from := flag.Int64("from", -1, "follow from this revision (default: after the saved one)")
	maxEvents := flag.Int("max_events", 0, "exit after this many changes (0: follow forever)")
	stateFile := flag.String("state_file", "importai-go.revision", "where the last revision seen is kept")
	pageSize := flag.Int("page_size", 5, "issues per ListIssues page")
	query := flag.String("search", "model*", "a search query")
	flag.Parse()
	rand.Seed(time.Now().UnixNano())

	// The channel reconnects on its own schedule too: keep it as brisk as
	// ours (its default waits 1 s, then up to 2 minutes).
	conn, err := grpc.Dial(*server, grpc.WithInsecure(), grpc.WithConnectParams(grpc.ConnectParams{
		Backoff:           backoff.Config{BaseDelay: backoffMin, Multiplier: 1.6, Jitter: 0.2, MaxDelay: backoffMax},
		MinConnectTimeout: 20 * time.Second,
	}))
	if err != nil {
		logf("%v", err)
		return 1
	}
	defer conn.Close()
	client := pb.NewArchiveServiceClient(conn)

	ctx := context.Background()
	// The head before listing: following from head + 1 misses nothing the
	// list did not show.
	info, err := client.GetFeedInfo(ctx, &pb.GetFeedInfoRequest{})
	if err == nil {
		var numbers []int32
		if numbers, err = listIssues(ctx, client, int32(*pageSize)); err == nil && len(numbers) > 0 {
			err = showIssue(ctx, client, numbers[0])
		}
		if err == nil {
			err = search(ctx, client, *query)
		}
	}
	if err != nil {
		st := status.Convert(err)
		logf("%s: %s", st.Code(), st.Message())
		return 1
	}

	start := *from
	if start < 0 {
		saved, err := readState(*stateFile)
		if err != nil {
			logf("%s: %v", *stateFile, err)
			return 1
		}
		start = info.GetHeadRevision() + 1
		if saved >= 0 {
			start = saved + 1
		}
	}
	logf("watch: following from revision %d", start)
	f := &follower{client: client, next: start, stateFile: *stateFile, maxEvents: *maxEvents}
	return f.follow()
}

func main() { os.Exit(run()) }
