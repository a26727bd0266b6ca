// Resources: the mutex version's list of every resource, under one lock.
//
// This is the shared memory that pollers communicate through. Beside the
// resources, all guarded by the one lock, sit two queues of the free ones:
// the resting ones, soonest due first, and the ready ones, which are due,
// least recently picked first. A resource that a poller has is in neither.
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
// Both queues are binary heaps, so a pick or a release costs O(log R) for R
// resources. (Scanning the whole list for the best resource, the simplest
// way, costs O(R) under the lock: at thousands of resources the lock is
// then held for microseconds a poll and becomes the bottleneck.)
//
// Idle pollers wait on a condition variable until the earliest resting
// resource is due, another poller wakes them, or stop is requested; they
// never spin. Who wakes whom: a poller that releases a resource comes
// straight back to pick, so it keeps watch over that resource itself and
// wakes nobody. A poller that picks a resource while others are free wakes
// one waiting poller to watch over those. So every free resource has a
// poller that will wake when it is due, and no poller is woken for a
// resource that its releaser takes again. With busy_wait set, pollers
// instead retry at once, as the simplest lock-based poller does, to show
// what that costs.
//
// Thread safety: pick and release may be called from any number of
// threads. resources() is for after every poller has finished.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <queue>
#include <stop_token>
#include <string>
#include <utility>
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
  // rest. It wakes nobody: the caller must call pick next (or stop), and
  // so watches over r itself.
  void release(Resource* r, Duration rest) EXCLUDES(lock_);

  // resources returns every resource; call it only when no poller runs.
  const std::vector<Resource>& resources() const { return data_; }

  // counters returns the counts of the lock.
  ContentionCounters counters() const { return lock_.counters(); }

 private:
  // MinHeap holds (key, index) pairs, the smallest key on top; equal keys
  // come out in index order.
  template <typename Key>
  using MinHeap = std::priority_queue<std::pair<Key, std::size_t>,
                                      std::vector<std::pair<Key, std::size_t>>,
                                      std::greater<>>;

  // wake_due moves every resting resource that is due at now to ready_.
  void wake_due(Clock::time_point now) REQUIRES(lock_);

  const bool busy_wait_;
  std::vector<Resource> data_;  // never resized, so pointers stay valid

  mutable InstrumentedMutex lock_;
  std::condition_variable_any changed_;  // a waiting poller should look again
  MinHeap<Clock::time_point> resting_ GUARDED_BY(lock_);    // by due time
  MinHeap<std::uint64_t> ready_ GUARDED_BY(lock_);          // by last pick
  std::vector<std::uint64_t> last_pick_ GUARDED_BY(lock_);  // 0: never
  std::uint64_t picks_ GUARDED_BY(lock_) = 0;
  std::uint64_t changes_ GUARDED_BY(lock_) = 0;  // signals sent on changed_
  int waiting_ GUARDED_BY(lock_) = 0;            // pollers waiting on it
};

}  // namespace sharemem
