// ChannelUrlPoller: the URL poller built on channels.
//
// The wiring, as in Go's program:
//
//   resting stage --pending--> pollers --complete--> resting stage
//                                 |
//                               status
//                                 v
//                           state monitor
//
// `pollers` poller threads receive resources on pending and send them on
// complete; the resting stage feeds pending and takes back from complete;
// the state monitor owns the status table. pending, complete and status each
// buffer one value per poller, so that a poller rarely waits for the resting
// stage or the monitor to be scheduled; a buffered resource is still in one
// place only, inside its message. Resources travel as
// std::unique_ptr<Resource>, so whoever holds the message owns the resource.
//
//   ChannelUrlPoller p(urls, fetcher, config, std::cout);
//   p.start();
//   ...
//   Snapshot final = p.stop();
//
// Stopping, stage by stage: close `done` and request stop (fetches in
// progress are cancelled); the resting stage closes pending, so pollers
// return after handing back the resource in hand and any still buffered;
// join the pollers, close complete, and the resting stage returns every
// resource; close status, and the monitor returns the table.
//
// Thread safety: start and stop belong to the owning thread; counters may be
// called from any thread.
#pragma once

#include <optional>
#include <ostream>
#include <stop_token>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "channel_version/channel.h"
#include "channel_version/status.h"
#include "common/config.h"
#include "common/fetcher.h"
#include "common/resource.h"
#include "common/url_poller.h"

namespace sharemem {

class ChannelUrlPoller : public UrlPoller {
 public:
  // ChannelUrlPoller prepares to poll urls; it throws std::invalid_argument
  // for a duplicate URL or a bad config.
  ChannelUrlPoller(std::vector<std::string> urls, Fetcher& fetcher,
                   PollerConfig config, std::ostream& status_out);
  ~ChannelUrlPoller() override { stop(); }

  void start() override;
  Snapshot stop() override;
  ContentionCounters counters() const override;

 private:
  const std::vector<std::string> urls_;
  Fetcher& fetcher_;
  const PollerConfig config_;
  std::ostream& status_out_;

  Channel<ResourcePtr> pending_;   // rested resources, to the pollers
  Channel<ResourcePtr> complete_;  // polled resources, back to rest
  Channel<State> status_;          // poll results, to the monitor
  Channel<std::monostate> done_;   // closed to stop

  std::stop_source stop_;
  std::vector<std::jthread> pollers_;
  std::jthread resting_;
  std::jthread monitor_;
  std::vector<ResourcePtr> rested_;   // the resting stage's result
  std::optional<StatusTable> table_;  // the monitor's result
  bool started_ = false;
  std::optional<Snapshot> final_;  // set by the first stop
};

}  // namespace sharemem
