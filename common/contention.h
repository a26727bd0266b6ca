// Contention counters, and InstrumentedMutex, the one lock type both versions
// use so that their locking can be compared.
//
// Every lock() counts one acquisition. When the lock is already held, lock()
// also counts one contended acquisition and the nanoseconds spent waiting.
// A contended lock() spins briefly before it sleeps, as adaptive mutexes
// do: the critical sections of both versions are short, and a holder
// running on another core usually lets go within a microsecond or two.
// The mutex version's locks and the channel version's channel locks are all
// InstrumentedMutex, so "locks per poll" means the same thing on both sides.
//
// Counting is on by default and can be switched off for the whole process
// with set_counting_enabled(false), to measure what it costs.
//
// Thread safety: lock, unlock and try_lock as for std::mutex. counters() may
// be called from any thread at any time; it reads relaxed atomics, so a
// reading taken while threads run is approximate, one taken after they are
// joined is exact. The counts are written only by the lock holder, so they
// cost no atomic read-modify-write.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "common/thread_annotations.h"

namespace sharemem {

struct ContentionCounters {
  std::int64_t acquisitions = 0;  // successful lock() and try_lock() calls
  std::int64_t contended = 0;     // lock() calls that found the lock held
  std::int64_t wait_ns = 0;       // time those calls spent waiting

  ContentionCounters& operator+=(const ContentionCounters& other) {
    acquisitions += other.acquisitions;
    contended += other.contended;
    wait_ns += other.wait_ns;
    return *this;
  }
};

// set_counting_enabled switches counting on or off for every
// InstrumentedMutex in the process. Switch it only while no lock is in use.
void set_counting_enabled(bool enabled);
bool counting_enabled();

class CAPABILITY("mutex") InstrumentedMutex {
 public:
  InstrumentedMutex() = default;
  InstrumentedMutex(const InstrumentedMutex&) = delete;
  InstrumentedMutex& operator=(const InstrumentedMutex&) = delete;

  // lock blocks until the mutex is held, counting the wait if there was one.
  void lock() ACQUIRE();

  // try_lock takes the mutex if it is free and returns whether it did.
  bool try_lock() TRY_ACQUIRE(true);

  // unlock releases the mutex; the caller must hold it.
  void unlock() RELEASE() { mu_.unlock(); }

  // counters returns what this mutex has counted so far.
  ContentionCounters counters() const;

 private:
  // lock_slow acquires mu_ once a first try has failed.
  void lock_slow();

  // add_relaxed adds to a counter that only the lock holder writes.
  static void add_relaxed(std::atomic<std::int64_t>& counter, std::int64_t n) {
    counter.store(counter.load(std::memory_order_relaxed) + n,
                  std::memory_order_relaxed);
  }

  std::mutex mu_;
  std::atomic<std::int64_t> acquisitions_{0};  // written under mu_
  std::atomic<std::int64_t> contended_{0};     // written under mu_
  std::atomic<std::int64_t> wait_ns_{0};       // written under mu_
};

// MutexLock holds an InstrumentedMutex for its scope, like std::unique_lock,
// and can be unlocked early and relocked, which condition variables need.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(InstrumentedMutex& mu) ACQUIRE(mu) : mu_(mu) {
    mu_.lock();
  }
  ~MutexLock() RELEASE() {
    if (held_) mu_.unlock();
  }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  void lock() ACQUIRE() {
    mu_.lock();
    held_ = true;
  }
  void unlock() RELEASE() {
    held_ = false;
    mu_.unlock();
  }

 private:
  InstrumentedMutex& mu_;
  bool held_ = true;
};

}  // namespace sharemem
