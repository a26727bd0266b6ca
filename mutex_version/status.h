// StatusMap: the mutex version's status table, under a lock of its own, and
// the logger thread that prints it.
//
// Pollers call update() after every poll; the logger prints the table every
// status interval. Printing copies the rows under the lock and writes them
// after letting go, so a slow terminal never holds up a poller.
//
// Thread safety: update, rows and print may be called from any thread.
#pragma once

#include <ostream>
#include <stop_token>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/contention.h"
#include "common/status_table.h"
#include "common/thread_annotations.h"

namespace sharemem {

class StatusMap {
 public:
  explicit StatusMap(const std::vector<std::string>& urls) : table_(urls) {}

  // update records the result of one poll of url.
  void update(const std::string& url, std::string status, int err_count)
      EXCLUDES(lock_);

  // rows returns a copy of every row, in URL order.
  Snapshot rows() const EXCLUDES(lock_);

  // print writes the table to out.
  void print(std::ostream& out) const { print_status(out, rows()); }

  // counters returns the counts of the lock.
  ContentionCounters counters() const { return lock_.counters(); }

 private:
  mutable InstrumentedMutex lock_;
  StatusTable table_ GUARDED_BY(lock_);
};

// logger prints status to out every interval until stop is requested.
void logger(const StatusMap& status, Duration interval, std::ostream& out,
            std::stop_token stop);

}  // namespace sharemem
