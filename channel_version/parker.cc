#include "channel_version/parker.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace sharemem::channel_detail {
namespace {

// Brief spinning pays off when the waker is running on another core right
// now; it is kept short so that it costs little when threads outnumber
// cores.
constexpr int kSpins = 64;

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

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
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                t.time_since_epoch())
                .count();
  if (ns < 0) ns = 0;
  return {static_cast<time_t>(ns / 1'000'000'000),
          static_cast<long>(ns % 1'000'000'000)};
}

}  // namespace

void Parker::finish() {
  state_.store(kDone, std::memory_order_release);
  futex_wake(state_);
}

bool Parker::spin() {
  for (int i = 0; i < kSpins; ++i) {
    if (state_.load(std::memory_order_acquire) == kDone) return true;
    cpu_relax();
  }
  return false;
}

void Parker::wait() {
  if (spin()) return;
  for (;;) {
    std::uint32_t s = state_.load(std::memory_order_acquire);
    if (s == kDone) return;
    futex_wait(state_, s, nullptr);
  }
}

bool Parker::wait_until(Clock::time_point deadline) {
  if (spin()) return true;

  // Sleep until finished or the deadline passes.
  const timespec abs = to_timespec(deadline);
  for (;;) {
    std::uint32_t s = state_.load(std::memory_order_acquire);
    if (s == kDone) return true;
    if (Clock::now() >= deadline) break;
    futex_wait(state_, s, &abs);
  }

  // Time is up: cancel, unless a waker has claimed us meanwhile, in which
  // case it is moving the value right now and will finish shortly.
  std::uint32_t expected = kWaiting;
  if (state_.compare_exchange_strong(expected, kCancelled,
                                     std::memory_order_acquire)) {
    return false;
  }
  wait();
  return true;
}

}  // namespace sharemem::channel_detail
