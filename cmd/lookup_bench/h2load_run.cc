#include "cmd/lookup_bench/h2load_run.h"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "cmd/feed_bench/child_process.h"

namespace importai::lookup_bench {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The integer just before `suffix` in `line` ("... 12 done, ..." with
// suffix " done"), or -1.
int64_t NumberBefore(absl::string_view line, absl::string_view suffix) {
  const size_t end = line.find(suffix);
  if (end == absl::string_view::npos) return -1;
  size_t start = end;
  while (start > 0 && absl::ascii_isdigit(line[start - 1])) --start;
  int64_t value = -1;
  if (!absl::SimpleAtoi(line.substr(start, end - start), &value)) return -1;
  return value;
}

// "finished in 1.23s, 8123.45 req/s, 190.32MB/s"
double RequestsPerSecond(absl::string_view line) {
  const size_t end = line.find(" req/s");
  const size_t start = line.rfind(", ", end);
  double value = -1;
  if (end == absl::string_view::npos || start == absl::string_view::npos ||
      !absl::SimpleAtod(line.substr(start + 2, end - start - 2), &value)) {
    return -1;
  }
  return value;
}

absl::Status ParseSummary(absl::string_view output, H2loadResult* result) {
  bool saw_finished = false, saw_requests = false, saw_codes = false,
       saw_traffic = false;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (absl::ConsumePrefix(&line, "finished in ")) {
      result->requests_per_second = RequestsPerSecond(line);
      saw_finished = result->requests_per_second >= 0;
    } else if (absl::ConsumePrefix(&line, "requests: ")) {
      result->done = NumberBefore(line, " done");
      result->succeeded = NumberBefore(line, " succeeded");
      result->failed = NumberBefore(line, " failed");
      result->errored = NumberBefore(line, " errored");
      result->timed_out = NumberBefore(line, " timeout");
      saw_requests = result->done >= 0 && result->succeeded >= 0 &&
                     result->failed >= 0 && result->errored >= 0 &&
                     result->timed_out >= 0;
    } else if (absl::ConsumePrefix(&line, "status codes: ")) {
      result->status_2xx = NumberBefore(line, " 2xx");
      saw_codes = result->status_2xx >= 0;
    } else if (absl::ConsumePrefix(&line, "traffic: ")) {
      // "... 233.75MB (245100000) data"
      result->data_bytes = NumberBefore(line, ") data");
      saw_traffic = result->data_bytes >= 0;
    }
  }
  if (saw_finished && saw_requests && saw_codes && saw_traffic) {
    return absl::OkStatus();
  }
  return absl::InternalError(
      absl::StrCat("cannot read h2load's summary; it printed:\n", output));
}

// Tab-separated: start time (µs since the epoch), HTTP status, µs until
// the end of the response.
absl::Status ParseLog(const std::string& path, H2loadResult* result) {
  std::ifstream in(path);
  if (!in) return absl::InternalError("no h2load log at " + path);
  std::string line;
  result->micros.clear();
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<absl::string_view> columns = absl::StrSplit(line, '\t');
    int64_t status = 0, micros = 0;
    if (columns.size() < 3 || !absl::SimpleAtoi(columns[1], &status) ||
        !absl::SimpleAtoi(columns[2], &micros)) {
      return absl::InternalError(
          absl::StrCat("unexpected h2load log line \"", line, "\" in ", path));
    }
    ++result->log_rows;
    if (status != 200) ++result->log_not_200;
    result->micros.push_back(micros);
  }
  std::sort(result->micros.begin(), result->micros.end());
  return absl::OkStatus();
}

}  // namespace

std::string GrpcFramed(absl::string_view message) {
  const uint32_t size = static_cast<uint32_t>(message.size());
  std::string framed(5, '\0');
  framed[1] = static_cast<char>(size >> 24);
  framed[2] = static_cast<char>(size >> 16);
  framed[3] = static_cast<char>(size >> 8);
  framed[4] = static_cast<char>(size);
  framed.append(message.data(), message.size());
  return framed;
}

int64_t Percentile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return -1;
  size_t rank = static_cast<size_t>(std::ceil(p * sorted.size()));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

absl::StatusOr<H2loadResult> RunH2load(const H2loadRun& run,
                                       int timeout_seconds) {
  const std::string output_path = run.work_prefix + ".out";
  const std::string log_path = run.work_prefix + ".log";
  std::remove(log_path.c_str());
  auto h2load = feed_bench::ChildProcess::Spawn(
      {run.h2load_binary, "-n", absl::StrCat(run.requests), "-c",
       absl::StrCat(run.connections), "-m", absl::StrCat(run.streams), "-t",
       "1", "-d", run.body_file, "-H", "content-type: application/grpc", "-H",
       "te: trailers", "--log-file=" + log_path,
       absl::StrCat("http://", run.address, run.path)},
      output_path, /*pipe_stdout=*/false);
  if (!h2load.ok()) return h2load.status();
  const absl::Time deadline = absl::Now() + absl::Seconds(timeout_seconds);
  while ((*h2load)->Running()) {
    if (absl::Now() > deadline) {
      (*h2load)->Stop(absl::Seconds(1));
      return absl::DeadlineExceededError(absl::StrCat(
          "h2load did not finish within ", timeout_seconds, " s: ", run.path));
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  H2loadResult result;
  if (absl::Status parsed = ParseSummary(ReadAll(output_path), &result);
      !parsed.ok()) {
    return parsed;
  }
  if (absl::Status logged = ParseLog(log_path, &result); !logged.ok()) {
    return logged;
  }
  std::remove(log_path.c_str());  // can be tens of MB
  return result;
}

absl::Status Check(const H2loadResult& result, int64_t requests,
                   int64_t framed_response_bytes) {
  std::vector<std::string> problems;
  if (result.done != requests || result.succeeded != requests) {
    problems.push_back(absl::StrCat(result.done, " done and ",
                                    result.succeeded, " succeeded of ",
                                    requests));
  }
  if (result.failed != 0 || result.errored != 0 || result.timed_out != 0) {
    problems.push_back(absl::StrCat(result.failed, " failed, ",
                                    result.errored, " errored, ",
                                    result.timed_out, " timed out"));
  }
  if (result.status_2xx != requests) {
    problems.push_back(
        absl::StrCat(result.status_2xx, " HTTP 2xx of ", requests));
  }
  if (result.log_rows != requests || result.log_not_200 != 0) {
    problems.push_back(absl::StrCat(result.log_rows, " logged requests, ",
                                    result.log_not_200, " not HTTP 200"));
  }
  const int64_t expected = requests * framed_response_bytes;
  if (result.data_bytes != expected) {
    problems.push_back(absl::StrCat(
        result.data_bytes, " DATA bytes received; ", requests,
        " answers of ", framed_response_bytes, " bytes make ", expected,
        " (a gRPC error carries no DATA)"));
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrJoin(problems, "; "));
}

}  // namespace importai::lookup_bench
