#include "common/contention.h"

#include <chrono>

#include "common/cpu_relax.h"

namespace sharemem {
namespace {

std::atomic<bool> counting{true};

// A contended lock() first retries kSpins times, kPausesPerSpin pauses
// apart (about 2.5 us in all here), before it sleeps in the kernel.
constexpr int kSpins = 16;
constexpr int kPausesPerSpin = 4;

}  // namespace

void set_counting_enabled(bool enabled) {
  counting.store(enabled, std::memory_order_relaxed);
}

bool counting_enabled() { return counting.load(std::memory_order_relaxed); }

void InstrumentedMutex::lock() {
  // Fast path: the lock is free.
  if (mu_.try_lock()) {
    if (counting_enabled()) add_relaxed(acquisitions_, 1);
    return;
  }

  // Slow path: wait for it, and count the wait.
  if (!counting_enabled()) {
    lock_slow();
    return;
  }
  auto start = std::chrono::steady_clock::now();
  lock_slow();
  auto waited = std::chrono::steady_clock::now() - start;
  add_relaxed(acquisitions_, 1);
  add_relaxed(contended_, 1);
  add_relaxed(
      wait_ns_,
      std::chrono::duration_cast<std::chrono::nanoseconds>(waited).count());
}

void InstrumentedMutex::lock_slow() {
  // Spin briefly: critical sections here last well under a microsecond, so
  // a holder running on another core is likely to let go before a sleep in
  // the kernel would even begin. Then block.
  for (int i = 0; i < kSpins; ++i) {
    for (int p = 0; p < kPausesPerSpin; ++p) cpu_relax();
    if (mu_.try_lock()) return;
  }
  mu_.lock();
}

bool InstrumentedMutex::try_lock() {
  if (!mu_.try_lock()) return false;
  if (counting_enabled()) add_relaxed(acquisitions_, 1);
  return true;
}

ContentionCounters InstrumentedMutex::counters() const {
  return {acquisitions_.load(std::memory_order_relaxed),
          contended_.load(std::memory_order_relaxed),
          wait_ns_.load(std::memory_order_relaxed)};
}

}  // namespace sharemem
