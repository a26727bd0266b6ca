// Channel<T>: Go's channel in C++: a typed pipe that goroutines, here
// threads, use to hand values to each other.
//
// The main operations:
//   send(v)       blocks until a receiver has taken v (capacity 0: a
//                 rendezvous) or v is in the buffer (capacity N).
//   receive()     blocks until a value arrives; returns std::nullopt once the
//                 channel is closed and drained.
//   close()       no more sends; receivers drain what is buffered.
//   try_send / try_receive never block; send_until / receive_until and the
//   _for variants give up at a deadline. for (T& v : ch) receives until the
//   channel is closed and drained. Select (select.h) waits on several
//   channels at once.
//
// Sending moves the value: a Channel<std::unique_ptr<Resource>> hands over
// ownership with the message, and after send() the sender holds nothing.
//
// How it works: each channel has one lock, a ring buffer of `capacity`
// slots, and two wait queues, blocked senders and blocked receivers. A
// sender that finds a receiver waiting moves its value straight into that
// receiver's slot and wakes it; only when nobody waits does it use the
// buffer, and only when the buffer is full does it wait itself. Receivers
// do the mirror image. Every blocked thread has its own Parker and is woken
// on its own, after the lock is released. docs/channel.md walks through it.
//
// Misuse fails loudly: send on a closed channel and closing twice throw
// ChannelClosedError.
//
// Thread safety: any number of threads may send, receive and close at once.
// Destroying a channel while threads are blocked on it is a precondition
// violation; the destructor reports it and aborts.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "channel_version/wait_queue.h"
#include "common/config.h"
#include "common/contention.h"
#include "common/thread_annotations.h"

namespace sharemem {

// ChannelClosedError reports a send on, or a close of, a closed channel.
class ChannelClosedError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

namespace channel_detail {
template <typename T>
class ReceiveCase;
template <typename T>
class SendCase;

// Attempt is the outcome of trying an operation without blocking.
enum class Attempt { kWouldBlock, kDone, kClosed };
}  // namespace channel_detail

template <typename T>
class Channel {
 public:
  // Channel makes a channel that buffers up to `capacity` values; 0 makes
  // every send a rendezvous with a receiver.
  explicit Channel(std::size_t capacity = 0)
      : capacity_(capacity), ring_(std::make_unique<Slot[]>(capacity)) {}

  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // send delivers value, blocking until a receiver takes it or buffer space
  // frees up. It throws ChannelClosedError if the channel is closed, also
  // when the close happens while send is blocked.
  void send(T value) { send_until(value, std::nullopt); }

  // try_send delivers value if that needs no waiting and returns true;
  // otherwise it returns false and leaves value untouched. It throws
  // ChannelClosedError if the channel is closed.
  bool try_send(T& value);

  // send_until is send that gives up at deadline: false means value was not
  // delivered and is untouched. No deadline blocks for as long as it takes.
  bool send_until(T& value, std::optional<Clock::time_point> deadline);
  bool send_for(T& value, Duration timeout) {
    return send_until(value, Clock::now() + timeout);
  }

  // receive blocks until a value arrives and returns it, or returns
  // std::nullopt once the channel is closed and its buffer drained.
  std::optional<T> receive() { return receive_until(std::nullopt); }

  // try_receive returns a value if one is ready, and std::nullopt if none is
  // or the channel is closed and drained; it never blocks.
  std::optional<T> try_receive();

  // receive_until is receive that gives up at deadline, returning
  // std::nullopt.
  std::optional<T> receive_until(std::optional<Clock::time_point> deadline);
  std::optional<T> receive_for(Duration timeout) {
    return receive_until(Clock::now() + timeout);
  }

  // close marks the channel closed and wakes every blocked thread: blocked
  // receivers get std::nullopt once the buffer is drained, blocked senders
  // throw. Closing twice throws ChannelClosedError.
  void close();

  // closed reports whether close has been called.
  bool closed() const;

  // size returns how many values are buffered; capacity how many can be.
  std::size_t size() const;
  std::size_t capacity() const { return capacity_; }

  // counters returns the counts of the channel's lock.
  ContentionCounters counters() const { return mu_.counters(); }

  // Range-for support: `for (T& v : ch)` receives until closed and drained;
  // each value is the loop's to keep or move from.
  class Iterator {
   public:
    explicit Iterator(Channel& channel) : channel_(&channel) { ++*this; }
    T& operator*() { return *value_; }
    Iterator& operator++() {
      value_ = channel_->receive();
      return *this;
    }
    bool operator==(std::default_sentinel_t) const { return !value_; }

   private:
    Channel* channel_;
    std::optional<T> value_;
  };
  Iterator begin() { return Iterator(*this); }
  std::default_sentinel_t end() { return {}; }

 private:
  friend class channel_detail::ReceiveCase<T>;
  friend class channel_detail::SendCase<T>;
  using Attempt = channel_detail::Attempt;
  using Parker = channel_detail::Parker;
  using WaitNode = channel_detail::WaitNode;

  // try_send_locked delivers value to a waiting receiver or the buffer. On
  // kDone, *wake is the receiver to finish once the lock is released.
  Attempt try_send_locked(T& value, Parker** wake) REQUIRES(mu_);

  // try_receive_locked takes a value from the buffer or a waiting sender
  // into out; kClosed means closed and drained. On kDone, *wake is the
  // sender to finish once the lock is released.
  Attempt try_receive_locked(std::optional<T>& out, Parker** wake)
      REQUIRES(mu_);

  // complete hands the waiter in node its result and returns its Parker.
  static Parker* complete(WaitNode& node, bool closed) {
    node.parker->fired = node.case_index;
    node.parker->closed = closed;
    return node.parker;
  }

  // push appends to the ring buffer, which must have room; pop takes the
  // oldest value, which must be there.
  void push(T value) REQUIRES(mu_) {
    std::size_t tail = head_ + count_;
    if (tail >= capacity_) tail -= capacity_;
    std::construct_at(&ring_[tail].value, std::move(value));
    ++count_;
  }
  T pop() REQUIRES(mu_) {
    T value = std::move(ring_[head_].value);
    std::destroy_at(&ring_[head_].value);
    if (++head_ == capacity_) head_ = 0;
    --count_;
    return value;
  }

  // Slot is raw storage for one buffered value: it holds a T from push to
  // pop, and nothing otherwise, so an empty buffer costs no constructions.
  union Slot {
    Slot() {}
    ~Slot() {}
    T value;
  };

  const std::size_t capacity_;
  mutable InstrumentedMutex mu_;
  bool closed_ GUARDED_BY(mu_) = false;
  // The buffer: count_ values in capacity_ slots, the oldest at head_.
  const std::unique_ptr<Slot[]> ring_ GUARDED_BY(mu_);
  std::size_t head_ GUARDED_BY(mu_) = 0;
  std::size_t count_ GUARDED_BY(mu_) = 0;
  channel_detail::WaitQueue senders_ GUARDED_BY(mu_);
  channel_detail::WaitQueue receivers_ GUARDED_BY(mu_);
};

// ---------------------------------------------------------------------------
// Implementation.

template <typename T>
Channel<T>::~Channel() {
  MutexLock lock(mu_);
  if (!senders_.empty() || !receivers_.empty()) {
    std::fputs("sharemem::Channel: destroyed while threads are blocked on it\n",
               stderr);
    std::abort();
  }
  while (count_ > 0) pop();
}

template <typename T>
auto Channel<T>::try_send_locked(T& value, Parker** wake) -> Attempt {
  if (closed_) return Attempt::kClosed;

  // A receiver is waiting: hand the value over directly.
  if (WaitNode* receiver = receivers_.claim_first()) {
    *static_cast<std::optional<T>*>(receiver->slot) = std::move(value);
    *wake = complete(*receiver, false);
    return Attempt::kDone;
  }

  // There is room in the buffer.
  if (count_ < capacity_) {
    push(std::move(value));
    return Attempt::kDone;
  }
  return Attempt::kWouldBlock;
}

template <typename T>
auto Channel<T>::try_receive_locked(std::optional<T>& out, Parker** wake)
    -> Attempt {
  // A sender is waiting. With a buffer, it waits only when the buffer is
  // full: take the oldest value and move the sender's into the freed slot,
  // so values stay in order. Without one, take the sender's value.
  if (WaitNode* sender = senders_.claim_first()) {
    T& sent = *static_cast<T*>(sender->slot);
    if (count_ > 0) {
      out = pop();
      push(std::move(sent));
    } else {
      out = std::move(sent);
    }
    *wake = complete(*sender, false);
    return Attempt::kDone;
  }

  // A value is buffered.
  if (count_ > 0) {
    out = pop();
    return Attempt::kDone;
  }
  return closed_ ? Attempt::kClosed : Attempt::kWouldBlock;
}

template <typename T>
bool Channel<T>::try_send(T& value) {
  Parker* wake = nullptr;
  Attempt attempt;
  {
    MutexLock lock(mu_);
    attempt = try_send_locked(value, &wake);
  }
  if (attempt == Attempt::kClosed) {
    throw ChannelClosedError("send on closed channel");
  }
  if (wake != nullptr) wake->finish();
  return attempt == Attempt::kDone;
}

template <typename T>
bool Channel<T>::send_until(T& value,
                            std::optional<Clock::time_point> deadline) {
  Parker parker;
  WaitNode node{&parker, 0, &value};

  // Fast path: deliver at once.
  {
    Parker* wake = nullptr;
    MutexLock lock(mu_);
    switch (try_send_locked(value, &wake)) {
      case Attempt::kDone:
        lock.unlock();
        if (wake != nullptr) wake->finish();
        return true;
      case Attempt::kClosed:
        lock.unlock();
        throw ChannelClosedError("send on closed channel");
      case Attempt::kWouldBlock:
        break;
    }
    if (deadline && Clock::now() >= *deadline) return false;

    // Slow path: queue up; a receiver will take the value from node.slot.
    senders_.push_back(node);
  }

  // Sleep until a receiver or close completes us, or the deadline passes.
  if (!deadline) {
    parker.wait();
  } else if (!parker.wait_until(*deadline)) {
    MutexLock lock(mu_);
    senders_.remove(node);
    return false;
  }
  if (parker.closed) throw ChannelClosedError("send on closed channel");
  return true;
}

template <typename T>
std::optional<T> Channel<T>::try_receive() {
  std::optional<T> out;
  Parker* wake = nullptr;
  {
    MutexLock lock(mu_);
    try_receive_locked(out, &wake);
  }
  if (wake != nullptr) wake->finish();
  return out;
}

template <typename T>
std::optional<T> Channel<T>::receive_until(
    std::optional<Clock::time_point> deadline) {
  std::optional<T> out;
  Parker parker;
  WaitNode node{&parker, 0, &out};

  // Fast path: a value, or the news that there will be none, is ready.
  {
    Parker* wake = nullptr;
    MutexLock lock(mu_);
    if (try_receive_locked(out, &wake) != Attempt::kWouldBlock) {
      lock.unlock();
      if (wake != nullptr) wake->finish();
      return out;
    }
    if (deadline && Clock::now() >= *deadline) return std::nullopt;

    // Slow path: queue up; a sender will move its value into out.
    receivers_.push_back(node);
  }

  // Sleep until a sender or close completes us, or the deadline passes.
  if (deadline && !parker.wait_until(*deadline)) {
    MutexLock lock(mu_);
    receivers_.remove(node);
    return std::nullopt;
  }
  if (!deadline) parker.wait();
  return out;
}

template <typename T>
void Channel<T>::close() {
  std::vector<Parker*> woken;

  // Mark closed and complete every waiter, under the lock.
  {
    MutexLock lock(mu_);
    if (closed_) {
      lock.unlock();
      throw ChannelClosedError("close of closed channel");
    }
    closed_ = true;
    while (WaitNode* receiver = receivers_.claim_first()) {
      woken.push_back(complete(*receiver, true));
    }
    while (WaitNode* sender = senders_.claim_first()) {
      woken.push_back(complete(*sender, true));
    }
  }

  // Wake them, after unlocking.
  for (Parker* parker : woken) parker->finish();
}

template <typename T>
bool Channel<T>::closed() const {
  MutexLock lock(mu_);
  return closed_;
}

template <typename T>
std::size_t Channel<T>::size() const {
  MutexLock lock(mu_);
  return count_;
}

}  // namespace sharemem
