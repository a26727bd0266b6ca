#include "mutex_version/resources.h"

namespace sharemem {

Resources::Resources(const std::vector<std::string>& urls, bool busy_wait)
    : busy_wait_(busy_wait) {
  data_.reserve(urls.size());
  for (const auto& url : urls) data_.emplace_back(url);
  last_pick_.assign(urls.size(), 0);
  for (std::size_t i = 0; i < urls.size(); ++i) ready_.emplace(0, i);
}

void Resources::wake_due(Clock::time_point now) {
  while (!resting_.empty() && resting_.top().first <= now) {
    const std::size_t i = resting_.top().second;
    resting_.pop();
    ready_.emplace(last_pick_[i], i);
  }
}

Resource* Resources::pick(std::stop_token stop) {
  Resource* picked = nullptr;
  bool wake_another = false;
  {
    MutexLock lock(lock_);

    while (picked == nullptr && !stop.stop_requested()) {
      // Take the least recently picked of the resources that are due.
      wake_due(Clock::now());
      if (!ready_.empty()) {
        const std::size_t i = ready_.top().second;
        ready_.pop();
        last_pick_[i] = ++picks_;
        picked = &data_[i];

        // It is ours until release. If others are free, a waiting poller
        // must keep watch over them, so wake one to look again.
        wake_another = (!ready_.empty() || !resting_.empty()) && waiting_ > 0;
        if (wake_another) ++changes_;
        break;
      }

      // None is due. The busy variant lets go of the lock and tries again.
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
      if (resting_.empty()) {
        changed_.wait(lock, stop, changed);
      } else {
        // A copy: the wait reads the deadline after letting go of the lock.
        const Clock::time_point next_due = resting_.top().first;
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
  MutexLock lock(lock_);

  resting_.emplace(due, i);
}

}  // namespace sharemem
