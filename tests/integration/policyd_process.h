// Test helpers for the integration tests: start the real `policyd serve`
// on free ports, talk HTTP/1.1 to it, write bundle directories.
#ifndef POLICYD_TESTS_INTEGRATION_POLICYD_PROCESS_H_
#define POLICYD_TESTS_INTEGRATION_POLICYD_PROCESS_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace policyd::testing {

namespace fs = std::filesystem;

// A fresh, empty directory under the test's temp dir.
inline std::string FreshDir(const std::string& name) {
  fs::path dir = fs::path(::testing::TempDir()) / "policyd_it" /
                 (name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

inline void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// Writes bundle `name` into `dir` through a temporary directory and a
// rename, so the watcher never sees it half written.
inline void WriteBundle(const std::string& dir, const std::string& name,
                        const std::string& revision,
                        const std::vector<std::pair<std::string, std::string>>& files,
                        const std::string& roots = "[\"app\", \"envoy\", \"system\"]") {
  fs::path tmp = fs::path(dir) / (".tmp_" + name);
  fs::remove_all(tmp);
  WriteFile(tmp / ".manifest",
            "{\"revision\": \"" + revision + "\", \"roots\": " + roots + "}");
  for (const auto& [file, text] : files) WriteFile(tmp / file, text);
  fs::path target = fs::path(dir) / name;
  fs::path old = fs::path(dir) / (".old_" + name);
  fs::remove_all(old);
  if (fs::exists(target)) fs::rename(target, old);
  fs::rename(tmp, target);
  fs::remove_all(old);
}

class PolicydProcess {
 public:
  // Starts `policyd serve ARGS` (gRPC and HTTP on free loopback ports unless
  // ARGS name listeners) and waits until it listens. nullptr on failure
  // (the reason in `*log`).
  static std::unique_ptr<PolicydProcess> Start(std::vector<std::string> args,
                                               std::string* log = nullptr,
                                               bool default_listeners = true) {
    if (default_listeners) {
      args.insert(args.end(), {"--grpc-addr", "127.0.0.1:0", "--http-addr",
                               "127.0.0.1:0"});
    }
    int fds[2];
    if (::pipe(fds) != 0) return nullptr;
    pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(fds[1], 2);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<std::string> argv_s = {POLICYD_BINARY, "serve"};
      argv_s.insert(argv_s.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& a : argv_s) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(POLICYD_BINARY, argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    std::unique_ptr<PolicydProcess> p(new PolicydProcess(pid, fds[0]));
    const std::regex grpc_re("gRPC listening on [^ \n]*:([0-9]+)\n");
    const std::regex http_re("HTTP listening on [^ \n]*:([0-9]+)\n");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      std::string err = p->Stderr();
      std::smatch g, h;
      bool has_grpc = std::regex_search(err, g, grpc_re);
      bool has_http = std::regex_search(err, h, http_re);
      bool unix_only = err.find("listening on unix://") != std::string::npos &&
                       !default_listeners;
      if ((has_grpc && has_http) ||
          (unix_only && err.find("HTTP listening") != std::string::npos)) {
        if (has_grpc) p->grpc_port = std::stoi(g[1]);
        if (has_http) p->http_port = std::stoi(h[1]);
        return p;
      }
      int status;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        p->pid_ = -1;
        // All of what it wrote: the reader stops at the end of the pipe.
        p->reader_.join();
        if (log != nullptr) *log = p->Stderr();
        return nullptr;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (log != nullptr) *log = p->Stderr();
    return nullptr;
  }

  ~PolicydProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (reader_.joinable()) reader_.join();
    ::close(fd_);
  }

  std::string grpc_target() const {
    return "127.0.0.1:" + std::to_string(grpc_port);
  }
  void Signal(int sig) { ::kill(pid_, sig); }
  // The exit status, or -1 when it did not exit in time or was signalled.
  int Wait(std::chrono::seconds timeout = std::chrono::seconds(30)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }
  std::string Stderr() {
    std::lock_guard<std::mutex> lock(mu_);
    return stderr_;
  }

  int grpc_port = 0;
  int http_port = 0;

 private:
  PolicydProcess(pid_t pid, int fd) : pid_(pid), fd_(fd) {
    reader_ = std::thread([this] {
      char buf[4096];
      ssize_t n;
      while ((n = ::read(fd_, buf, sizeof buf)) > 0) {
        std::lock_guard<std::mutex> lock(mu_);
        stderr_.append(buf, n);
      }
    });
  }

  pid_t pid_;
  int fd_;
  std::thread reader_;
  std::mutex mu_;
  std::string stderr_;
};

struct HttpResult {
  int status = 0;
  std::string headers;
  std::string body;
};

// One HTTP/1.1 request over a fresh connection (TCP port, or Unix socket
// when `unix_path` is set). `extra_headers` are "Name: value\r\n" lines.
inline HttpResult Http(int port, const std::string& method,
                       const std::string& target, const std::string& body = "",
                       const std::string& unix_path = "",
                       const std::string& extra_headers = "") {
  HttpResult result;
  int fd;
  if (unix_path.empty()) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return result;
    }
  } else {
    fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", unix_path.c_str());
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return result;
    }
  }
  std::string request = method + " " + target +
                        " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                        "Content-Type: application/json\r\n" + extra_headers +
                        "Content-Length: " + std::to_string(body.size()) +
                        "\r\n\r\n" + body;
  (void)!::write(fd, request.data(), request.size());
  std::string response;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) response.append(buf, n);
  ::close(fd);
  size_t head_end = response.find("\r\n\r\n");
  if (head_end == std::string::npos || response.size() < 12) return result;
  result.status = std::stoi(response.substr(9, 3));
  result.headers = response.substr(0, head_end);
  result.body = response.substr(head_end + 4);
  return result;
}

}  // namespace policyd::testing

#endif  // POLICYD_TESTS_INTEGRATION_POLICYD_PROCESS_H_
