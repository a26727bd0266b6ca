// PollerConfig: the settings both pollers share, and the rest rule.
//
// A resource that has just been polled rests before it may be polled again:
// the poll interval, plus one error timeout for each error in a row, capped
// so that a resource that keeps failing is still polled now and then.
//
// Thread safety: a PollerConfig is a value; copy it freely.
#pragma once

#include <chrono>

namespace sharemem {

using Clock = std::chrono::steady_clock;
using Duration = Clock::duration;

struct PollerConfig {
  // pollers is the number of threads that fetch resources.
  int pollers = 2;

  // poll_interval is how long a healthy resource rests between polls.
  Duration poll_interval = std::chrono::seconds(60);

  // err_timeout is the extra rest for each error in a row.
  Duration err_timeout = std::chrono::seconds(10);

  // max_backoff caps the extra rest that errors add.
  Duration max_backoff = std::chrono::minutes(10);

  // status_interval is how often the status table is printed.
  Duration status_interval = std::chrono::seconds(10);

  // busy_wait makes the mutex version's pollers retry the pick in a loop
  // instead of waiting, as the simplest lock-based poller does. It exists to
  // measure what that costs; the channel version ignores it.
  bool busy_wait = false;
};

// validate throws std::invalid_argument naming the first setting that is out
// of range: pollers below 1, a negative duration, or a status interval of 0.
void validate(const PollerConfig& config);

// rest_time returns how long a resource rests after a poll that left it with
// err_count errors in a row: poll_interval + err_timeout * err_count, where
// the error part is at most max_backoff.
Duration rest_time(const PollerConfig& config, int err_count);

}  // namespace sharemem
