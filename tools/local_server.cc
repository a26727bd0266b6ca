#include "tools/local_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <stdexcept>

namespace sharemem::urlpoll {

void LocalServer::start() {
  // Answers to clients that gave up must not end the process.
  std::signal(SIGPIPE, SIG_IGN);

  // Bind, then serve from a thread of our own.
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) {
    throw std::runtime_error("LocalServer: cannot bind 127.0.0.1");
  }
  std::packaged_task<bool()> serve(
      [this] { return server_.listen_after_bind(); });
  served_ = serve.get_future();
  thread_ = std::thread(std::move(serve));

  // Wait until the server is running, since Server::stop does nothing
  // before that. Note: this cpp-httplib has no readiness notice, so the
  // wait checks is_running() every millisecond; it takes one or two.
  while (!server_.is_running()) {
    if (served_.wait_for(std::chrono::milliseconds(1)) ==
        std::future_status::ready) {
      thread_.join();
      throw std::runtime_error("LocalServer: the server stopped at once");
    }
  }
}

void LocalServer::stop() {
  if (!thread_.joinable()) return;
  server_.stop();
  thread_.join();
}

std::string LocalServer::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

int unused_port() {
  // Bind port 0 on the loopback address; the system picks a free port.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    throw std::runtime_error(std::string("unused_port: socket: ") +
                             std::strerror(errno));
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  bool ok =
      ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  int error = errno;

  // Read the port, and free it.
  ::close(fd);
  if (!ok) {
    throw std::runtime_error(std::string("unused_port: bind: ") +
                             std::strerror(error));
  }
  return ntohs(address.sin_port);
}

}  // namespace sharemem::urlpoll
