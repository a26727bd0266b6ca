#include "mutex_version/resources.h"

#include <algorithm>

namespace sharemem {

Resources::Resources(const std::vector<std::string>& urls, bool busy_wait)
    : busy_wait_(busy_wait) {
  const Clock::time_point now = Clock::now();
  data_.reserve(urls.size());
  for (const auto& url : urls) data_.emplace_back(url);
  state_.assign(urls.size(), State{false, now, 0});
}

Resource* Resources::pick(std::stop_token stop) {
  Resource* picked = nullptr;
  bool wake_another = false;
  {
    MutexLock lock(lock_);

    while (picked == nullptr && !stop.stop_requested()) {
      // Scan for the least recently picked resource that is free and due,
      // noting how many are free and when the next resting one is due.
      const Clock::time_point now = Clock::now();
      std::size_t best = data_.size();
      std::size_t free = 0;
      Clock::time_point next_due = Clock::time_point::max();
      for (std::size_t i = 0; i < data_.size(); ++i) {
        const State& s = state_[i];
        if (s.polling) continue;
        ++free;
        if (s.due > now) {
          next_due = std::min(next_due, s.due);
        } else if (best == data_.size() ||
                   s.last_pick < state_[best].last_pick) {
          best = i;
        }
      }

      // Found one: it is ours until release. If others are free, a waiting
      // poller must keep watch over them, so wake one to scan again.
      if (best != data_.size()) {
        state_[best].polling = true;
        state_[best].last_pick = ++picks_;
        picked = &data_[best];
        wake_another = free > 1 && waiting_ > 0;
        if (wake_another) ++changes_;
        break;
      }

      // None is due. The busy variant lets go of the lock and scans again.
      if (busy_wait_) {
        lock.unlock();
        lock.lock();
        continue;
      }

      // Wait for a change, the next due time, or stop.
      const std::uint64_t seen = changes_;
      auto changed = [&]()
                         NO_THREAD_SAFETY_ANALYSIS { return changes_ != seen; };
      ++waiting_;
      if (next_due == Clock::time_point::max()) {
        changed_.wait(lock, stop, changed);
      } else {
        changed_.wait_until(lock, stop, next_due, changed);
      }
      --waiting_;
    }
  }
  if (wake_another) changed_.notify_one();
  return picked;
}

void Resources::release(Resource* r, Duration rest) {
  const auto i = static_cast<std::size_t>(r - data_.data());
  const Clock::time_point due = Clock::now() + rest;
  bool wake = false;
  {
    MutexLock lock(lock_);

    state_[i].polling = false;
    state_[i].due = due;
    wake = waiting_ > 0;
    if (wake) ++changes_;
  }
  if (wake) changed_.notify_one();
}

}  // namespace sharemem
