#ifndef IMPORTAI_SERVICES_TESTING_FEED_FIXTURE_H_
#define IMPORTAI_SERVICES_TESTING_FEED_FIXTURE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "common/testing/fixtures.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "importai/v1/archive_service.grpc.pb.h"
#include "services/testing/in_process_server.h"

namespace importai::services::testing {

// One open WatchIssues stream read by the test.
class Watcher {
 public:
  Watcher(v1::ArchiveService::Stub& stub, int64_t start_revision,
          absl::Duration progress = absl::Seconds(10),
          v1::IssueView view = v1::ISSUE_VIEW_UNSPECIFIED) {
    v1::WatchIssuesRequest request;
    request.set_start_revision(start_revision);
    request.set_view(view);
    *request.mutable_progress_interval() =
        google::protobuf::util::TimeUtil::NanosecondsToDuration(
            absl::ToInt64Nanoseconds(progress));
    context_.set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(120));
    reader_ = stub.WatchIssues(&context_, request);
  }

  // The next event, or nullopt when the stream ended.
  std::optional<v1::WatchIssuesResponse> Next() {
    v1::WatchIssuesResponse event;
    if (!reader_->Read(&event)) return std::nullopt;
    return event;
  }

  // Revisions of change events until `last` (inclusive); progress events are
  // checked against the invariant and skipped.
  std::vector<int64_t> ReadThrough(int64_t last) {
    std::vector<int64_t> revisions;
    int64_t progress_floor = 0;
    while (revisions.empty() || revisions.back() < last) {
      std::optional<v1::WatchIssuesResponse> event = Next();
      if (!event) break;
      if (event->type() == v1::EVENT_TYPE_PROGRESS) {
        progress_floor = event->revision();
        continue;
      }
      EXPECT_GT(event->revision(), progress_floor)
          << "an event at or below an earlier PROGRESS revision";
      revisions.push_back(event->revision());
    }
    return revisions;
  }

  grpc::Status Finish() { return reader_->Finish(); }
  void Cancel() { context_.TryCancel(); }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::WatchIssuesResponse>> reader_;
};

// Reads every watcher through `last`, all at once, each on its own thread;
// what each one saw, in order.
inline std::vector<std::vector<int64_t>> ReadEachThrough(
    const std::vector<std::unique_ptr<Watcher>>& watchers, int64_t last) {
  std::vector<std::vector<int64_t>> seen(watchers.size());
  std::vector<std::thread> readers;
  for (size_t i = 0; i < watchers.size(); ++i) {
    readers.emplace_back([&, i] { seen[i] = watchers[i]->ReadThrough(last); });
  }
  for (auto& reader : readers) reader.join();
  return seen;
}

inline std::vector<int64_t> Range(int64_t first, int64_t last) {
  std::vector<int64_t> out;
  for (int64_t r = first; r <= last; ++r) out.push_back(r);
  return out;
}

// The real server, with progress intervals down to 50 ms allowed so tests
// of idle streams run fast.
class FeedTest : public InProcessServerTest {
 protected:
  void SetUp() override { StartServer(Options()); }

  static ServerOptions Options() {
    ServerOptions options;
    options.feed.min_progress_interval = absl::Milliseconds(50);
    return options;
  }

  // Ingests `count` new issues numbered from `first`.
  void IngestMany(int first, int count) {
    for (int n = first; n < first + count; ++n) IngestOne(n);
  }

  // Ingests one new issue; returns its revision.
  int64_t IngestOne(int number, int variant = 0) {
    v1::IngestIssuesRequest request;
    request.set_text(importai::testing::SampleIssueText(number, variant));
    v1::IngestIssuesResponse response;
    grpc::ClientContext context;
    grpc::Status status = ingest_->IngestIssues(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return status.ok() ? response.results(0).revision() : 0;
  }
};

}  // namespace importai::services::testing

#endif  // IMPORTAI_SERVICES_TESTING_FEED_FIXTURE_H_
