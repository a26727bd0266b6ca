#include "channel_version/parker.h"

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/cpu_relax.h"

namespace sharemem::channel_detail {
namespace {

// A waiter spins for kSpinRounds rounds of 1, 2, 4, 8 pauses (15 pauses,
// about half a microsecond here), then yields its core up to kYields times,
// then sleeps. The spin is short because it only succeeds when the partner
// is running on another core at that moment; on a shared machine, where
// threads outnumber cores, longer spinning burns the core the partner
// needs, and the yields hand it over instead (docs/channel.md).
constexpr int kSpinRounds = 4;
constexpr int kYields = 20;

// futex_wait sleeps while *word == expected, until woken or until the
// absolute CLOCK_MONOTONIC deadline (none if null).
void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                const timespec* deadline) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word),
          FUTEX_WAIT_BITSET_PRIVATE, expected, deadline, nullptr,
          FUTEX_BITSET_MATCH_ANY);
}

void futex_wake(std::atomic<std::uint32_t>& word) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word),
          FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

// to_timespec converts a steady_clock time point, which is CLOCK_MONOTONIC
// on Linux, for the futex.
timespec to_timespec(Clock::time_point t) {
  auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch())
          .count();
  if (ns < 0) ns = 0;
  return {static_cast<time_t>(ns / 1'000'000'000),
          static_cast<long>(ns % 1'000'000'000)};
}

}  // namespace

void Parker::finish() {
  // One exchange publishes the result and tells whether the waiter sleeps.
  if (state_.exchange(kDone, std::memory_order_acq_rel) & kSleeping) {
    futex_wake(state_);
  }
}

bool Parker::spin_then_yield() const {
  // Spin, backing off.
  for (int round = 0; round < kSpinRounds; ++round) {
    for (int i = 0; i < (1 << round); ++i) cpu_relax();
    if (done()) return true;
  }

  // Yield the core to whoever else is runnable.
  for (int i = 0; i < kYields; ++i) {
    sched_yield();
    if (done()) return true;
  }
  return false;
}

bool Parker::sleep(const Clock::time_point* deadline) {
  timespec abs{};
  if (deadline != nullptr) abs = to_timespec(*deadline);
  for (;;) {
    // Announce the sleep; a finish from now on sees the flag and wakes us.
    std::uint32_t s = state_.fetch_or(kSleeping, std::memory_order_acquire);
    if (s == kDone) return true;
    if (deadline != nullptr && Clock::now() >= *deadline) return false;

    // The kernel re-checks the state, so a finish between the two lines
    // cannot be missed.
    futex_wait(state_, s | kSleeping, deadline != nullptr ? &abs : nullptr);
  }
}

void Parker::wait() {
  if (spin_then_yield()) return;
  sleep(nullptr);
}

bool Parker::wait_until(Clock::time_point deadline) {
  if (spin_then_yield() || sleep(&deadline)) return true;

  // Time is up: cancel by claiming ourselves, unless a waker has claimed
  // us meanwhile, in which case it is moving the value right now and will
  // finish shortly.
  if (claim()) return false;
  sleep(nullptr);
  return true;
}

}  // namespace sharemem::channel_detail
