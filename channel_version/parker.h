// Parker: how one blocked thread waits until another completes its
// operation for it.
//
// A thread that must wait on a channel (or on several, in a select) makes one
// Parker on its stack and puts a WaitNode pointing at it in each channel's
// queue. The thread that later completes the operation, a sender for a
// waiting receiver or the other way round, first claims the Parker, so that
// of several channels racing for one select exactly one wins; then it moves
// the value, records which case fired, and finally finishes the Parker,
// which releases the waiter.
//
// The main operations:
//   claim()       a waker reserves the Parker; false if someone was first.
//   finish()      the waker releases the waiter.
//   wait()        the waiter blocks until finished.
//   wait_until()  the same, but at the deadline the waiter claims its own
//                 Parker, which cancels the wait.
//
// Waiting has three stages, cheapest first. A partner on another core often
// finishes within a microsecond, so the waiter first spins briefly,
// re-reading the state with a pause between reads that doubles each round.
// Then it yields its core a few times, which costs little when it is alone
// and lets the partner run when threads outnumber cores. Only then does it
// sleep in the kernel, after setting kSleeping so that finish() knows to
// wake it: a waker that finds the flag clear makes no system call at all.
//
// States: kWaiting -> kClaimed -> kDone. kSleeping is a flag on top of
// kWaiting or kClaimed while the waiter is, or is about to be, asleep.
//
// Thread safety: claim and finish are called by wakers while they hold the
// lock of the channel whose queue held the node (finish after releasing
// it); wait and wait_until only by the thread that owns the Parker.
//
// Note: sleeping uses the Linux futex system call directly. finish() may
// wake the futex after the sleeper has already returned and its Parker is
// gone; a futex wake on such an address is harmless (at worst a spurious
// wake-up for whoever reuses the address, which every futex waiter
// tolerates), and no user-space memory is touched after the final exchange.
#pragma once

#include <atomic>
#include <cstdint>

#include "common/config.h"

namespace sharemem::channel_detail {

class Parker {
 public:
  // claim reserves this Parker for the caller and returns true, or returns
  // false when another waker, or the waiter's own timeout, got there first.
  bool claim() {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    while ((s & ~kSleeping) == kWaiting) {
      if (state_.compare_exchange_weak(s, kClaimed | (s & kSleeping),
                                       std::memory_order_acquire,
                                       std::memory_order_relaxed)) {
        return true;
      }
    }
    return false;
  }

  // finish releases the waiter, waking it if it sleeps. The caller must have
  // claimed the Parker and must have released every channel lock first, so
  // the waiter never wakes only to block on a lock its waker still holds.
  void finish();

  // wait blocks until a waker has finished this Parker.
  void wait();

  // wait_until blocks until a waker has finished this Parker, and returns
  // true, or until the deadline passes and the waiter cancels itself, and
  // returns false. After false, no waker will touch the Parker.
  bool wait_until(Clock::time_point deadline);

  // Written by the waker between claim and finish, read by the waiter
  // after it returns.
  int fired = -1;       // which case completed
  bool closed = false;  // the channel was closed rather than completed

 private:
  static constexpr std::uint32_t kWaiting = 0;
  static constexpr std::uint32_t kClaimed = 1;
  static constexpr std::uint32_t kDone = 2;
  static constexpr std::uint32_t kSleeping = 4;  // flag

  bool done() const { return state_.load(std::memory_order_acquire) == kDone; }

  // spin_then_yield waits without sleeping, for a bounded time; it returns
  // whether the Parker finished meanwhile.
  bool spin_then_yield() const;

  // sleep blocks in the kernel until finished, or until the deadline (none
  // if null) passes; it returns whether the Parker finished.
  bool sleep(const Clock::time_point* deadline);

  std::atomic<std::uint32_t> state_{kWaiting};
};

}  // namespace sharemem::channel_detail
