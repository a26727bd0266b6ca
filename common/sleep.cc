#include "common/sleep.h"

#include <condition_variable>
#include <mutex>

namespace sharemem {

bool sleep_until(Clock::time_point t, std::stop_token stop) {
  // Wait on a condition variable that only a stop request notifies, through
  // a callback registered for as long as the wait lasts. The mutex and the
  // condition variable outlive the callback, whose destructor waits for a
  // callback already running.
  std::mutex mu;
  std::condition_variable cv;
  bool stopped = false;
  std::stop_callback wake(stop, [&] {
    {
      std::lock_guard lock(mu);
      stopped = true;
    }
    cv.notify_one();
  });

  std::unique_lock lock(mu);
  cv.wait_until(lock, t, [&] { return stopped; });
  return !stopped;
}

}  // namespace sharemem
