// MutexQueue<T>: the baseline the channel benchmarks compare against, a
// bounded queue built the plain way, from one std::mutex and two
// std::condition_variables.
//
// The main operations:
//   send(v)      blocks while the queue is full, appends v, and with
//                capacity 0 then blocks until a receiver has taken v: a
//                real rendezvous, as an unbuffered channel.
//   receive()    blocks while the queue is empty, then takes the oldest
//                value.
//   QueueSet     several queues that share one lock, so that one thread can
//                wait for whichever of them is ready: receive_any and
//                send_any, the baseline's select.
//
// Every change notifies all waiters of the right kind after unlocking;
// waiters re-check their condition. That is the honest cost of waiting on
// condition variables: a sleeper is woken by the kernel every time, and
// with several waiters they all wake to find that one of them won.
//
// Thread safety: any number of threads may send and receive at once. The
// queues of one QueueSet are all guarded by the set's lock.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

namespace sharemem::bench {

// QueueLock is the lock, and the two conditions, that one or more queues
// share.
struct QueueLock {
  std::mutex mu;
  std::condition_variable readable;  // a value was added
  std::condition_variable writable;  // a value was taken
};

template <typename T>
class MutexQueue {
 public:
  // MutexQueue makes a queue of `capacity` values (0: rendezvous), guarded
  // by `lock`, which may be shared with other queues.
  MutexQueue(std::size_t capacity, std::shared_ptr<QueueLock> lock)
      : capacity_(capacity), lock_(std::move(lock)) {}
  explicit MutexQueue(std::size_t capacity)
      : MutexQueue(capacity, std::make_shared<QueueLock>()) {}

  // send appends value, blocking while the queue is full; with capacity 0
  // it returns only after a receiver has taken value.
  void send(T value) {
    std::unique_lock lock(lock_->mu);
    lock_->writable.wait(lock, [&] { return can_send(); });
    const std::uint64_t ticket = push(std::move(value));
    lock.unlock();
    lock_->readable.notify_all();

    // Rendezvous: wait until a receiver has taken the value.
    if (capacity_ == 0) {
      lock.lock();
      lock_->writable.wait(lock, [&] { return taken_ >= ticket; });
    }
  }

  // receive blocks while the queue is empty, then returns the oldest value.
  T receive() {
    std::unique_lock lock(lock_->mu);
    lock_->readable.wait(lock, [&] { return can_receive(); });
    T value = pop();
    lock.unlock();
    lock_->writable.notify_all();
    return value;
  }

 private:
  template <typename U>
  friend class QueueSet;

  // The helpers below require lock_->mu.

  // can_send: there is room. Capacity 0 holds one value in flight.
  bool can_send() const {
    return values_.size() < (capacity_ == 0 ? 1 : capacity_);
  }
  bool can_receive() const { return !values_.empty(); }

  // push appends value and returns its ticket, its position in the order
  // of all values ever sent.
  std::uint64_t push(T value) {
    values_.push_back(std::move(value));
    return ++pushed_;
  }
  T pop() {
    T value = std::move(values_.front());
    values_.pop_front();
    ++taken_;
    return value;
  }

  const std::size_t capacity_;
  std::shared_ptr<QueueLock> lock_;
  std::deque<T> values_;      // guarded by lock_->mu
  std::uint64_t pushed_ = 0;  // values ever sent; guarded by lock_->mu
  std::uint64_t taken_ = 0;   // values ever taken; guarded by lock_->mu
};

// QueueSet: `count` queues of one capacity under one shared lock.
template <typename T>
class QueueSet {
 public:
  QueueSet(std::size_t count, std::size_t capacity)
      : lock_(std::make_shared<QueueLock>()) {
    for (std::size_t i = 0; i < count; ++i) {
      queues_.push_back(std::make_unique<MutexQueue<T>>(capacity, lock_));
    }
  }

  MutexQueue<T>& operator[](std::size_t i) { return *queues_[i]; }

  // receive_any blocks until some queue holds a value and takes it from
  // one chosen at random among the ready ones.
  T receive_any() {
    std::unique_lock lock(lock_->mu);
    MutexQueue<T>* queue = nullptr;
    lock_->readable.wait(lock, [&] {
      return (queue = pick([](auto& q) { return q.can_receive(); }));
    });
    T value = queue->pop();
    lock.unlock();
    lock_->writable.notify_all();
    return value;
  }

  // send_any blocks until some queue has room, appends value to one chosen
  // at random among them, and with capacity 0 waits until it was taken.
  void send_any(T value) {
    std::unique_lock lock(lock_->mu);
    MutexQueue<T>* queue = nullptr;
    lock_->writable.wait(lock, [&] {
      return (queue = pick([](auto& q) { return q.can_send(); }));
    });
    const std::uint64_t ticket = queue->push(std::move(value));
    lock.unlock();
    lock_->readable.notify_all();

    // Rendezvous: wait until a receiver has taken the value.
    if (queue->capacity_ == 0) {
      lock.lock();
      lock_->writable.wait(lock, [&] { return queue->taken_ >= ticket; });
    }
  }

 private:
  // pick returns a queue for which ready(queue) holds, trying them from a
  // random start, or nullptr. It requires lock_->mu.
  template <typename Ready>
  MutexQueue<T>* pick(Ready ready) {
    thread_local std::minstd_rand generator{std::random_device{}()};
    const std::size_t start = generator() % queues_.size();
    for (std::size_t i = 0; i < queues_.size(); ++i) {
      MutexQueue<T>& queue = *queues_[(start + i) % queues_.size()];
      if (ready(queue)) return &queue;
    }
    return nullptr;
  }

  std::shared_ptr<QueueLock> lock_;
  std::vector<std::unique_ptr<MutexQueue<T>>> queues_;
};

}  // namespace sharemem::bench
