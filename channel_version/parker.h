// Parker: how one blocked thread sleeps until another completes its
// operation for it.
//
// A thread that must wait on a channel (or on several, in a select) makes one
// Parker on its stack and puts a WaitNode pointing at it in each channel's
// queue. The thread that later completes the operation, a sender for a
// waiting receiver or the other way round, first claims the Parker, so that
// of several channels racing for one select exactly one wins; then it moves
// the value, records which case fired, and finally finishes the Parker,
// which wakes the sleeper.
//
// States: kWaiting -> kClaimed -> kDone, set by the waker, or
// kWaiting -> kCancelled, set by the sleeper itself when its deadline passes
// first.
//
// Thread safety: claim and finish are called by wakers while they hold the
// lock of the channel whose queue held the node; wait and wait_until only
// by the thread that owns the Parker.
//
// Note: sleeping uses the Linux futex system call directly. finish() may
// wake the futex after the sleeper has already returned and its Parker is
// gone; a futex wake on such an address is harmless (at worst a spurious
// wake-up for whoever reuses the address, which every futex waiter
// tolerates), and no user-space memory is touched after the final store.
#pragma once

#include <atomic>
#include <cstdint>

#include "common/config.h"

namespace sharemem::channel_detail {

class Parker {
 public:
  // claim reserves this Parker for the caller. It returns false when another
  // waker, or the sleeper's own timeout, got there first.
  bool claim() {
    std::uint32_t expected = kWaiting;
    return state_.compare_exchange_strong(expected, kClaimed,
                                          std::memory_order_acquire,
                                          std::memory_order_relaxed);
  }

  // finish wakes the sleeper. The caller must have claimed the Parker and
  // must have released every channel lock first, so the sleeper never wakes
  // only to block on a lock its waker still holds.
  void finish();

  // wait blocks until a waker has finished this Parker.
  void wait();

  // wait_until blocks until a waker has finished this Parker, and returns
  // true, or until the deadline passes and the sleeper cancels itself, and
  // returns false. After false, no waker will touch the Parker.
  bool wait_until(Clock::time_point deadline);

  // Written by the waker between claim and finish, read by the sleeper
  // after waking.
  int fired = -1;       // which case completed
  bool closed = false;  // the channel was closed rather than completed

 private:
  static constexpr std::uint32_t kWaiting = 0;
  static constexpr std::uint32_t kClaimed = 1;
  static constexpr std::uint32_t kDone = 2;
  static constexpr std::uint32_t kCancelled = 3;

  // spin briefly checks for kDone before sleeping; it returns whether the
  // Parker finished meanwhile.
  bool spin();

  std::atomic<std::uint32_t> state_{kWaiting};
};

}  // namespace sharemem::channel_detail
