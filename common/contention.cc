#include "common/contention.h"

#include <chrono>

namespace sharemem {
namespace {

std::atomic<bool> counting{true};

}  // namespace

void set_counting_enabled(bool enabled) {
  counting.store(enabled, std::memory_order_relaxed);
}

bool counting_enabled() { return counting.load(std::memory_order_relaxed); }

void InstrumentedMutex::lock() {
  if (!counting_enabled()) {
    mu_.lock();
    return;
  }

  // Fast path: the lock is free.
  if (mu_.try_lock()) {
    add_relaxed(acquisitions_, 1);
    return;
  }

  // Slow path: wait for it, and count the wait.
  auto start = std::chrono::steady_clock::now();
  mu_.lock();
  auto waited = std::chrono::steady_clock::now() - start;
  add_relaxed(acquisitions_, 1);
  add_relaxed(contended_, 1);
  add_relaxed(wait_ns_,
              std::chrono::duration_cast<std::chrono::nanoseconds>(waited)
                  .count());
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
