#include "channel_version/timer.h"

#include <stdexcept>

#include "common/sleep.h"

namespace sharemem {

namespace {

Duration positive(Duration period) {
  if (period <= Duration::zero()) {
    throw std::invalid_argument("Ticker: period must be positive");
  }
  return period;
}

}  // namespace

Ticker::Ticker(Duration period) : Ticker(positive(period), true) {}

Ticker::Ticker(Duration period, bool repeat)
    : period_(period),
      repeat_(repeat),
      clock_([this](std::stop_token stop) { run(stop); }) {}

void Ticker::stop() {
  if (!clock_.joinable()) return;
  clock_.request_stop();
  clock_.join();
}

void Ticker::run(std::stop_token stop) {
  Clock::time_point next = Clock::now() + period_;
  do {
    // Sleep until the next firing, or until stop.
    if (!sleep_until(next, stop)) return;

    // Fire; a tick nobody has read yet makes this one redundant.
    Clock::time_point now = Clock::now();
    channel_.try_send(now);
    next += period_;
    if (next < now) next = now + period_;
  } while (repeat_);
}

}  // namespace sharemem
