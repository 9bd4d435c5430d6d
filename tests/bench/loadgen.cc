// A closed-loop gRPC load generator for policyd: keeps CONCURRENCY calls in
// flight (optionally paced to a target rate) for a duration and reports
// throughput and latency percentiles. Calls are ext_authz Checks built from
// a workload's input.json (protobuf JSON of a CheckRequest) or Decision API
// Decides of a path with that input.
//
//   loadgen --addr 127.0.0.1:9191 --api ext_authz --input input.json
//           [--concurrency 32] [--duration 10s] [--rate 0] [--threads 1]
//   loadgen --api decide --path envoy/authz/decision --input input.json
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "policyd/v1/decision.grpc.pb.h"
#include "util/files.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace auth = envoy::service::auth::v3;

struct Options {
  std::string addr = "127.0.0.1:9191";
  std::string api = "ext_authz";
  std::string path = "envoy/authz/allow";
  std::string input;
  int concurrency = 32;
  int threads = 1;
  double seconds = 10;
  double rate = 0;  // calls per second over all threads; 0: as fast as it goes
};

// One call slot: a request in flight or waiting for its send time.
struct Call {
  grpc::ClientContext* context = nullptr;
  grpc::Status status;
  auth::CheckResponse check;
  policyd::v1::DecideResponse decide;
  std::unique_ptr<grpc::ClientAsyncResponseReader<auth::CheckResponse>> check_reader;
  std::unique_ptr<grpc::ClientAsyncResponseReader<policyd::v1::DecideResponse>>
      decide_reader;
  Clock::time_point sent;
};

struct Result {
  std::vector<double> latencies_us;
  uint64_t errors = 0;
};

void Run(const Options& options, const std::shared_ptr<grpc::Channel>& channel,
         const auth::CheckRequest& check, const policyd::v1::DecideRequest& decide,
         int slots, double rate, Clock::time_point start, Clock::time_point end,
         Result* result) {
  auto authz = auth::Authorization::NewStub(channel);
  auto decisions = policyd::v1::DecisionService::NewStub(channel);
  grpc::CompletionQueue cq;
  std::vector<Call> calls(slots);
  std::vector<Call*> idle;
  for (Call& call : calls) idle.push_back(&call);
  auto send = [&](Call* call) {
    delete call->context;
    call->context = new grpc::ClientContext();
    call->sent = Clock::now();
    if (options.api == "ext_authz") {
      call->check_reader = authz->AsyncCheck(call->context, check, &cq);
      call->check_reader->Finish(&call->check, &call->status, call);
    } else {
      call->decide_reader = decisions->AsyncDecide(call->context, decide, &cq);
      call->decide_reader->Finish(&call->decide, &call->status, call);
    }
  };
  // Paced: call number n is due at start + n / rate; a due call waits only
  // for an idle slot. The thread never sleeps while calls are in flight, so
  // each latency is taken when the answer arrives.
  const auto period = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(rate > 0 ? 1.0 / rate : 0));
  auto next_due = start;
  std::this_thread::sleep_until(start);
  int in_flight = 0;
  while (true) {
    auto now = Clock::now();
    while (!idle.empty() && now < end && (rate <= 0 || now >= next_due)) {
      send(idle.back());
      idle.pop_back();
      ++in_flight;
      next_due += period;
    }
    if (in_flight == 0 && now >= end) break;
    auto deadline = end;
    if (rate > 0 && !idle.empty() && next_due < deadline) deadline = next_due;
    if (in_flight == 0) {
      std::this_thread::sleep_until(deadline);
      continue;
    }
    void* tag;
    bool ok;
    grpc::CompletionQueue::NextStatus status = cq.AsyncNext(
        &tag, &ok,
        std::chrono::system_clock::now() +
            std::chrono::duration_cast<std::chrono::system_clock::duration>(
                deadline - Clock::now()));
    if (status == grpc::CompletionQueue::SHUTDOWN) break;
    if (status != grpc::CompletionQueue::GOT_EVENT) continue;
    Call* call = static_cast<Call*>(tag);
    if (call->status.ok()) {
      result->latencies_us.push_back(std::chrono::duration<double, std::micro>(
                                         Clock::now() - call->sent)
                                         .count());
    } else {
      ++result->errors;
    }
    --in_flight;
    idle.push_back(call);
  }
  for (Call& call : calls) delete call.context;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p / 100.0 * (sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

bool ParseArgs(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) return false;
    std::string value = argv[++i];
    if (arg == "--addr") options->addr = value;
    else if (arg == "--api") options->api = value;
    else if (arg == "--path") options->path = value;
    else if (arg == "--input") options->input = value;
    else if (arg == "--concurrency") options->concurrency = std::stoi(value);
    else if (arg == "--threads") options->threads = std::stoi(value);
    else if (arg == "--duration") options->seconds = std::stod(value);
    else if (arg == "--rate") options->rate = std::stod(value);
    else return false;
  }
  return !options->input.empty() &&
         (options->api == "ext_authz" || options->api == "decide") &&
         options->concurrency >= options->threads && options->threads > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseArgs(argc, argv, &options)) {
    std::fprintf(stderr,
                 "usage: loadgen --input input.json [--addr HOST:PORT] "
                 "[--api ext_authz|decide] [--path P] [--concurrency N] "
                 "[--threads N] [--duration SECONDS] [--rate PER_SECOND]\n");
    return 2;
  }
  absl::StatusOr<std::string> text = policyd::ReadFile(options.input);
  if (!text.ok()) {
    std::fprintf(stderr, "loadgen: %s\n", std::string(text.status().message()).c_str());
    return 1;
  }
  auth::CheckRequest check;
  google::protobuf::util::JsonParseOptions json;
  json.ignore_unknown_fields = true;
  if (options.api == "ext_authz" &&
      !google::protobuf::util::JsonStringToMessage(*text, &check, json).ok()) {
    std::fprintf(stderr, "loadgen: %s is not a CheckRequest in JSON\n",
                 options.input.c_str());
    return 1;
  }
  policyd::v1::DecideRequest decide;
  decide.set_path(options.path);
  decide.mutable_input()->set_json(*text);

  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<Result> results(options.threads);
  std::vector<std::thread> threads;
  auto start = Clock::now() + std::chrono::milliseconds(100);
  auto end = start + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(options.seconds));
  for (int t = 0; t < options.threads; ++t) {
    // A channel per thread, each its own connection.
    grpc::ChannelArguments args;
    args.SetInt("grpc.channel_id", t);
    channels.push_back(grpc::CreateCustomChannel(
        options.addr, grpc::InsecureChannelCredentials(), args));
    int slots = options.concurrency / options.threads +
                (t < options.concurrency % options.threads ? 1 : 0);
    double rate = options.rate / options.threads;
    threads.emplace_back(Run, std::cref(options), channels.back(),
                         std::cref(check), std::cref(decide), slots, rate,
                         start, end, &results[t]);
  }
  for (auto& t : threads) t.join();
  double elapsed =
      std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  uint64_t errors = 0;
  for (Result& r : results) {
    all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
    errors += r.errors;
  }
  std::sort(all.begin(), all.end());
  std::printf(
      "api=%s concurrency=%d rate=%s calls=%zu errors=%llu "
      "throughput=%.0f/s p50=%.0fus p90=%.0fus p99=%.0fus p99.9=%.0fus\n",
      options.api.c_str(), options.concurrency,
      options.rate > 0 ? std::to_string(static_cast<int>(options.rate)).c_str()
                       : "max",
      all.size(), static_cast<unsigned long long>(errors), all.size() / elapsed,
      Percentile(all, 50), Percentile(all, 90), Percentile(all, 99),
      Percentile(all, 99.9));
  return errors == 0 ? 0 : 1;
}
