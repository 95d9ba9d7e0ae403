#include "cmd/feed_bench/etcd_feed.h"

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/client_context.h"

namespace importai::feed_bench {
namespace {

constexpr absl::string_view kKeyPrefix = "issues/";
// The prefix with its last byte plus one: etcd's way to say "every key
// starting with the prefix".
constexpr absl::string_view kKeyRangeEnd = "issues0";
constexpr absl::Duration kStartTimeout = absl::Seconds(30);
constexpr absl::Duration kCallTimeout = absl::Seconds(30);

std::string Key(int number) { return absl::StrCat(kKeyPrefix, number); }

etcdserverpb::PutRequest PutOf(const v1::Issue& payload, int number) {
  v1::Issue issue = payload;
  issue.set_number(number);
  issue.set_name(Key(number));
  etcdserverpb::PutRequest put;
  put.set_key(Key(number));
  put.set_value(issue.SerializeAsString());
  return put;
}

std::string Url(int port) { return absl::StrCat("http://127.0.0.1:", port); }

}  // namespace

void KeyWatcher::Start(Stub* stub) {
  stub->async()->Watch(&context_, this);
  StartWrite(create_);
  StartRead(&response_);
  StartCall();
}

void KeyWatcher::OnReadDone(bool ok) {
  if (!ok) return;  // the stream ended; OnDone follows
  if (response_.created()) tally_->MarkReady();
  if (response_.canceled()) {
    tally_->MarkFailed("etcd canceled the watch: " + response_.cancel_reason());
  }
  for (const mvccpb::Event& event : response_.events()) Handle(event);
  // Swapping with a fresh message frees the events (Clear() would keep
  // their values allocated for reuse), so an idle watcher holds no payload.
  etcdserverpb::WatchResponse spent;
  spent.Swap(&response_);
  StartRead(&response_);
}

void KeyWatcher::OnDone(const grpc::Status& status) {
  tally_->MarkFinished(status);  // last: the owner may free us after this
}

void KeyWatcher::Handle(const mvccpb::Event& event) {
  absl::string_view key = event.kv().key();
  int64_t number = 0;
  const bool ours = event.type() == mvccpb::Event::PUT &&
                    absl::ConsumePrefix(&key, kKeyPrefix) &&
                    absl::SimpleAtoi(key, &number);
  const int index = ours ? plan_->IndexOfNumber(number) : -1;
  if (index < 0) {
    ledger_.CountUnexpected();
    return;
  }
  const bool matches = PayloadMatches(event.kv(), number);
  const Nanos now = NowNanos();  // after decoding, as for importai events
  if (!matches) ledger_.CountMismatch();
  if (ledger_.Record(index, now)) tally_->MarkDelivered(index);
}

bool KeyWatcher::PayloadMatches(const mvccpb::KeyValue& kv,
                                int64_t number) const {
  const int index = plan_->IndexOfNumber(number);
  if (kv.mod_revision() != plan_->RevisionOf(index)) return false;
  if (!decode_values_) return true;
  v1::Issue issue;
  return issue.ParseFromString(kv.value()) && issue.number() == number;
}

absl::StatusOr<std::unique_ptr<EtcdFeed>> EtcdFeed::Start(
    const std::string& etcd_binary, const v1::Issue& payload, int writes,
    bool decode_values) {
  std::unique_ptr<EtcdFeed> feed(new EtcdFeed(decode_values));
  if (absl::Status launched = feed->Launch(etcd_binary); !launched.ok()) {
    return launched;
  }
  if (absl::Status serving = feed->AwaitServing(); !serving.ok()) {
    return serving;
  }
  auto warm = feed->Put(PutOf(payload, kWarmUpNumber), kCallTimeout);
  if (!warm.ok()) return warm.status();
  feed->head_revision_ = warm->header().revision();
  for (int i = 0; i < writes; ++i) {
    feed->writes_.push_back(PutOf(payload, kFirstWriteNumber + i));
  }
  etcdserverpb::WatchCreateRequest* create =
      feed->watch_request_.mutable_create_request();
  create->set_key(std::string(kKeyPrefix));
  create->set_range_end(std::string(kKeyRangeEnd));
  return feed;
}

EtcdFeed::~EtcdFeed() {
  subscribers_.Release(/*all_finished=*/false);
  if (server_ != nullptr) server_->Stop(absl::Seconds(5));
}

absl::Status EtcdFeed::Launch(const std::string& etcd_binary) {
  auto client_port = FreeLoopbackPort();
  auto peer_port = FreeLoopbackPort();
  if (!client_port.ok()) return client_port.status();
  if (!peer_port.ok()) return peer_port.status();
  const std::string client = Url(*client_port);
  const std::string peer = Url(*peer_port);
  auto server = ChildProcess::Spawn(
      {etcd_binary, "--name=feed-bench", "--data-dir=" + dir_.path() + "/data",
       "--listen-client-urls=" + client, "--advertise-client-urls=" + client,
       "--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
       "--initial-cluster=feed-bench=" + peer, "--logger=zap",
       "--log-level=warn"},
      dir_.path() + "/etcd.log", /*pipe_stdout=*/false);
  if (!server.ok()) return server.status();
  server_ = std::move(*server);
  address_ = absl::StrCat("127.0.0.1:", *client_port);
  kv_ = etcdserverpb::KV::NewStub(NewConnection(address_, -1));
  return absl::OkStatus();
}

// etcd says nothing on stdout when ready; a Put that succeeds is the sign.
absl::Status EtcdFeed::AwaitServing() {
  etcdserverpb::PutRequest probe;
  probe.set_key("feed-bench/ready");
  const absl::Time deadline = absl::Now() + kStartTimeout;
  absl::Status last;
  while (absl::Now() < deadline && server_->Running()) {
    auto put = Put(probe, absl::Seconds(1));
    if (put.ok()) return absl::OkStatus();
    last = put.status();
    absl::SleepFor(absl::Milliseconds(100));
  }
  return absl::UnavailableError(
      absl::StrCat("etcd is not serving (", last.ToString(),
                   "); its log ends with:\n", server_->LogTail(2000)));
}

absl::StatusOr<etcdserverpb::PutResponse> EtcdFeed::Put(
    const etcdserverpb::PutRequest& request, absl::Duration timeout) {
  etcdserverpb::PutResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  context.set_wait_for_ready(true);
  const grpc::Status status = kv_->Put(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        "etcd Put: " + status.error_message());
  }
  return response;
}

void EtcdFeed::Subscribe(int count, int per_connection, const WritePlan* plan,
                         RunTally* tally) {
  subscribers_.Open(address_, count, per_connection, plan, tally,
                    &watch_request_, decode_values_);
}

absl::Status EtcdFeed::Write(const WritePlan& plan, int index) {
  auto put = Put(writes_[index], kCallTimeout);
  if (!put.ok()) return put.status();
  if (put->header().revision() != plan.RevisionOf(index)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "etcd stored ", writes_[index].key(), " at revision ",
        put->header().revision(), "; expected ", plan.RevisionOf(index)));
  }
  return absl::OkStatus();
}

}  // namespace importai::feed_bench
