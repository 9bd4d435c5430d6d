// A real nginx (Debian's) for the tests: serves a directory of files on a
// free loopback port, optionally over TLS with client certificates required
// and with a bearer token checked. Everything it writes (pid, logs, temp
// files) stays in the test's directory, so it runs as any user. nginx
// answers If-None-Match with 304 by itself (ETag from size and mtime).
#ifndef POLICYD_TESTS_INTEGRATION_NGINX_PROCESS_H_
#define POLICYD_TESTS_INTEGRATION_NGINX_PROCESS_H_

#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "tests/integration/policyd_process.h"

namespace policyd::testing {

struct NginxOptions {
  std::string root;             // the directory served at /
  std::string bearer_token;     // "" for none
  std::string tls_cert, tls_key;  // PEM files; TLS when set
  std::string client_ca;        // PEM file; client certificates required when set
};

inline std::string NginxBinary() {
  for (const char* p : {"/usr/sbin/nginx", "/usr/bin/nginx"}) {
    if (::access(p, X_OK) == 0) return p;
  }
  return "";
}

// A loopback port that was free a moment ago.
inline int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class NginxProcess {
 public:
  // Starts nginx in `dir` (its config, pid, logs and temp folders go there)
  // on `port` (a free one when 0) and waits until it accepts connections.
  static std::unique_ptr<NginxProcess> Start(const std::string& dir,
                                             const NginxOptions& options,
                                             int port = 0) {
    std::string binary = NginxBinary();
    if (binary.empty()) return nullptr;
    if (port == 0) port = FreePort();
    std::string conf = dir + "/nginx.conf";
    std::string user;
    if (::geteuid() == 0) {
      // Workers would run as nobody, who cannot read the test's files.
      user = std::string("user ") + ::getpwuid(0)->pw_name + ";\n";
    }
    std::string listen = "listen 127.0.0.1:" + std::to_string(port);
    std::string tls;
    if (!options.tls_cert.empty()) {
      listen += " ssl";
      tls = "ssl_certificate " + options.tls_cert + ";\nssl_certificate_key " +
            options.tls_key + ";\n";
      if (!options.client_ca.empty()) {
        tls += "ssl_client_certificate " + options.client_ca +
               ";\nssl_verify_client on;\n";
      }
    }
    std::string auth;
    if (!options.bearer_token.empty()) {
      auth = "if ($http_authorization != \"Bearer " + options.bearer_token +
             "\") { return 401; }\n";
    }
    WriteFile(conf, user + "daemon off;\nworker_processes 1;\npid " + dir +
                        "/nginx.pid;\nerror_log " + dir + "/error.log;\n"
                        "events { worker_connections 64; }\nhttp {\n"
                        "access_log " + dir + "/access.log;\n"
                        "client_body_temp_path " + dir + "/tmp_body;\n"
                        "proxy_temp_path " + dir + "/tmp_proxy;\n"
                        "fastcgi_temp_path " + dir + "/tmp_fastcgi;\n"
                        "uwsgi_temp_path " + dir + "/tmp_uwsgi;\n"
                        "scgi_temp_path " + dir + "/tmp_scgi;\n"
                        "server {\n" + listen + ";\n" + tls + "root " + options.root +
                        ";\nlocation / {\n" + auth + "}\n}\n}\n");
    pid_t pid = ::fork();
    if (pid == 0) {
      ::execl(binary.c_str(), binary.c_str(), "-p", dir.c_str(), "-c", conf.c_str(),
              "-e", (dir + "/error.log").c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::unique_ptr<NginxProcess> p(new NginxProcess(pid, port));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(port);
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
      ::close(fd);
      if (up) return p;
      if (::waitpid(pid, nullptr, WNOHANG) == pid) {
        p->pid_ = -1;
        return nullptr;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return nullptr;
  }

  // Stops nginx by its PID (SIGQUIT would wait for connections; SIGTERM is
  // its fast shutdown) and waits for it.
  ~NginxProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  int port() const { return port_; }

 private:
  NginxProcess(pid_t pid, int port) : pid_(pid), port_(port) {}
  pid_t pid_;
  int port_;
};

}  // namespace policyd::testing

#endif  // POLICYD_TESTS_INTEGRATION_NGINX_PROCESS_H_
