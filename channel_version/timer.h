// Timer and Ticker: channels that the clock sends on, as Go's time.Timer and
// time.Ticker.
//
//   Timer timer(2s);    timer.channel() receives the time once, after 2s.
//   Ticker ticker(1s);  ticker.channel() receives the time every second.
//
// Both channels have capacity 1. A ticker that fires while the previous
// tick is still unread drops the new tick, so a slow reader sees fewer ticks
// rather than a backlog. stop() ends the clock; nothing more is sent after
// it returns. The destructor stops.
//
// Each Timer or Ticker runs one thread that sleeps until the next firing.
//
// Thread safety: channel() may be received from by any thread. stop() and
// the destructor belong to the owner.
#pragma once

#include <thread>

#include "channel_version/channel.h"
#include "common/config.h"

namespace sharemem {

class Ticker {
 public:
  // Ticker starts sending the time on channel() every period, the first
  // time one period from now. period must be positive.
  explicit Ticker(Duration period);
  ~Ticker() { stop(); }
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

  Channel<Clock::time_point>& channel() { return channel_; }

  // stop ends the ticks and joins the clock thread. It may be called twice.
  void stop();

 protected:
  // Ticker(period, repeat): a Timer is a Ticker that fires once.
  Ticker(Duration period, bool repeat);

 private:
  void run(std::stop_token stop);

  const Duration period_;
  const bool repeat_;
  Channel<Clock::time_point> channel_{1};
  std::jthread clock_;  // last: starts after every other member is ready
};

class Timer : public Ticker {
 public:
  // Timer sends the time on channel() once, after delay.
  explicit Timer(Duration delay) : Ticker(delay, false) {}
};

}  // namespace sharemem
