#include "mutex_version/resources.h"

#include <limits>

namespace sharemem {

Resources::Resources(const std::vector<std::string>& urls, bool busy_wait)
    : busy_wait_(busy_wait) {
  const Clock::time_point now = Clock::now();
  data_.reserve(urls.size());
  for (const auto& url : urls) data_.emplace_back(url);
  state_.assign(urls.size(), State{false, now, 0});
}

Resource* Resources::pick(std::stop_token stop) {
  MutexLock lock(lock_);

  while (!stop.stop_requested()) {
    // Scan for the least recently picked resource that is free and due,
    // noting when the next resting one will be due.
    const Clock::time_point now = Clock::now();
    std::size_t best = data_.size();
    Clock::time_point next_due = Clock::time_point::max();
    for (std::size_t i = 0; i < data_.size(); ++i) {
      const State& s = state_[i];
      if (s.polling) continue;
      if (s.due > now) {
        next_due = std::min(next_due, s.due);
      } else if (best == data_.size() ||
                 s.last_pick < state_[best].last_pick) {
        best = i;
      }
    }

    // Found one: it is ours until release.
    if (best != data_.size()) {
      state_[best].polling = true;
      state_[best].last_pick = ++picks_;
      return &data_[best];
    }

    // None is due. The busy variant lets go of the lock and scans again.
    if (busy_wait_) {
      lock.unlock();
      lock.lock();
      continue;
    }

    // Wait for a release, the next due time, or stop.
    const std::uint64_t releases = releases_;
    auto released = [&]() NO_THREAD_SAFETY_ANALYSIS {
      return releases_ != releases;
    };
    if (next_due == Clock::time_point::max()) {
      released_.wait(lock, stop, released);
    } else {
      released_.wait_until(lock, stop, next_due, released);
    }
  }
  return nullptr;
}

void Resources::release(Resource* r, Duration rest) {
  const auto i = static_cast<std::size_t>(r - data_.data());
  const Clock::time_point due = Clock::now() + rest;
  {
    MutexLock lock(lock_);

    state_[i].polling = false;
    state_[i].due = due;
    ++releases_;
  }
  released_.notify_one();
}

}  // namespace sharemem
