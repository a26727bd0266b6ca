// What urlpoll prints when it stops: the final table of a run, and, with
// --compare, a summary of both versions side by side.
//
// The final table is the status table, under a line that says which
// version ran and for how long:
//
//   final status, channel version, after 6.0s:
//   status at 2026-12-03 13:04:27
//     URL                    STATUS           POLLS  ERRORS
//     http://example.com/    200 OK               3       0
//
// Thread safety: plain functions; call them from any thread, each with its
// own stream.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/contention.h"
#include "common/status_table.h"
#include "tools/counting_fetcher.h"

namespace sharemem::urlpoll {

// RunSummary is what one run of one version did.
struct RunSummary {
  std::string version;  // "mutex" or "channel"
  Duration wall = Duration::zero();
  Duration cpu = Duration::zero();  // the whole process's, user and system
  Snapshot snapshot;                // from stop()
  CountingFetcher::Counts fetches;
  ContentionCounters locks;  // from counters(), after stop()
  bool signalled = false;    // a signal ended the run early
};

// print_final writes the run's final table to out.
void print_final(std::ostream& out, const RunSummary& run);

// print_comparison writes the runs side by side, one column each: polls,
// errors, CPU time, lock acquisitions, contended acquisitions and lock
// wait, under a note on how they were measured.
void print_comparison(std::ostream& out, const std::vector<RunSummary>& runs);

}  // namespace sharemem::urlpoll
