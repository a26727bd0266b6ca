#include "common/sleep.h"

#include <condition_variable>
#include <mutex>

namespace sharemem {

bool sleep_until(Clock::time_point t, std::stop_token stop) {
  // A condition variable that nobody notifies: only the clock and a stop
  // request end the wait.
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  cv.wait_until(lock, stop, t, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace sharemem
