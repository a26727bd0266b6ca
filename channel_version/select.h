// Select: wait on several channel operations at once and perform exactly
// one, as Go's select statement does.
//
//   Select()
//       .receive(updates, [&](std::optional<State> s) { ... })
//       .send(out, resource, [&] { ... })
//       .receive(ticker.channel(), [&](auto) { print(); })
//       .wait();
//
// The main operations:
//   receive(ch, f)   a case that receives from ch and calls f with the value,
//                    or with std::nullopt if ch is closed and drained.
//   send(ch, v, f)   a case that moves v into ch and calls f. v stays with
//                    the caller unless this case fires.
//   otherwise(f)     a default: if no case is ready now, call f instead of
//                    blocking.
//   wait()           perform one ready case, blocking until one is ready,
//                    and return its index (cases count from 0 in the order
//                    they were added; a default counts too).
//   wait_until(t), wait_for(d)  the same, but give up at a deadline and
//                    return std::nullopt.
//
// When several cases are ready, one is chosen uniformly at random, so no
// channel can starve the others. Exactly one case fires, even when the same
// channel appears in several cases and other threads race for its values. A
// send case on a closed channel throws ChannelClosedError, as send does.
// A Select may be waited on again; each wait performs one case.
//
// How it works, as Go's runtime does it: lock every channel involved, in
// address order so that two selects cannot deadlock; look for a ready case in
// random order; if none, put one wait node on every channel, all pointing at
// one Parker, unlock and sleep. The first channel to claim the Parker
// completes its case and wakes us; we then unlink our nodes from the others.
//
// Thread safety: a Select belongs to the thread that built it; the channels
// it names may be shared freely.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "channel_version/channel.h"

namespace sharemem {
namespace channel_detail {

// Case is one arm of a select, with its channel's type erased.
class Case {
 public:
  virtual ~Case() = default;

  // mutex returns the lock of the case's channel.
  virtual InstrumentedMutex& mutex() = 0;

  // attempt_locked performs the case if it can without blocking; the caller
  // holds mutex(). On kDone, *wake is a waiter to finish after unlocking.
  virtual Attempt attempt_locked(Parker** wake) = 0;

  // enqueue_locked and dequeue_locked put node in, or take it out of, the
  // channel's wait queue for this case's direction.
  virtual void enqueue_locked(WaitNode& node) = 0;
  virtual void dequeue_locked(WaitNode& node) = 0;

  // fired runs the case's action once the case has completed; closed means
  // the channel was closed rather than a value moved.
  virtual void fired(bool closed) = 0;
};

template <typename T>
class ReceiveCase : public Case {
 public:
  ReceiveCase(Channel<T>& channel, std::function<void(std::optional<T>)> f)
      : channel_(channel), action_(std::move(f)) {}

  InstrumentedMutex& mutex() override { return channel_.mu_; }
  Attempt attempt_locked(Parker** wake) override NO_THREAD_SAFETY_ANALYSIS {
    return channel_.try_receive_locked(value_, wake);
  }
  void enqueue_locked(WaitNode& node) override NO_THREAD_SAFETY_ANALYSIS {
    node.slot = &value_;
    channel_.receivers_.push_back(node);
  }
  void dequeue_locked(WaitNode& node) override NO_THREAD_SAFETY_ANALYSIS {
    channel_.receivers_.remove(node);
  }
  void fired(bool) override {
    std::optional<T> value = std::exchange(value_, std::nullopt);
    if (action_) action_(std::move(value));
  }

 private:
  Channel<T>& channel_;
  std::function<void(std::optional<T>)> action_;
  std::optional<T> value_;  // where a sender puts the value
};

template <typename T>
class SendCase : public Case {
 public:
  SendCase(Channel<T>& channel, T& value, std::function<void()> f)
      : channel_(channel), value_(value), action_(std::move(f)) {}

  InstrumentedMutex& mutex() override { return channel_.mu_; }
  Attempt attempt_locked(Parker** wake) override NO_THREAD_SAFETY_ANALYSIS {
    return channel_.try_send_locked(value_, wake);
  }
  void enqueue_locked(WaitNode& node) override NO_THREAD_SAFETY_ANALYSIS {
    node.slot = &value_;
    channel_.senders_.push_back(node);
  }
  void dequeue_locked(WaitNode& node) override NO_THREAD_SAFETY_ANALYSIS {
    channel_.senders_.remove(node);
  }
  void fired(bool closed) override {
    if (closed) throw ChannelClosedError("send on closed channel");
    if (action_) action_();
  }

 private:
  Channel<T>& channel_;
  T& value_;  // the caller's value, moved from only if this case fires
  std::function<void()> action_;
};

}  // namespace channel_detail

class Select {
 public:
  // receive adds a case that receives from channel; on_value gets the value,
  // or std::nullopt if the channel is closed and drained.
  template <typename T, typename F>
  Select& receive(Channel<T>& channel, F&& on_value) {
    cases_.push_back(std::make_unique<channel_detail::ReceiveCase<T>>(
        channel, std::forward<F>(on_value)));
    return *this;
  }
  template <typename T>
  Select& receive(Channel<T>& channel) {
    return receive(channel, std::function<void(std::optional<T>)>());
  }

  // send adds a case that moves value into channel, then calls on_sent.
  // value must outlive the Select; it is moved from only if this case fires.
  template <typename T, typename F>
  Select& send(Channel<T>& channel, T& value, F&& on_sent) {
    cases_.push_back(std::make_unique<channel_detail::SendCase<T>>(
        channel, value, std::forward<F>(on_sent)));
    return *this;
  }
  template <typename T>
  Select& send(Channel<T>& channel, T& value) {
    return send(channel, value, std::function<void()>());
  }

  // otherwise adds the default case: when no other case is ready, wait runs
  // f and returns at once. Its index is the number of cases before it.
  template <typename F>
  Select& otherwise(F&& f) {
    default_index_ = cases_.size();
    default_ = std::forward<F>(f);
    return *this;
  }

  // wait performs exactly one case and returns its index, blocking until
  // one is ready (unless there is a default). A Select with no cases and no
  // default blocks forever, as in Go.
  std::size_t wait() { return *wait_until(std::nullopt); }

  // wait_until is wait that gives up at deadline, returning std::nullopt
  // with no case performed.
  std::optional<std::size_t> wait_until(
      std::optional<Clock::time_point> deadline);
  std::optional<std::size_t> wait_for(Duration timeout) {
    return wait_until(Clock::now() + timeout);
  }

 private:
  // index maps a position in cases_ to the index the caller sees, which
  // counts the default too.
  std::size_t index(std::size_t i) const {
    return default_index_ && i >= *default_index_ ? i + 1 : i;
  }
  void lock_all() NO_THREAD_SAFETY_ANALYSIS;
  void unlock_all() NO_THREAD_SAFETY_ANALYSIS;
  void shuffle_order();

  std::vector<std::unique_ptr<channel_detail::Case>> cases_;
  std::function<void()> default_;
  std::optional<std::size_t> default_index_;
  std::vector<std::size_t> order_;         // poll order, shuffled each wait
  std::vector<InstrumentedMutex*> locks_;  // distinct, in address order
  // One wait node per case, in the channels' queues while wait blocks; kept
  // here so that waiting again allocates nothing.
  std::vector<channel_detail::WaitNode> nodes_;
};

}  // namespace sharemem
