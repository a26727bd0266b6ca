// Unit tests for Channel<T>, Select, Timer and Ticker: each operation on its
// own, with the fewest threads that show it.
//
// Tests never sleep to order threads. When a test needs a thread to be
// blocked before it acts, it waits for the channel's lock count to show that
// the thread has queued (LockedAtLeast); when it needs to know what happened
// first, it records it in atomics. Timing checks have a lower bound, which
// the clock guarantees, and a generous upper bound.
#include "channel_version/channel.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "channel_version/select.h"
#include "channel_version/timer.h"
#include "gtest/gtest.h"
#include "tests/channel_testing.h"

namespace sharemem {
namespace {

using channel_testing::LockedAtLeast;
using channel_testing::Watchdog;
using namespace std::chrono_literals;

// A bound no correct blocking operation in these tests comes near; an upper
// bound on elapsed time only catches an operation that forgot to give up.
constexpr Duration kGenerous = 10s;

// How long a test whose failure would leave a thread blocked may run before
// its watchdog aborts it.
constexpr std::chrono::seconds kWatchdogLimit{60};

// Tests that an unbuffered channel accepts no value while no receiver waits.
TEST(ChannelTest, UnbufferedTrySendFailsWithoutReceiver) {
  Channel<int> ch;
  int value = 7;

  EXPECT_FALSE(ch.try_send(value));
  EXPECT_EQ(value, 7) << "a failed try_send must leave the value alone";
  EXPECT_EQ(ch.size(), 0u);
  EXPECT_EQ(ch.capacity(), 0u);
}

// Tests that send on an unbuffered channel stays blocked until a receiver
// takes the value, and returns after it has.
TEST(ChannelTest, UnbufferedSendReturnsOnlyAfterReceiverTookValue) {
  Channel<int> ch;
  std::atomic<bool> send_returned{false};
  std::thread sender([&] {
    ch.send(42);
    send_returned = true;
  });

  // 1. The sender has queued; with no receiver it cannot have returned.
  EXPECT_TRUE(LockedAtLeast(ch, 1));
  EXPECT_FALSE(send_returned.load());

  // 2. A receiver takes the value, which releases the sender.
  std::optional<int> got = ch.receive();
  sender.join();
  EXPECT_EQ(got, 42);
  EXPECT_TRUE(send_returned.load());
}

// Tests that, over many hand-offs in every interleaving the scheduler
// produces, no send on an unbuffered channel returns before its receive has
// started.
TEST(ChannelTest, UnbufferedSendNeverReturnsBeforeItsReceive) {
  constexpr int kValues = 500;
  Channel<int> ch;
  std::atomic<int> receives_started{0};
  std::vector<int> started_when_returned(kValues);
  std::thread sender([&] {
    for (int i = 0; i < kValues; ++i) {
      ch.send(i);
      started_when_returned[i] = receives_started.load();
    }
  });

  std::vector<std::optional<int>> got(kValues);
  for (int i = 0; i < kValues; ++i) {
    receives_started = i + 1;
    got[i] = ch.receive();
  }
  sender.join();
  for (int i = 0; i < kValues; ++i) {
    EXPECT_EQ(got[i], i);
    EXPECT_GE(started_when_returned[i], i + 1)
        << "send of " << i << " returned before its receive started";
  }
}

// Tests that receive on an unbuffered channel with no sender finds nothing.
TEST(ChannelTest, UnbufferedTryReceiveFailsWithoutSender) {
  Channel<int> ch;

  EXPECT_EQ(ch.try_receive(), std::nullopt);
  EXPECT_EQ(ch.receive_for(1ms), std::nullopt);
}

// Tests that a channel of capacity N takes N values without a receiver and
// refuses the next one until a value is received.
TEST(ChannelTest, BufferedChannelHoldsCapacityValues) {
  constexpr int kCapacity = 3;
  Channel<int> ch(kCapacity);

  // 1. N sends succeed without a receiver.
  for (int i = 0; i < kCapacity; ++i) {
    int value = i;
    EXPECT_TRUE(ch.try_send(value)) << "send " << i << " of " << kCapacity;
  }
  EXPECT_EQ(ch.size(), static_cast<std::size_t>(kCapacity));
  EXPECT_EQ(ch.capacity(), static_cast<std::size_t>(kCapacity));

  // 2. The next one would block.
  int extra = 99;
  EXPECT_FALSE(ch.try_send(extra));
  EXPECT_EQ(extra, 99);

  // 3. A receive frees one slot.
  EXPECT_EQ(ch.receive(), 0);
  EXPECT_TRUE(ch.try_send(extra));
  EXPECT_EQ(ch.size(), static_cast<std::size_t>(kCapacity));
}

// Tests that a sender blocked on a full buffer is released by a receive, and
// that its value queues behind the buffered ones.
TEST(ChannelTest, SendBlockedOnFullBufferResumesAfterReceive) {
  Channel<int> ch(2);
  ch.send(1);
  ch.send(2);
  const std::int64_t before = ch.counters().acquisitions;
  std::thread sender([&] { ch.send(3); });

  EXPECT_TRUE(LockedAtLeast(ch, before + 1));
  EXPECT_EQ(ch.receive(), 1);
  sender.join();
  EXPECT_EQ(ch.receive(), 2);
  EXPECT_EQ(ch.receive(), 3);
  EXPECT_EQ(ch.size(), 0u);
}

// Tests that values come out in the order they went in, at several
// capacities, with the sender and receiver on different threads.
TEST(ChannelTest, ValuesArriveInFifoOrder) {
  constexpr int kValues = 1000;
  for (std::size_t capacity : {0u, 1u, 10u}) {
    Channel<int> ch(capacity);
    std::thread sender([&] {
      for (int i = 0; i < kValues; ++i) ch.send(i);
    });
    std::vector<int> got;
    for (int i = 0; i < kValues; ++i) got.push_back(ch.receive().value_or(-1));
    sender.join();
    for (int i = 0; i < kValues; ++i) {
      ASSERT_EQ(got[i], i) << "capacity " << capacity;
    }
  }
}

// Tests that receiving from a closed channel first drains the buffer, then
// returns std::nullopt every time, from every receive operation.
TEST(ChannelTest, ReceiveAfterCloseDrainsThenReturnsNullopt) {
  Channel<int> ch(3);
  ch.send(1);
  ch.send(2);
  ch.close();

  EXPECT_TRUE(ch.closed());
  EXPECT_EQ(ch.receive(), 1);
  EXPECT_EQ(ch.try_receive(), 2);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ch.receive(), std::nullopt) << "receive " << i << " after drain";
    EXPECT_EQ(ch.try_receive(), std::nullopt);
    EXPECT_EQ(ch.receive_for(kGenerous), std::nullopt);
  }
}

// Tests that a range-for loop receives every value and ends when the channel
// is closed.
TEST(ChannelTest, RangeForDrainsUntilClosed) {
  Channel<int> ch(2);
  std::thread sender([&] {
    for (int i = 0; i < 10; ++i) ch.send(i);
    ch.close();
  });

  std::vector<int> got;
  for (int v : ch) got.push_back(v);
  sender.join();
  EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

// Tests that every send operation throws ChannelClosedError on a closed
// channel, and the non-blocking ones leave the value alone.
TEST(ChannelTest, SendOnClosedChannelThrows) {
  Channel<std::unique_ptr<int>> ch(1);
  ch.close();
  auto value = std::make_unique<int>(5);

  EXPECT_THROW(ch.send(std::make_unique<int>(1)), ChannelClosedError);
  EXPECT_THROW(ch.try_send(value), ChannelClosedError);
  EXPECT_THROW(ch.send_for(value, 1s), ChannelClosedError);
  EXPECT_THROW(ch.send_until(value, std::nullopt), ChannelClosedError);
  ASSERT_NE(value, nullptr) << "a send that threw must leave the value";
  EXPECT_EQ(*value, 5);
  EXPECT_EQ(ch.size(), 0u);
}

// Tests that closing a channel twice throws ChannelClosedError.
TEST(ChannelTest, CloseTwiceThrows) {
  Channel<int> ch;
  ch.close();

  EXPECT_THROW(ch.close(), ChannelClosedError);
  EXPECT_TRUE(ch.closed());
}

// Tests that close wakes every blocked receiver, plain and timed, and each
// gets std::nullopt.
TEST(ChannelTest, CloseWakesBlockedReceivers) {
  Watchdog watchdog("CloseWakesBlockedReceivers", kWatchdogLimit);
  constexpr int kReceivers = 4;
  Channel<int> ch;
  std::vector<std::optional<int>> got(kReceivers, 0);
  std::vector<std::thread> receivers;
  for (int i = 0; i < kReceivers; ++i) {
    receivers.emplace_back([&, i] {
      got[i] = i % 2 == 0 ? ch.receive() : ch.receive_for(kGenerous);
    });
  }

  EXPECT_TRUE(LockedAtLeast(ch, kReceivers));
  const auto start = Clock::now();
  ch.close();
  for (auto& t : receivers) t.join();
  for (int i = 0; i < kReceivers; ++i) {
    EXPECT_EQ(got[i], std::nullopt) << "receiver " << i;
  }
  EXPECT_LT(Clock::now() - start, kGenerous) << "timed receivers timed out";
}

// Tests that close wakes every blocked sender, plain and timed, and each
// throws ChannelClosedError, while buffered values can still be received.
TEST(ChannelTest, CloseWakesBlockedSenders) {
  Watchdog watchdog("CloseWakesBlockedSenders", kWatchdogLimit);
  constexpr int kSenders = 4;
  for (std::size_t capacity : {0u, 1u}) {
    Channel<int> ch(capacity);
    if (capacity == 1) ch.send(-1);
    const std::int64_t before = ch.counters().acquisitions;
    std::atomic<int> threw{0};
    std::vector<std::thread> senders;
    for (int i = 0; i < kSenders; ++i) {
      senders.emplace_back([&, i] {
        try {
          int value = i;
          if (i % 2 == 0) {
            ch.send(value);
          } else {
            ch.send_for(value, kGenerous);
          }
        } catch (const ChannelClosedError&) {
          ++threw;
        }
      });
    }

    EXPECT_TRUE(LockedAtLeast(ch, before + kSenders));
    ch.close();
    for (auto& t : senders) t.join();
    EXPECT_EQ(threw.load(), kSenders) << "capacity " << capacity;
    if (capacity == 1) {
      EXPECT_EQ(ch.receive(), -1) << "the buffered value was lost";
    }
    EXPECT_EQ(ch.receive(), std::nullopt) << "capacity " << capacity;
  }
}

// Tests that try_send and try_receive return at once whatever the state of
// the channel: nobody waiting, buffer empty, buffer full.
TEST(ChannelTest, TryOperationsNeverBlock) {
  Channel<int> unbuffered;
  Channel<int> buffered(1);
  int value = 1;

  EXPECT_FALSE(unbuffered.try_send(value));
  EXPECT_EQ(unbuffered.try_receive(), std::nullopt);
  EXPECT_EQ(buffered.try_receive(), std::nullopt);
  EXPECT_TRUE(buffered.try_send(value));
  EXPECT_FALSE(buffered.try_send(value));
  EXPECT_EQ(buffered.try_receive(), 1);
}

// Tests that try_send on an unbuffered channel hands its value to a receiver
// that is already waiting, and try_receive takes one from a waiting sender.
TEST(ChannelTest, TryOperationsPairWithWaitingPartner) {
  Channel<int> ch;

  // 1. A waiting receiver.
  std::optional<int> got;
  std::thread receiver([&] { got = ch.receive(); });
  EXPECT_TRUE(LockedAtLeast(ch, 1));
  int value = 8;
  EXPECT_TRUE(ch.try_send(value));
  receiver.join();
  EXPECT_EQ(got, 8);

  // 2. A waiting sender.
  const std::int64_t before = ch.counters().acquisitions;
  std::thread sender([&] { ch.send(9); });
  EXPECT_TRUE(LockedAtLeast(ch, before + 1));
  EXPECT_EQ(ch.try_receive(), 9);
  sender.join();
}

// Tests that a timed send with no receiver gives up no earlier than its
// timeout, returns false and leaves the value with the caller.
TEST(ChannelTest, TimedSendTimesOutAndKeepsValue) {
  constexpr Duration kTimeout = 20ms;
  Channel<std::unique_ptr<int>> ch;
  auto value = std::make_unique<int>(3);

  const auto start = Clock::now();
  EXPECT_FALSE(ch.send_for(value, kTimeout));
  const Duration elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, kTimeout);
  EXPECT_LT(elapsed, kTimeout + kGenerous);
  ASSERT_NE(value, nullptr) << "a send that timed out must keep the value";
  EXPECT_EQ(*value, 3);

  // A deadline already past gives up at once, value kept too.
  EXPECT_FALSE(ch.send_until(value, Clock::now() - 1s));
  EXPECT_NE(value, nullptr);
}

// Tests that a timed receive with no sender gives up no earlier than its
// timeout and returns std::nullopt.
TEST(ChannelTest, TimedReceiveTimesOut) {
  constexpr Duration kTimeout = 20ms;
  Channel<int> ch;

  const auto start = Clock::now();
  EXPECT_EQ(ch.receive_for(kTimeout), std::nullopt);
  const Duration elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, kTimeout);
  EXPECT_LT(elapsed, kTimeout + kGenerous);
  EXPECT_EQ(ch.receive_until(Clock::now() - 1s), std::nullopt);
}

// Tests that a timed send succeeds when a receiver arrives before the
// deadline, and the value then belongs to the receiver.
TEST(ChannelTest, TimedSendSucceedsWhenReceiverArrives) {
  Channel<std::unique_ptr<int>> ch;
  std::optional<std::unique_ptr<int>> got;
  std::thread receiver([&] {
    EXPECT_TRUE(LockedAtLeast(ch, 1));
    got = ch.receive();
  });

  auto value = std::make_unique<int>(11);
  EXPECT_TRUE(ch.send_for(value, kGenerous));
  receiver.join();
  EXPECT_EQ(value, nullptr) << "after a send the sender holds nothing";
  ASSERT_TRUE(got.has_value() && *got != nullptr);
  EXPECT_EQ(**got, 11);
}

// Tests that a timed receive succeeds when a sender arrives before the
// deadline.
TEST(ChannelTest, TimedReceiveSucceedsWhenSenderArrives) {
  Channel<int> ch;
  std::thread sender([&] {
    EXPECT_TRUE(LockedAtLeast(ch, 1));
    ch.send(12);
  });

  EXPECT_EQ(ch.receive_for(kGenerous), 12);
  sender.join();
}

// Tests that sending a move-only value hands over ownership: after each
// kind of send the sender holds nothing, and the receiver holds the object.
TEST(ChannelTest, SendMovesOwnershipOfMoveOnlyValue) {
  Channel<std::unique_ptr<int>> ch(3);
  auto first = std::make_unique<int>(1);
  auto second = std::make_unique<int>(2);
  auto third = std::make_unique<int>(3);
  int* const first_address = first.get();

  ch.send(std::move(first));
  EXPECT_TRUE(ch.try_send(second));
  EXPECT_TRUE(ch.send_for(third, kGenerous));
  EXPECT_EQ(second, nullptr) << "try_send left the sender holding the value";
  EXPECT_EQ(third, nullptr) << "send_for left the sender holding the value";
  ch.close();

  std::vector<int> got;
  bool first_is_same_object = false;
  for (std::unique_ptr<int>& p : ch) {
    if (got.empty()) first_is_same_object = p.get() == first_address;
    got.push_back(*p);
  }
  EXPECT_EQ(got, (std::vector<int>{1, 2, 3}));
  EXPECT_TRUE(first_is_same_object) << "the object itself should travel";
}

// Tests that the channel's counters count its lock acquisitions, with no
// contention when one thread works alone.
TEST(ChannelTest, CountersCountLockAcquisitions) {
  constexpr int kOperations = 10;
  Channel<int> ch(kOperations);
  EXPECT_EQ(ch.counters().acquisitions, 0);

  for (int i = 0; i < kOperations / 2; ++i) {
    int value = i;
    ch.try_send(value);
    ch.try_receive();
  }
  const ContentionCounters counters = ch.counters();
  EXPECT_GE(counters.acquisitions, kOperations);
  EXPECT_EQ(counters.contended, 0);
  EXPECT_EQ(counters.wait_ns, 0);
}

// Tests that a Timer delivers the time once, no earlier than its delay, and
// nothing after that.
TEST(TimerTest, FiresOnceAfterDelay) {
  constexpr Duration kDelay = 20ms;
  const auto start = Clock::now();
  Timer timer(kDelay);

  std::optional<Clock::time_point> fired =
      timer.channel().receive_for(kGenerous);
  ASSERT_TRUE(fired.has_value()) << "the timer never fired";
  EXPECT_GE(*fired - start, kDelay);
  EXPECT_GE(Clock::now() - start, kDelay);
  EXPECT_EQ(timer.channel().receive_for(5 * kDelay), std::nullopt)
      << "the timer fired twice";
}

// Tests that a Timer stopped before its delay sends nothing, and stop
// returns without waiting for the delay.
TEST(TimerTest, StopBeforeFiringSendsNothing) {
  const auto start = Clock::now();
  Timer timer(1h);

  timer.stop();
  timer.stop();
  EXPECT_LT(Clock::now() - start, kGenerous);
  EXPECT_EQ(timer.channel().try_receive(), std::nullopt);
}

// Tests that a Ticker ticks again and again, each tick later than the last
// and at least one period after the start per tick, and that stop ends it.
TEST(TimerTest, TickerTicksRepeatedlyUntilStopped) {
  constexpr Duration kPeriod = 5ms;
  constexpr int kTicks = 5;
  const auto start = Clock::now();
  Ticker ticker(kPeriod);

  // 1. Ticks arrive in time order.
  Clock::time_point last = start;
  for (int i = 0; i < kTicks; ++i) {
    std::optional<Clock::time_point> tick =
        ticker.channel().receive_for(kGenerous);
    ASSERT_TRUE(tick.has_value()) << "tick " << i << " never came";
    EXPECT_GT(*tick, last) << "tick " << i;
    last = *tick;
  }
  EXPECT_GE(last - start, kTicks * kPeriod);

  // 2. After stop, at most the one unread tick remains, then nothing.
  ticker.stop();
  ticker.channel().try_receive();
  EXPECT_EQ(ticker.channel().receive_for(5 * kPeriod), std::nullopt)
      << "the ticker ticked after stop";
}

// Tests that a Ticker refuses a period that is not positive.
TEST(TimerTest, TickerRejectsNonPositivePeriod) {
  EXPECT_THROW(Ticker(0ms), std::invalid_argument);
  EXPECT_THROW(Ticker(-1ms), std::invalid_argument);
}

// Tests that a receive case whose channel holds a value fires with it.
TEST(SelectTest, ReceiveCaseFiresWhenValueReady) {
  Channel<int> empty;
  Channel<int> ready(1);
  ready.send(4);
  std::optional<int> got;
  bool empty_fired = false;

  std::size_t index = Select()
                          .receive(empty, [&](auto) { empty_fired = true; })
                          .receive(ready, [&](auto v) { got = v; })
                          .wait();
  EXPECT_EQ(index, 1u);
  EXPECT_EQ(got, 4);
  EXPECT_FALSE(empty_fired);
}

// Tests that a send case whose channel has room fires and moves the value,
// while the value of a case that did not fire stays with the caller.
TEST(SelectTest, SendCaseFiresWhenSpaceAvailable) {
  Channel<std::unique_ptr<int>> full(1);
  Channel<std::unique_ptr<int>> room(1);
  full.send(std::make_unique<int>(0));
  auto to_full = std::make_unique<int>(1);
  auto to_room = std::make_unique<int>(2);
  bool sent = false;

  std::size_t index = Select()
                          .send(full, to_full)
                          .send(room, to_room, [&] { sent = true; })
                          .wait();
  EXPECT_EQ(index, 1u);
  EXPECT_TRUE(sent);
  EXPECT_EQ(to_room, nullptr) << "the fired send case kept its value";
  ASSERT_NE(to_full, nullptr) << "a send case that did not fire lost its value";
  EXPECT_EQ(*to_full, 1);
  std::optional<std::unique_ptr<int>> got = room.try_receive();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(**got, 2);
}

// Tests that the default runs when no case is ready, and no case fires.
TEST(SelectTest, DefaultRunsWhenNothingReady) {
  Channel<int> in;
  Channel<std::unique_ptr<int>> out;
  auto value = std::make_unique<int>(6);
  int actions = 0;
  bool defaulted = false;

  std::size_t index = Select()
                          .receive(in, [&](auto) { ++actions; })
                          .send(out, value, [&] { ++actions; })
                          .otherwise([&] { defaulted = true; })
                          .wait();
  EXPECT_EQ(index, 2u);
  EXPECT_TRUE(defaulted);
  EXPECT_EQ(actions, 0);
  EXPECT_NE(value, nullptr);
}

// Tests that the default is never taken while a case is ready.
TEST(SelectTest, DefaultNotChosenWhileCaseReady) {
  Channel<int> ch(1);
  for (int i = 0; i < 200; ++i) {
    ch.send(i);
    std::optional<int> got;
    std::size_t index =
        Select().otherwise([] {}).receive(ch, [&](auto v) { got = v; }).wait();
    ASSERT_EQ(index, 1u) << "round " << i;
    ASSERT_EQ(got, i);
  }
}

// Tests that indices count the default in the position where it was added.
TEST(SelectTest, IndexCountsDefaultInItsPosition) {
  Channel<int> a;
  Channel<int> b(1);
  b.send(1);

  std::size_t index =
      Select().receive(a).otherwise([] {}).receive(b).receive(a).wait();
  EXPECT_EQ(index, 2u);
}

// Tests that a select whose deadline passes with nothing ready returns
// std::nullopt, no earlier than the deadline, with no case performed.
TEST(SelectTest, DeadlinePassesWithNoCaseFired) {
  constexpr Duration kTimeout = 20ms;
  Channel<int> in;
  Channel<std::unique_ptr<int>> out;
  auto value = std::make_unique<int>(1);
  int actions = 0;

  const auto start = Clock::now();
  std::optional<std::size_t> index = Select()
                                         .receive(in, [&](auto) { ++actions; })
                                         .send(out, value, [&] { ++actions; })
                                         .wait_for(kTimeout);
  const Duration elapsed = Clock::now() - start;
  EXPECT_EQ(index, std::nullopt);
  EXPECT_GE(elapsed, kTimeout);
  EXPECT_LT(elapsed, kTimeout + kGenerous);
  EXPECT_EQ(actions, 0);
  EXPECT_NE(value, nullptr);

  // Neither channel keeps a trace of the select.
  int probe = 0;
  EXPECT_EQ(out.try_receive(), std::nullopt);
  EXPECT_FALSE(in.try_send(probe)) << "a receive case outlived its select";
}

// Tests that a select blocked on receive cases wakes for a sender on any of
// its channels and reports that case.
TEST(SelectTest, BlockedSelectWakesForSender) {
  Channel<int> a;
  Channel<int> b;
  std::thread sender([&] {
    EXPECT_TRUE(LockedAtLeast(b, 1));
    b.send(21);
  });

  std::optional<int> got;
  std::size_t index = Select()
                          .receive(a, [&](auto) { ADD_FAILURE(); })
                          .receive(b, [&](auto v) { got = v; })
                          .wait();
  sender.join();
  EXPECT_EQ(index, 1u);
  EXPECT_EQ(got, 21);
}

// Tests that a select blocked on send cases wakes for a receiver, moves only
// that case's value, and leaves the other channel free of its offer.
TEST(SelectTest, BlockedSelectWakesForReceiver) {
  Channel<std::unique_ptr<int>> a;
  Channel<std::unique_ptr<int>> b;
  std::optional<std::unique_ptr<int>> got;
  std::thread receiver([&] {
    EXPECT_TRUE(LockedAtLeast(b, 1));
    got = b.receive();
  });

  auto to_a = std::make_unique<int>(1);
  auto to_b = std::make_unique<int>(2);
  std::size_t index = Select().send(a, to_a).send(b, to_b).wait();
  receiver.join();
  EXPECT_EQ(index, 1u);
  EXPECT_EQ(to_b, nullptr);
  ASSERT_NE(to_a, nullptr);
  ASSERT_TRUE(got.has_value() && *got != nullptr);
  EXPECT_EQ(**got, 2);
  EXPECT_EQ(a.try_receive(), std::nullopt) << "the select's offer on a stayed";
}

// Tests that each wait performs exactly one case even when every case is
// ready.
TEST(SelectTest, ExactlyOneCaseFires) {
  constexpr int kRounds = 300;
  Channel<int> a(kRounds);
  Channel<int> b(kRounds);
  Channel<int> c(kRounds);
  for (int i = 0; i < kRounds; ++i) {
    a.send(i);
    b.send(i);
    c.send(i);
  }

  std::vector<int> fired_per_channel(3, 0);
  for (int round = 0; round < kRounds; ++round) {
    int actions = 0;
    auto count = [&](int which) {
      return [&, which](auto) {
        ++actions;
        ++fired_per_channel[which];
      };
    };
    std::size_t index = Select()
                            .receive(a, count(0))
                            .receive(b, count(1))
                            .receive(c, count(2))
                            .wait();
    ASSERT_EQ(actions, 1) << "round " << round << ", index " << index;
  }
  const std::vector<std::size_t> left = {a.size(), b.size(), c.size()};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(fired_per_channel[i] + static_cast<int>(left[i]), kRounds)
        << "channel " << i << ": values taken and values left disagree";
  }
}

// Tests that a channel named in several cases gives one value to one case,
// whether the value is there already or arrives while the select waits.
TEST(SelectTest, SameChannelInSeveralCases) {
  // 1. Ready at once.
  Channel<int> ch(1);
  ch.send(1);
  int actions = 0;
  auto count = [&](auto) { ++actions; };
  Select().receive(ch, count).receive(ch, count).receive(ch, count).wait();
  EXPECT_EQ(actions, 1);
  EXPECT_EQ(ch.size(), 0u);

  // 2. Arrives while the select waits: one case fires, and no case is left
  // waiting on the channel afterwards.
  Channel<int> unbuffered;
  actions = 0;
  std::thread sender([&] {
    EXPECT_TRUE(LockedAtLeast(unbuffered, 1));
    unbuffered.send(2);
  });
  std::size_t index =
      Select().receive(unbuffered, count).receive(unbuffered, count).wait();
  sender.join();
  EXPECT_EQ(actions, 1);
  EXPECT_LT(index, 2u);
  int probe = 3;
  EXPECT_FALSE(unbuffered.try_send(probe)) << "a case outlived its select";
}

// Tests that a send case on a channel closed before the select, or while it
// waits, throws ChannelClosedError and keeps the value.
TEST(SelectTest, SendCaseOnClosedChannelThrows) {
  // 1. Closed before.
  Channel<std::unique_ptr<int>> closed;
  closed.close();
  auto value = std::make_unique<int>(1);
  EXPECT_THROW(Select().send(closed, value).wait(), ChannelClosedError);
  EXPECT_NE(value, nullptr);

  // 2. Closed while the select waits.
  Channel<std::unique_ptr<int>> ch;
  Channel<int> idle;
  std::thread closer([&] {
    EXPECT_TRUE(LockedAtLeast(ch, 1));
    ch.close();
  });
  EXPECT_THROW(Select().receive(idle).send(ch, value).wait(),
               ChannelClosedError);
  closer.join();
  EXPECT_NE(value, nullptr);
}

// Tests that a receive case on a closed, drained channel fires with
// std::nullopt, also when the close comes while the select waits.
TEST(SelectTest, ReceiveCaseOnClosedChannelGetsNullopt) {
  Channel<int> ch;
  std::optional<int> got = 0;
  std::thread closer([&] {
    EXPECT_TRUE(LockedAtLeast(ch, 1));
    ch.close();
  });

  EXPECT_EQ(Select().receive(ch, [&](auto v) { got = v; }).wait(), 0u);
  closer.join();
  EXPECT_EQ(got, std::nullopt);
  got = 0;
  EXPECT_EQ(Select().receive(ch, [&](auto v) { got = v; }).wait(), 0u);
  EXPECT_EQ(got, std::nullopt);
}

// Tests that a select with a deadline fires the case whose partner arrives
// before it.
TEST(SelectTest, WaitForSucceedsWhenPartnerArrives) {
  Channel<int> ch;
  std::thread sender([&] {
    EXPECT_TRUE(LockedAtLeast(ch, 1));
    ch.send(5);
  });

  std::optional<int> got;
  std::optional<std::size_t> index =
      Select().receive(ch, [&](auto v) { got = v; }).wait_for(kGenerous);
  sender.join();
  EXPECT_EQ(index, 0u);
  EXPECT_EQ(got, 5);
}

// Tests that one Select performs one case on each wait.
TEST(SelectTest, CanBeWaitedOnAgain) {
  Channel<int> ch(3);
  ch.send(1);
  ch.send(2);
  std::vector<int> got;
  Select select;
  select.receive(ch, [&](std::optional<int> v) { got.push_back(*v); });

  select.wait();
  select.wait();
  EXPECT_EQ(got, (std::vector<int>{1, 2}));
}

// Tests that a select with no cases runs its default, or waits out its
// deadline.
TEST(SelectTest, NoCases) {
  bool defaulted = false;
  EXPECT_EQ(Select().otherwise([&] { defaulted = true; }).wait(), 0u);
  EXPECT_TRUE(defaulted);

  const auto start = Clock::now();
  EXPECT_EQ(Select().wait_for(10ms), std::nullopt);
  EXPECT_GE(Clock::now() - start, 10ms);
}

}  // namespace
}  // namespace sharemem
