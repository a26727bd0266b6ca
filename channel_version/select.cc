#include "channel_version/select.h"

#include <numeric>
#include <random>

namespace sharemem {
namespace {

// random_below returns a uniformly random number in [0, n), from a
// generator private to the calling thread.
std::size_t random_below(std::size_t n) {
  thread_local std::minstd_rand generator{std::random_device{}()};
  return std::uniform_int_distribution<std::size_t>(0, n - 1)(generator);
}

}  // namespace

void Select::shuffle_order() {
  // Rebuild the lock order when cases were added since the last wait.
  if (order_.size() != cases_.size()) {
    order_.resize(cases_.size());
    nodes_.resize(cases_.size());
    locks_.clear();
    for (auto& c : cases_) locks_.push_back(&c->mutex());
    std::sort(locks_.begin(), locks_.end());
    locks_.erase(std::unique(locks_.begin(), locks_.end()), locks_.end());
  }

  // Fisher-Yates: every order equally likely.
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  for (std::size_t i = order_.size(); i > 1; --i) {
    std::swap(order_[i - 1], order_[random_below(i)]);
  }
}

void Select::lock_all() {
  for (InstrumentedMutex* mu : locks_) mu->lock();
}

void Select::unlock_all() {
  for (InstrumentedMutex* mu : locks_) mu->unlock();
}

std::optional<std::size_t> Select::wait_until(
    std::optional<Clock::time_point> deadline) {
  using channel_detail::Attempt;
  using channel_detail::Parker;
  using channel_detail::WaitNode;

  // No cases: run the default, or block until the deadline (forever
  // without one).
  if (cases_.empty()) {
    if (default_) {
      default_();
      return default_index_;
    }
    Parker never_finished;
    if (!deadline) never_finished.wait();
    never_finished.wait_until(*deadline);
    return std::nullopt;
  }

  // Pass 1: with every channel locked, perform the first ready case in a
  // random order.
  shuffle_order();
  lock_all();
  for (std::size_t i : order_) {
    Parker* wake = nullptr;
    Attempt attempt = cases_[i]->attempt_locked(&wake);
    if (attempt == Attempt::kWouldBlock) continue;
    unlock_all();
    if (wake != nullptr) wake->finish();
    cases_[i]->fired(attempt == Attempt::kClosed);
    return index(i);
  }

  // Nothing is ready: take the default, or give up if the time is past.
  if (default_) {
    unlock_all();
    default_();
    return default_index_;
  }
  if (deadline && Clock::now() >= *deadline) {
    unlock_all();
    return std::nullopt;
  }

  // Pass 2: wait on every channel at once, one node each, one Parker for
  // all, then sleep until the first channel claims it.
  Parker parker;
  for (std::size_t i = 0; i < cases_.size(); ++i) {
    nodes_[i] = WaitNode{&parker, static_cast<int>(i)};
    cases_[i]->enqueue_locked(nodes_[i]);
  }
  unlock_all();
  bool completed = true;
  if (deadline) {
    completed = parker.wait_until(*deadline);
  } else {
    parker.wait();
  }

  // Pass 3: leave the queues of the channels that did not fire.
  lock_all();
  for (std::size_t i = 0; i < cases_.size(); ++i) {
    cases_[i]->dequeue_locked(nodes_[i]);
  }
  unlock_all();
  if (!completed) return std::nullopt;

  auto fired = static_cast<std::size_t>(parker.fired);
  cases_[fired]->fired(parker.closed);
  return index(fired);
}

}  // namespace sharemem
