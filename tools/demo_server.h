// DemoServer: the local endpoints that urlpoll polls when it is given no
// URL, one for each thing a poll can meet:
//
//   /healthy   200 OK
//   /slow      200 OK, after slow_time (within the demo's fetch timeout)
//   /flaky     503 Service Unavailable and 200 OK, in turn; both are
//              responses, so neither counts as an error
//   /missing   404 Not Found
//   /broken    500 Internal Server Error
//   /hang      no answer for hang_time (past the demo's fetch timeout)
//
// and a URL on a port where nothing listens, so that connecting is refused.
//
// Thread safety: start() and stop() belong to the owning thread; urls() may
// be called from any thread after start(). The handlers run on the server's
// threads; the state they share, the release of waiting requests and the
// /flaky counter, is under mu_ or atomic.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "common/config.h"
#include "tools/local_server.h"

namespace sharemem::urlpoll {

class DemoServer {
 public:
  struct Options {
    // slow_time is how long /slow takes to answer.
    Duration slow_time = std::chrono::milliseconds(1500);

    // hang_time is how long /hang holds a request before it answers,
    // unless stop() releases it sooner.
    Duration hang_time = std::chrono::seconds(10);
  };

  DemoServer() : DemoServer(Options{}) {}
  explicit DemoServer(Options options);
  ~DemoServer() { stop(); }

  // start starts serving on 127.0.0.1 and picks the refused port. It
  // throws std::runtime_error if the server cannot start.
  void start();

  // stop releases the requests that /slow and /hang are holding, then
  // stops the server. It is idempotent.
  void stop();

  // urls returns the demo's URLs: each endpoint above in order, then the
  // refused one.
  std::vector<std::string> urls() const;

 private:
  // wait_or_release blocks for d, or until stop() releases every waiting
  // request.
  void wait_or_release(Duration d);

  Options options_;
  std::mutex mu_;
  std::condition_variable released_cv_;
  bool released_ = false;                // guarded by mu_
  std::atomic<std::uint64_t> flaky_{0};  // requests /flaky has had
  int refused_port_ = 0;
  LocalServer server_;  // last, so that it stops before the rest goes
};

}  // namespace sharemem::urlpoll
