// A closed-loop HTTP/1.1 load generator for POST /v1/admit: CONNECTIONS
// keep-alive connections, each with one request in flight, for a duration;
// reports throughput, latency percentiles and the answers' `allowed` counts.
//
//   admission_loadgen --port 8181 --body review.json [--connections 4]
//                     [--duration 10s]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Result {
  std::vector<double> latencies_us;
  uint64_t errors = 0;
  uint64_t denied = 0;
};

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads one response (Content-Length framed) from `fd`; its body, or false.
bool ReadResponse(int fd, std::string* buffer, std::string* body) {
  while (true) {
    size_t head = buffer->find("\r\n\r\n");
    if (head != std::string::npos) {
      size_t cl = buffer->find("Content-Length: ");
      if (cl == std::string::npos || cl > head) return false;
      size_t length = std::stoul(buffer->substr(cl + 16));
      if (buffer->size() >= head + 4 + length) {
        *body = buffer->substr(head + 4, length);
        buffer->erase(0, head + 4 + length);
        return true;
      }
    }
    char chunk[16384];
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer->append(chunk, n);
  }
}

void Run(int port, const std::string& request, Clock::time_point end,
         Result* result) {
  int fd = Connect(port);
  std::string buffer, body;
  while (fd >= 0 && Clock::now() < end) {
    Clock::time_point sent = Clock::now();
    if (::write(fd, request.data(), request.size()) !=
            static_cast<ssize_t>(request.size()) ||
        !ReadResponse(fd, &buffer, &body)) {
      ++result->errors;
      ::close(fd);
      fd = Connect(port);
      buffer.clear();
      continue;
    }
    result->latencies_us.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - sent).count());
    if (body.find("\"allowed\":false") != std::string::npos) ++result->denied;
  }
  if (fd >= 0) ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  int port = 8181;
  int connections = 4;
  double seconds = 10;
  std::string body_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--port") port = std::stoi(value);
    else if (flag == "--connections") connections = std::stoi(value);
    else if (flag == "--duration") seconds = std::stod(value);
    else if (flag == "--body") body_file = value;
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  std::ifstream in(body_file);
  if (!in) {
    std::fprintf(stderr, "usage: admission_loadgen --port P --body FILE "
                         "[--connections N] [--duration SECONDS]\n");
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string body = text.str();
  std::string request =
      "POST /v1/admit HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
      "application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  std::vector<Result> results(connections);
  std::vector<std::thread> threads;
  Clock::time_point start = Clock::now();
  Clock::time_point end =
      start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(seconds));
  for (int i = 0; i < connections; ++i) {
    threads.emplace_back(Run, port, std::cref(request), end, &results[i]);
  }
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  uint64_t errors = 0, denied = 0;
  for (const Result& r : results) {
    all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
    errors += r.errors;
    denied += r.denied;
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1,
                                            static_cast<size_t>(p * all.size()))];
  };
  std::printf(
      "requests %zu in %.1f s: %.0f/s; latency us p50 %.0f p90 %.0f p99 %.0f "
      "max %.0f; denied %llu; errors %llu\n",
      all.size(), elapsed, all.size() / elapsed, pct(0.50), pct(0.90),
      pct(0.99), all.empty() ? 0.0 : all.back(),
      static_cast<unsigned long long>(denied),
      static_cast<unsigned long long>(errors));
  return errors == 0 ? 0 : 1;
}
