#include "mutex_version/status.h"

#include "common/sleep.h"

namespace sharemem {

void StatusMap::update(const std::string& url, std::string status,
                       int err_count) {
  MutexLock lock(lock_);
  table_.update(url, std::move(status), err_count);
}

Snapshot StatusMap::rows() const {
  MutexLock lock(lock_);
  return table_.rows();
}

void logger(const StatusMap& status, Duration interval, std::ostream& out,
            std::stop_token stop) {
  for (Clock::time_point next = Clock::now() + interval;
       sleep_until(next, stop); next += interval) {
    status.print(out);
  }
}

}  // namespace sharemem
