// UrlPoller: the interface both designs implement, so that one contract suite,
// one benchmark and one program can drive either.
//
// A UrlPoller polls every URL again and again with the Fetcher it was given,
// resting each resource between polls as PollerConfig says, and prints the
// status table to its status stream every status interval. Each version's
// constructor has the same shape:
//
//   Poller(std::vector<std::string> urls, Fetcher& fetcher,
//          PollerConfig config, std::ostream& status_out);
//
// and throws std::invalid_argument for duplicate URLs or a bad config.
//
// Thread safety: start and stop are for the owning thread. counters may be
// called from any thread.
#pragma once

#include <string>
#include <vector>

#include "common/contention.h"
#include "common/status_table.h"

namespace sharemem {

class UrlPoller {
 public:
  virtual ~UrlPoller() = default;

  // start starts the pollers and the status printer and returns at once.
  // Calling it twice, or after stop, throws std::logic_error.
  virtual void start() = 0;

  // stop asks every thread to finish, cancels fetches in progress, joins the
  // threads and returns the final snapshot: every resource exactly once, in
  // the order the URLs were given, with its polls, latest status and
  // err_count. Calling stop again returns the same snapshot. Stopping a
  // poller that was never started returns the initial table.
  virtual Snapshot stop() = 0;

  // counters returns the lock counts of every lock the design uses.
  virtual ContentionCounters counters() const = 0;
};

// check_urls throws std::invalid_argument naming the first URL that appears
// twice in urls.
void check_urls(const std::vector<std::string>& urls);

}  // namespace sharemem
