// MutexUrlPoller: the URL poller built on shared memory and locks.
//
// The wiring: one Resources list under one lock, one StatusMap under
// another, `pollers` poller threads that pick from the list, and one logger
// thread that prints the table every status interval.
//
//   MutexUrlPoller p(urls, fetcher, config, std::cout);
//   p.start();
//   ...
//   Snapshot final = p.stop();
//
// Stopping requests stop on one stop_source shared by every thread: waiting
// pollers wake, fetches in progress are cancelled, and each thread returns.
// The resources never left the list, so the snapshot is read from it once
// the threads are joined.
//
// Thread safety: start and stop belong to the owning thread; counters may be
// called from any thread.
#pragma once

#include <optional>
#include <ostream>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "common/config.h"
#include "common/fetcher.h"
#include "common/url_poller.h"
#include "mutex_version/resources.h"
#include "mutex_version/status.h"

namespace sharemem {

class MutexUrlPoller : public UrlPoller {
 public:
  // MutexUrlPoller prepares to poll urls; it throws std::invalid_argument
  // for a duplicate URL or a bad config.
  MutexUrlPoller(std::vector<std::string> urls, Fetcher& fetcher,
                 PollerConfig config, std::ostream& status_out);
  ~MutexUrlPoller() override { stop(); }

  void start() override;
  Snapshot stop() override;
  ContentionCounters counters() const override;

 private:
  Fetcher& fetcher_;
  const PollerConfig config_;
  std::ostream& status_out_;
  Resources resources_;
  StatusMap status_;

  std::stop_source stop_;
  std::vector<std::jthread> threads_;
  bool started_ = false;
  std::optional<Snapshot> final_;  // set by the first stop
};

}  // namespace sharemem
