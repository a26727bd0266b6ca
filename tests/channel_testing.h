// What the channel tests share: a way to act on a thread once it is blocked
// on a channel, without sleeping, and a watchdog that turns a hang into a
// clear failure.
//
// Thread safety: LockedAtLeast may be called from any thread. A Watchdog
// belongs to the test that made it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "channel_version/channel.h"

namespace sharemem::channel_testing {

// LockedAtLeast waits until channel's lock has been taken at least n times
// in all and returns true, or returns false after 30 s.
//
// A thread that blocks on a channel first takes the channel's lock to queue
// itself, and whoever would wake it needs that same lock. So once the
// blocking thread's acquisition shows in the count, any later operation on
// the channel finds it queued (or finds it already done). Tests start from a
// channel nobody else touches, so the count tells how many threads got that
// far.
template <typename T>
bool LockedAtLeast(const Channel<T>& channel, std::int64_t n) {
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (channel.counters().acquisitions < n) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::yield();
  }
  return true;
}

// Watchdog aborts the process with a message naming what hung if it is not
// destroyed within limit. A test that makes one states how long its work may
// take; a test that blocks forever then fails loudly instead of hanging.
class Watchdog {
 public:
  Watchdog(std::string what, std::chrono::seconds limit)
      : what_(std::move(what)), thread_([this, limit] { watch(limit); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  void watch(std::chrono::seconds limit) {
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, limit, [this] { return done_; })) return;
    std::fprintf(stderr,
                 "Watchdog: %s did not finish within %lld s; a thread is "
                 "blocked forever\n",
                 what_.c_str(), static_cast<long long>(limit.count()));
    std::abort();
  }

  const std::string what_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;   // guarded by mu_
  std::thread thread_;  // last: starts once the members above are ready
};

}  // namespace sharemem::channel_testing
