// Resources: the mutex version's list of every resource, under one lock.
//
// This is the shared memory that pollers communicate through. Each resource
// has a little bookkeeping beside it, all guarded by the one lock: whether a
// poller has it, when it is next due, and when it was last picked.
//
// The main operations:
//   pick(stop)         a poller takes the least recently polled resource
//                      that is free and due, waiting until one is.
//   release(r, rest)   the poller gives it back, to rest for `rest`.
//
// Ownership is by agreement: pick() marks a resource busy under the lock,
// and from then until release() only that poller touches the Resource
// itself, outside the lock. Nothing but discipline enforces this; in the
// channel version, the type system does.
//
// Idle pollers wait on a condition variable until the earliest resting
// resource is due, a resource is released, or stop is requested; they never
// spin. A poller that picks a resource while others are free wakes one
// waiting poller to watch over them, so a due resource never waits for a
// poller that is asleep with no deadline. With busy_wait set, pollers
// instead retry the scan at once, as the simplest lock-based poller does, to
// show what that costs.
//
// Thread safety: pick and release may be called from any number of
// threads. resources() is for after every poller has finished.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/contention.h"
#include "common/resource.h"
#include "common/thread_annotations.h"

namespace sharemem {

class Resources {
 public:
  // Resources makes a resource per URL, every one due at once.
  Resources(const std::vector<std::string>& urls, bool busy_wait);

  // pick blocks until a resource is free and due, marks it busy and returns
  // it: of those, the one picked least recently. It returns nullptr once
  // stop is requested.
  Resource* pick(std::stop_token stop) EXCLUDES(lock_);

  // release marks r, which the caller picked, free again and due after
  // rest, and wakes a waiting poller, if any, to scan again.
  void release(Resource* r, Duration rest) EXCLUDES(lock_);

  // resources returns every resource; call it only when no poller runs.
  const std::vector<Resource>& resources() const { return data_; }

  // counters returns the counts of the lock.
  ContentionCounters counters() const { return lock_.counters(); }

 private:
  // State is the bookkeeping for one resource.
  struct State {
    bool polling = false;         // a poller has it
    Clock::time_point due;        // when it may be polled again
    std::uint64_t last_pick = 0;  // pick number, 0 for never picked
  };

  const bool busy_wait_;
  std::vector<Resource> data_;  // never resized, so pointers stay valid

  mutable InstrumentedMutex lock_;
  std::condition_variable_any changed_;  // a waiting poller should rescan
  std::vector<State> state_ GUARDED_BY(lock_);  // parallel to data_
  std::uint64_t picks_ GUARDED_BY(lock_) = 0;
  std::uint64_t changes_ GUARDED_BY(lock_) = 0;  // signals sent on changed_
  int waiting_ GUARDED_BY(lock_) = 0;            // pollers waiting on it
};

}  // namespace sharemem
