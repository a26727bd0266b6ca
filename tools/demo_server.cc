#include "tools/demo_server.h"

namespace sharemem::urlpoll {

DemoServer::DemoServer(Options options) : options_(options) {
  // Answer each endpoint the way the header lists.
  httplib::Server& server = server_.server();
  server.Get("/healthy", [](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
  });
  server.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
    wait_or_release(options_.slow_time);
    res.status = 200;
  });
  server.Get("/flaky", [this](const httplib::Request&, httplib::Response& res) {
    // The first request fails, the second succeeds, and so on.
    std::uint64_t n = flaky_.fetch_add(1, std::memory_order_relaxed);
    res.status = n % 2 == 0 ? 503 : 200;
  });
  server.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
  });
  server.Get("/broken", [](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
  });
  server.Get("/hang", [this](const httplib::Request&, httplib::Response& res) {
    wait_or_release(options_.hang_time);
    res.status = 200;
  });
}

void DemoServer::start() {
  refused_port_ = unused_port();
  server_.start();
}

void DemoServer::stop() {
  // Release the waiting requests first: the server waits for them.
  {
    std::lock_guard lock(mu_);
    released_ = true;
  }
  released_cv_.notify_all();

  server_.stop();
}

std::vector<std::string> DemoServer::urls() const {
  return {server_.url("/healthy"),
          server_.url("/slow"),
          server_.url("/flaky"),
          server_.url("/missing"),
          server_.url("/broken"),
          server_.url("/hang"),
          "http://127.0.0.1:" + std::to_string(refused_port_) + "/refused"};
}

void DemoServer::wait_or_release(Duration d) {
  std::unique_lock lock(mu_);
  released_cv_.wait_for(lock, d, [this] { return released_; });
}

}  // namespace sharemem::urlpoll
