#include "cmd/cli/ingest.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cmd/cli/text_format.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"

namespace importai::cli {
namespace {

// Erases the progress line: back to the start of the line, clear to its end.
constexpr char kEraseLine[] = "\r\033[K";

std::string Plural(int count, absl::string_view one, absl::string_view many) {
  return absl::StrCat(count, " ", count == 1 ? one : many);
}

// Errors every later request of the run would meet too: sending the other
// files only repeats them.
bool EndsTheRun(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::UNIMPLEMENTED:
      return true;
    default:
      return false;
  }
}

// `text` as a JSON string, quoted and escaped.
std::string JsonString(const std::string& text) {
  google::protobuf::Value value;
  value.set_string_value(text);
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(value, &json);
  return json;
}

bool ReadInput(const std::string& file, std::string* text) {
  if (file == "-") {
    text->assign(std::istreambuf_iterator<char>(std::cin), {});
    return !std::cin.bad();
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  text->assign(std::istreambuf_iterator<char>(in), {});
  return !in.bad();
}

// One `importai ingest` invocation.
class IngestRun {
 public:
  IngestRun(v1::IngestService::StubInterface& stub, const CliOptions& options,
            std::ostream& out, std::ostream& err)
      : stub_(stub), options_(options), out_(out), err_(err) {}

  int Run(const std::vector<std::string>& files) {
    tally_.files = static_cast<int>(files.size());
    ShowProgress();
    for (size_t i = 0; i < files.size(); ++i) {
      if (!Send(files[i])) {
        const int unsent = static_cast<int>(files.size() - i - 1);
        if (unsent > 0) {
          Report(absl::StrCat("importai: ingest: stopped; ",
                              Plural(unsent, "file was", "files were"),
                              " not sent"));
        }
        break;
      }
      ShowProgress();
    }
    ClearProgress();
    const std::string summary =
        FormatIngestSummary(tally_, options_.validate_only);
    (options_.json ? err_ : out_) << summary << "\n";
    out_.flush();
    for (const auto& [file, result] : rejected_) {
      err_ << "importai: " << file << ": REJECTED: " << result.error() << "\n";
    }
    return tally_.files_failed == 0 && tally_.rejected == 0 ? kExitOk
                                                            : kExitFailed;
  }

 private:
  // Ingests one file; false if the run should stop.
  bool Send(const std::string& file) {
    v1::IngestIssuesRequest request;
    if (!ReadInput(file, request.mutable_text())) {
      Fail(file, "INVALID_ARGUMENT",
           absl::StrCat("cannot read \"", file, "\""));
      return true;
    }
    request.set_source(options_.source.empty() ? file : options_.source);
    request.set_validate_only(options_.validate_only);
    request.set_format(options_.format);
    request.set_allow_partial(options_.allow_partial);
    v1::IngestIssuesResponse response;
    const grpc::Status status = stub_.IngestIssues(
        NewCallContext(options_, /*write=*/true).get(), request, &response);
    if (!status.ok()) {
      Fail(file, StatusCodeName(status.error_code()), status.error_message());
      return !EndsTheRun(status.error_code());
    }
    ++tally_.files_done;
    tally_.Add(response);
    for (const v1::IngestResult& result : response.results()) {
      if (result.outcome() == v1::INGEST_OUTCOME_REJECTED) {
        rejected_.emplace_back(file, result);
      }
    }
    ClearProgress();
    if (options_.json) {
      std::string json = FormatJsonLine(response);
      out_ << "{\"file\":" << JsonString(file)
           << ",\"response\":" << json.substr(0, json.size() - 1) << "}\n";
    } else {
      for (const v1::IngestResult& result : response.results()) {
        out_ << FormatIngestResult(result);
      }
      IngestTally this_file;
      this_file.Add(response);
      out_ << file << ": "
           << Plural(this_file.issues, "issue copy", "issue copies") << ": "
           << FormatOutcomeCounts(this_file) << "\n";
    }
    out_.flush();
    return true;
  }

  void Fail(const std::string& file, absl::string_view code,
            absl::string_view message) {
    ++tally_.files_failed;
    ClearProgress();
    if (options_.json) {
      out_ << "{\"file\":" << JsonString(file)
           << ",\"error\":{\"code\":" << JsonString(std::string(code))
           << ",\"message\":" << JsonString(std::string(message)) << "}}\n";
      out_.flush();
    }
    Report(absl::StrCat("importai: ingest ", file, ": ", code, ": ", message));
  }

  // A line to `err_` under the progress line.
  void Report(absl::string_view line) {
    ClearProgress();
    err_ << line << "\n";
  }

  void ShowProgress() {
    if (!options_.progress) return;
    err_ << kEraseLine << "importai: " << FormatIngestProgress(tally_)
         << std::flush;
    progress_shown_ = true;
  }

  void ClearProgress() {
    if (!progress_shown_) return;
    err_ << kEraseLine << std::flush;
    progress_shown_ = false;
  }

  v1::IngestService::StubInterface& stub_;
  const CliOptions& options_;
  std::ostream& out_;
  std::ostream& err_;
  IngestTally tally_;
  std::vector<std::pair<std::string, v1::IngestResult>> rejected_;
  bool progress_shown_ = false;
};

}  // namespace

std::optional<v1::InputFormat> ParseInputFormat(absl::string_view name) {
  if (name == "auto") return v1::INPUT_FORMAT_UNSPECIFIED;
  if (name == "text") return v1::INPUT_FORMAT_TEXT;
  if (name == "markdown") return v1::INPUT_FORMAT_MARKDOWN;
  if (name == "html") return v1::INPUT_FORMAT_HTML;
  if (name == "feed") return v1::INPUT_FORMAT_FEED;
  return std::nullopt;
}

void IngestTally::Add(const v1::IngestIssuesResponse& response) {
  head_revision = response.head_revision();
  for (const v1::IngestResult& result : response.results()) {
    ++issues;
    switch (result.outcome()) {
      case v1::INGEST_OUTCOME_CREATED:
        ++created;
        break;
      case v1::INGEST_OUTCOME_UPDATED:
        ++updated;
        break;
      case v1::INGEST_OUTCOME_UNCHANGED:
        ++unchanged;
        break;
      case v1::INGEST_OUTCOME_REJECTED:
        ++rejected;
        break;
      default:
        break;
    }
  }
}

std::string FormatOutcomeCounts(const IngestTally& tally) {
  return absl::StrCat(tally.created, " created, ", tally.updated, " updated, ",
                      tally.unchanged, " unchanged, ", tally.rejected,
                      " rejected");
}

std::string FormatIngestProgress(const IngestTally& tally) {
  return absl::StrCat(tally.files_done + tally.files_failed, "/", tally.files,
                      " files, ", Plural(tally.issues, "issue", "issues"), ": ",
                      FormatOutcomeCounts(tally));
}

std::string FormatIngestSummary(const IngestTally& tally, bool validate_only) {
  std::string files = Plural(tally.files, "file", "files");
  if (tally.files_failed > 0) {
    files = absl::StrCat(tally.files_done, " of ", files, " (",
                         tally.files_failed, " failed)");
  }
  std::string out =
      absl::StrCat(validate_only ? "validated " : "ingested ", files, ": ",
                   Plural(tally.issues, "issue", "issues"), "; ",
                   FormatOutcomeCounts(tally));
  if (tally.head_revision.has_value()) {
    absl::StrAppend(&out, "; head revision ", *tally.head_revision);
  }
  if (validate_only) absl::StrAppend(&out, "; nothing stored");
  return out;
}

int RunIngest(v1::IngestService::StubInterface& stub, const CliOptions& options,
              const std::vector<std::string>& files, std::ostream& out,
              std::ostream& err) {
  return IngestRun(stub, options, out, err).Run(files);
}

}  // namespace importai::cli
