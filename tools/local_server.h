// LocalServer: an HTTP server on 127.0.0.1, on a port the system picks,
// served from a thread of its own; the demo's endpoints and the tests'
// servers run on it.
//
// Add handlers to server() first, then start(), which returns once requests
// are being served; url("/path") names an endpoint. stop() stops accepting,
// waits for the requests in progress and joins the thread; the destructor
// stops too. A handler that blocks must be released before stop(), or stop
// waits for it.
//
// unused_port() finds a port on 127.0.0.1 that nothing listens on, for a
// URL that should be refused.
//
// Thread safety: server(), start() and stop() belong to the owning thread.
// Handlers run on the server's own threads, several at once, so whatever
// they share needs its own synchronisation. port() and url() may be called
// from any thread after start().
//
// Note: start() makes the process ignore SIGPIPE. The server writes each
// answer to a connection whose client may already have given up (a timed
// out poll), and a write to a closed connection would otherwise end the
// process.
#pragma once

#include <httplib.h>

#include <future>
#include <string>
#include <string_view>
#include <thread>

namespace sharemem::urlpoll {

class LocalServer {
 public:
  LocalServer() = default;
  ~LocalServer() { stop(); }
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  // server returns the server, to add handlers to before start().
  httplib::Server& server() { return server_; }

  // start binds 127.0.0.1 on a free port and serves from a new thread. It
  // blocks until the server accepts requests, and throws std::runtime_error
  // if it cannot bind or the server stops at once. Call it once.
  void start();

  // stop stops the server and joins its thread, after the requests in
  // progress have been answered. It is idempotent.
  void stop();

  // port returns the port start() bound.
  int port() const { return port_; }

  // url returns "http://127.0.0.1:<port>" followed by path.
  std::string url(std::string_view path) const;

 private:
  httplib::Server server_;
  int port_ = 0;
  std::future<bool> served_;  // ready once the serving thread has returned
  std::thread thread_;
};

// unused_port returns a port on 127.0.0.1 that was free a moment ago: it
// binds port 0, reads the port the system chose and closes the socket. It
// throws std::runtime_error if no socket can be bound.
int unused_port();

}  // namespace sharemem::urlpoll
