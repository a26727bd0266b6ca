// Conformance tests: the behaviours a Go channel is known for, checked on
// Channel<T> and Select with several threads at once. Each test names the
// behaviour it holds the channel to: order per sender, non-blocking
// operations at every capacity, selects over many channels and in opposite
// directions, a pipeline of many stages, values of no size, closed channels,
// timers, and the fairness of select.
//
// Fairness is checked statistically. With k always-ready cases and n
// selects, each case's count is binomial with mean n/k; the bands below are
// more than ten standard deviations wide, so a fair select fails them with a
// probability far below one in a billion, while a select that favours one
// case by even a fifth fails them every time.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "channel_version/channel.h"
#include "channel_version/select.h"
#include "channel_version/timer.h"
#include "gtest/gtest.h"

namespace sharemem {
namespace {

using namespace std::chrono_literals;

constexpr Duration kGenerous = 10s;

// Tests that, with many senders on one channel, each sender's values arrive
// in the order that sender sent them, at several capacities.
TEST(ChannelConformanceTest, OrderIsKeptPerSenderWithManySenders) {
  constexpr int kSenders = 4;
  constexpr int kValuesPerSender = 500;
  struct Message {
    int sender;
    int seq;
  };
  for (std::size_t capacity : {0u, 1u, 16u}) {
    Channel<Message> ch(capacity);
    std::vector<std::thread> senders;
    for (int s = 0; s < kSenders; ++s) {
      senders.emplace_back([&ch, s] {
        for (int i = 0; i < kValuesPerSender; ++i) ch.send({s, i});
      });
    }

    std::vector<Message> got;
    for (int i = 0; i < kSenders * kValuesPerSender; ++i) {
      got.push_back(ch.receive().value_or(Message{-1, -1}));
    }
    for (auto& t : senders) t.join();
    std::vector<int> next(kSenders, 0);
    for (const Message& m : got) {
      ASSERT_TRUE(m.sender >= 0 && m.sender < kSenders);
      ASSERT_EQ(m.seq, next[m.sender])
          << "sender " << m.sender << ", capacity " << capacity;
      ++next[m.sender];
    }
  }
}

// Tests that non-blocking sends, receives and selects with a default behave
// at every capacity: they succeed exactly while the buffer has a value or
// room, and otherwise return at once.
TEST(ChannelConformanceTest, NonBlockingOperationsOnAllCapacities) {
  for (std::size_t capacity : {0u, 1u, 2u, 5u, 10u}) {
    SCOPED_TRACE(testing::Message() << "capacity " << capacity);
    Channel<int> ch(capacity);

    // 1. Empty: nothing to receive.
    EXPECT_EQ(ch.try_receive(), std::nullopt);
    EXPECT_EQ(Select().receive(ch).otherwise([] {}).wait(), 1u);

    // 2. Fill up: exactly `capacity` values fit.
    for (std::size_t i = 0; i < capacity; ++i) {
      int value = static_cast<int>(i);
      EXPECT_TRUE(ch.try_send(value)) << "value " << i;
    }
    int extra = -1;
    EXPECT_FALSE(ch.try_send(extra));
    EXPECT_EQ(Select().send(ch, extra).otherwise([] {}).wait(), 1u);
    EXPECT_EQ(extra, -1);
    EXPECT_EQ(ch.size(), capacity);

    // 3. Drain, in order, then nothing again.
    for (std::size_t i = 0; i < capacity; ++i) {
      EXPECT_EQ(ch.try_receive(), static_cast<int>(i));
    }
    EXPECT_EQ(ch.try_receive(), std::nullopt);
  }
}

// Tests that a non-blocking select never takes its default while, at every
// moment, one of its channels holds a value, even though other threads keep
// filling and emptying them.
TEST(ChannelConformanceTest, NonBlockingSelectSeesAlwaysReadyChannel) {
  constexpr int kRounds = 1000;
  Channel<int> c1(1);
  Channel<int> c2(1);
  Channel<int> start;
  Channel<bool> done;
  std::thread selector([&] {
    for (int i = 0; i < kRounds; ++i) {
      start.receive();
      bool ready = true;
      Select().receive(c1).receive(c2).otherwise([&] { ready = false; }).wait();
      done.send(ready);
    }
  });

  int defaults = 0;
  for (int i = 0; i < kRounds; ++i) {
    c1.send(1);
    start.send(i);
    c2.send(2);
    Select().receive(c1).otherwise([] {}).wait();
    if (!done.receive().value_or(false)) ++defaults;
    c1.try_receive();
    c2.try_receive();
  }
  selector.join();
  EXPECT_EQ(defaults, 0) << "of " << kRounds << " selects";
}

// Tests that a non-blocking select on a channel that is being closed and
// drained never takes its default: the channel always has either a value or
// the news that it is closed.
TEST(ChannelConformanceTest, NonBlockingReceiveRacingCloseIsNeverDefault) {
  constexpr int kRounds = 1000;
  std::vector<std::unique_ptr<Channel<int>>> channels;
  for (int i = 0; i < kRounds; ++i) {
    channels.push_back(std::make_unique<Channel<int>>(1));
    channels.back()->send(i);
  }
  Channel<int> start;
  std::atomic<int> defaults{0};
  std::thread selector([&] {
    for (int i = 0; i < kRounds; ++i) {
      start.receive();
      Select().receive(*channels[i]).otherwise([&] { ++defaults; }).wait();
    }
  });

  for (int i = 0; i < kRounds; ++i) {
    start.send(i);
    channels[i]->close();
    channels[i]->try_receive();
  }
  selector.join();
  EXPECT_EQ(defaults.load(), 0) << "of " << kRounds << " selects";
}

// Tests that a select over many channels takes every ready value exactly
// once, and when blocked wakes for whichever channel a sender picks.
TEST(ChannelConformanceTest, SelectWithManyCases) {
  constexpr int kCases = 32;
  std::vector<std::unique_ptr<Channel<int>>> buffered;
  std::vector<std::unique_ptr<Channel<int>>> unbuffered;
  for (int i = 0; i < kCases; ++i) {
    buffered.push_back(std::make_unique<Channel<int>>(1));
    buffered.back()->send(i);
    unbuffered.push_back(std::make_unique<Channel<int>>());
  }

  // 1. Every case ready: kCases waits take every value once.
  std::vector<int> got;
  Select ready;
  for (auto& ch : buffered) {
    ready.receive(*ch, [&](std::optional<int> v) { got.push_back(*v); });
  }
  for (int i = 0; i < kCases; ++i) ready.wait();
  std::sort(got.begin(), got.end());
  std::vector<int> expected(kCases);
  for (int i = 0; i < kCases; ++i) expected[i] = i;
  EXPECT_EQ(got, expected);
  EXPECT_EQ(ready.otherwise([] {}).wait(), static_cast<std::size_t>(kCases));

  // 2. No case ready: each wait fires the case a sender chose.
  std::thread sender([&] {
    for (int i = 0; i < kCases; ++i) {
      int k = (i * 7) % kCases;
      unbuffered[k]->send(k);
    }
  });
  Select blocked;
  std::optional<int> value;
  for (auto& ch : unbuffered) {
    blocked.receive(*ch, [&](std::optional<int> v) { value = v; });
  }
  for (int i = 0; i < kCases; ++i) {
    const int k = (i * 7) % kCases;
    std::size_t index = blocked.wait();
    EXPECT_EQ(index, static_cast<std::size_t>(k)) << "wait " << i;
    EXPECT_EQ(value, k) << "wait " << i;
  }
  sender.join();
}

// Tests that two threads selecting on the same two channels in opposite
// directions, one sending on the first and receiving on the second, the
// other the reverse, pair up every time and lose or repeat no value.
TEST(ChannelConformanceTest, DoubleSelectInOppositeDirections) {
  constexpr int kRounds = 2000;
  Channel<int> ab;  // from a to b
  Channel<int> ba;  // from b to a
  struct Side {
    int next = 0;               // the next value this side sends
    std::vector<int> received;  // values this side received, in order
  };
  Side a;
  Side b;
  auto run = [](Channel<int>& out, Channel<int>& in, Side& side) {
    for (int i = 0; i < kRounds; ++i) {
      int value = side.next;
      Select()
          .send(out, value, [&] { ++side.next; })
          .receive(in,
                   [&](std::optional<int> v) {
                     side.received.push_back(v.value_or(-1));
                   })
          .wait();
    }
  };

  std::thread ta([&] { run(ab, ba, a); });
  std::thread tb([&] { run(ba, ab, b); });
  ta.join();
  tb.join();

  // Every select fired once: each round one side sent and the other
  // received, and each received sequence is exactly what the other sent.
  EXPECT_EQ(a.next + static_cast<int>(a.received.size()), kRounds);
  EXPECT_EQ(b.next + static_cast<int>(b.received.size()), kRounds);
  ASSERT_EQ(static_cast<int>(b.received.size()), a.next);
  ASSERT_EQ(static_cast<int>(a.received.size()), b.next);
  for (int i = 0; i < a.next; ++i) ASSERT_EQ(b.received[i], i);
  for (int i = 0; i < b.next; ++i) ASSERT_EQ(a.received[i], i);
}

// Tests that a select offering to both send and receive on one channel
// never pairs with itself (on an unbuffered channel a thread never receives
// its own value) and never deadlocks against a twin doing the same.
TEST(ChannelConformanceTest, SelectDoesNotPairWithItself) {
  constexpr int kRounds = 1000;
  for (std::size_t capacity : {0u, 10u}) {
    Channel<int> ch(capacity);
    std::atomic<int> self_receives{0};
    auto run = [&](int id) {
      for (int i = 0; i < kRounds; ++i) {
        int value = id;
        Select()
            .send(ch, value)
            .receive(ch,
                     [&](std::optional<int> v) {
                       if (v == id) ++self_receives;
                     })
            .wait();
      }
    };

    std::thread first(run, 1);
    std::thread second(run, 2);
    first.join();
    second.join();
    if (capacity == 0) {
      EXPECT_EQ(self_receives.load(), 0) << "a select received its own send";
    }
  }
}

// Tests that when one sender offers each value to several channels at once,
// exactly one of them carries it: every value is received exactly once by
// the receivers and selectors draining those channels.
TEST(ChannelConformanceTest, SendSelectDeliversEachValueOnce) {
  constexpr int kValues = 2000;
  constexpr int kChannels = 4;
  constexpr int kSelectors = 2;
  std::vector<std::unique_ptr<Channel<int>>> channels;
  for (int i = 0; i < kChannels; ++i) {
    channels.push_back(std::make_unique<Channel<int>>());
  }
  std::vector<std::vector<int>> got(kChannels + kSelectors);
  std::vector<std::thread> threads;

  // 1. One plain receiver per channel, and selectors over all of them.
  for (int r = 0; r < kChannels; ++r) {
    threads.emplace_back([&, r] {
      for (int v : *channels[r]) got[r].push_back(v);
    });
  }
  for (int s = 0; s < kSelectors; ++s) {
    threads.emplace_back([&, s] {
      std::vector<Channel<int>*> open;
      for (auto& ch : channels) open.push_back(ch.get());
      while (!open.empty()) {
        Select select;
        Channel<int>* drained = nullptr;
        for (Channel<int>* ch : open) {
          select.receive(*ch, [&, ch](std::optional<int> v) {
            if (v) {
              got[kChannels + s].push_back(*v);
            } else {
              drained = ch;
            }
          });
        }
        select.wait();
        if (drained) std::erase(open, drained);
      }
    });
  }

  // 2. The sender offers each value on every channel, then closes them.
  for (int i = 0; i < kValues; ++i) {
    int value = i;
    Select select;
    for (auto& ch : channels) select.send(*ch, value);
    select.wait();
  }
  for (auto& ch : channels) ch->close();
  for (auto& t : threads) t.join();

  std::vector<int> times_received(kValues, 0);
  for (const auto& values : got) {
    for (int v : values) ++times_received[v];
  }
  for (int i = 0; i < kValues; ++i) {
    ASSERT_EQ(times_received[i], 1) << "value " << i;
  }
}

// Tests that a concurrent prime sieve, a generator thread and one filter
// thread per prime found, chained by unbuffered channels, produces the first
// 100 primes in order.
TEST(ChannelConformanceTest, PrimeSievePipeline) {
  constexpr int kPrimes = 100;
  constexpr int kLimit = 541;  // the 100th prime

  // What the pipeline must produce, by trial division.
  std::vector<int> expected;
  for (int n = 2; static_cast<int>(expected.size()) < kPrimes; ++n) {
    bool prime = true;
    for (int p : expected) prime = prime && n % p != 0;
    if (prime) expected.push_back(n);
  }
  ASSERT_EQ(expected.back(), kLimit);

  // The pipeline: generate 2..kLimit, and for each prime that comes out of
  // the end, add a stage that drops its multiples. Channels outlive threads.
  std::vector<std::unique_ptr<Channel<int>>> stages;
  std::vector<std::jthread> threads;
  stages.push_back(std::make_unique<Channel<int>>());
  threads.emplace_back([out = stages.back().get()] {
    for (int n = 2; n <= kLimit; ++n) out->send(n);
    out->close();
  });
  std::vector<int> primes;
  while (std::optional<int> prime = stages.back()->receive()) {
    primes.push_back(*prime);
    Channel<int>* in = stages.back().get();
    stages.push_back(std::make_unique<Channel<int>>());
    threads.emplace_back([in, out = stages.back().get(), p = *prime] {
      for (int n : *in) {
        if (n % p != 0) out->send(n);
      }
      out->close();
    });
  }
  threads.clear();  // joins every stage

  EXPECT_EQ(primes, expected);
}

// Tests that values of an empty type travel like any other: counted,
// buffered up to capacity, and ended by close.
TEST(ChannelConformanceTest, ZeroSizeValues) {
  struct Empty {};
  static_assert(std::is_empty_v<Empty>);
  constexpr int kValues = 1000;
  for (std::size_t capacity : {0u, 1u, 10u}) {
    Channel<Empty> ch(capacity);
    std::thread sender([&] {
      for (int i = 0; i < kValues; ++i) ch.send(Empty{});
      ch.close();
    });
    int count = 0;
    for (Empty e : ch) {
      static_cast<void>(e);
      ++count;
    }
    sender.join();
    EXPECT_EQ(count, kValues) << "capacity " << capacity;

    // Capacity limits empty values too.
    Channel<Empty> buffer(capacity);
    Empty e;
    for (std::size_t i = 0; i < capacity; ++i) EXPECT_TRUE(buffer.try_send(e));
    EXPECT_FALSE(buffer.try_send(e)) << "capacity " << capacity;
    EXPECT_EQ(buffer.size(), capacity);
  }
}

// Tests that a closed channel, at capacities 0, 1 and 10, drains its
// buffered values in order, then answers every receive (plain, non-blocking,
// timed or in a select) at once with nothing, and throws on every send and
// on a second close.
TEST(ChannelConformanceTest, ClosedChannelAtSeveralCapacities) {
  for (std::size_t capacity : {0u, 1u, 10u}) {
    SCOPED_TRACE(testing::Message() << "capacity " << capacity);
    Channel<int> ch(capacity);
    for (std::size_t i = 0; i < capacity; ++i) ch.send(static_cast<int>(i));
    ch.close();
    EXPECT_TRUE(ch.closed());
    EXPECT_EQ(ch.size(), capacity);

    // 1. Buffered values drain in order.
    for (std::size_t i = 0; i < capacity; ++i) {
      EXPECT_EQ(ch.receive(), static_cast<int>(i));
    }

    // 2. Then nothing, at once, from every kind of receive.
    const auto start = Clock::now();
    EXPECT_EQ(ch.receive(), std::nullopt);
    EXPECT_EQ(ch.try_receive(), std::nullopt);
    EXPECT_EQ(ch.receive_for(kGenerous), std::nullopt);
    std::optional<int> got = 0;
    EXPECT_EQ(Select()
                  .receive(ch, [&](std::optional<int> v) { got = v; })
                  .otherwise([] {})
                  .wait(),
              0u);
    EXPECT_EQ(got, std::nullopt);
    EXPECT_LT(Clock::now() - start, kGenerous);

    // 3. Every send, and closing again, throws.
    int value = 1;
    EXPECT_THROW(ch.send(1), ChannelClosedError);
    EXPECT_THROW(ch.try_send(value), ChannelClosedError);
    EXPECT_THROW(ch.send_for(value, 1ms), ChannelClosedError);
    EXPECT_THROW(Select().send(ch, value).otherwise([] {}).wait(),
                 ChannelClosedError);
    EXPECT_THROW(ch.close(), ChannelClosedError);
    EXPECT_EQ(ch.size(), 0u);
  }
}

// Tests that a Timer in a select works as a timeout: the select fires the
// timer's case, no earlier than its delay, when nothing else is ready.
TEST(ChannelConformanceTest, TimerAsSelectTimeout) {
  constexpr Duration kDelay = 20ms;
  Channel<int> never;
  const auto start = Clock::now();
  Timer timer(kDelay);

  std::size_t index = Select().receive(never).receive(timer.channel()).wait();
  EXPECT_EQ(index, 1u);
  EXPECT_GE(Clock::now() - start, kDelay);
}

// Tests that several timers each fire once, no earlier than their own
// delay, whatever order they are read in.
TEST(ChannelConformanceTest, SeveralTimersEachFireOnce) {
  constexpr int kTimers = 5;
  const auto start = Clock::now();
  std::vector<std::unique_ptr<Timer>> timers;
  for (int i = kTimers; i > 0; --i) {
    timers.push_back(std::make_unique<Timer>(i * 4ms));
  }

  for (int i = 0; i < kTimers; ++i) {
    std::optional<Clock::time_point> fired =
        timers[i]->channel().receive_for(kGenerous);
    ASSERT_TRUE(fired.has_value()) << "timer " << i << " never fired";
    EXPECT_GE(*fired - start, (kTimers - i) * 4ms) << "timer " << i;
  }
  for (int i = 0; i < kTimers; ++i) {
    timers[i]->stop();
    EXPECT_EQ(timers[i]->channel().try_receive(), std::nullopt)
        << "timer " << i << " fired twice";
  }
}

// Tests that a ticker whose reader falls behind keeps at most one tick
// waiting instead of a backlog.
TEST(ChannelConformanceTest, TickerDropsTicksForSlowReader) {
  constexpr Duration kPeriod = 1ms;
  Ticker ticker(kPeriod);
  EXPECT_EQ(ticker.channel().capacity(), 1u);

  // Wait out many periods without reading, then look.
  Timer later(30 * kPeriod);
  ASSERT_TRUE(later.channel().receive_for(kGenerous).has_value());
  EXPECT_LE(ticker.channel().size(), 1u);
  ticker.stop();
  EXPECT_LE(ticker.channel().size(), 1u);
}

// Tests that with two always-ready receive cases, each fires in 40%-60% of
// 10,000 selects.
TEST(SelectFairnessTest, TwoReadyReceiveCases) {
  constexpr int kSelects = 10'000;
  Channel<int> a(1);
  Channel<int> b(1);
  a.send(0);
  b.send(1);
  std::vector<int> fired(2, 0);

  Select select;
  select.receive(a, [&](std::optional<int> v) { a.send(*v); })
      .receive(b, [&](std::optional<int> v) { b.send(*v); });
  for (int i = 0; i < kSelects; ++i) ++fired[select.wait()];

  for (int i = 0; i < 2; ++i) {
    EXPECT_GE(fired[i], kSelects * 40 / 100) << "case " << i;
    EXPECT_LE(fired[i], kSelects * 60 / 100) << "case " << i;
  }
}

// Tests that with three always-ready cases, each fires in 28%-38% of 10,000
// selects (an even share is 33.3%).
TEST(SelectFairnessTest, ThreeReadyReceiveCases) {
  constexpr int kSelects = 10'000;
  std::vector<std::unique_ptr<Channel<int>>> channels;
  Select select;
  for (int i = 0; i < 3; ++i) {
    channels.push_back(std::make_unique<Channel<int>>(1));
    Channel<int>* ch = channels.back().get();
    ch->send(i);
    select.receive(*ch, [ch](std::optional<int> v) { ch->send(*v); });
  }
  std::vector<int> fired(3, 0);

  for (int i = 0; i < kSelects; ++i) ++fired[select.wait()];

  for (int i = 0; i < 3; ++i) {
    EXPECT_GE(fired[i], kSelects * 28 / 100) << "case " << i;
    EXPECT_LE(fired[i], kSelects * 38 / 100) << "case " << i;
  }
}

// Tests that a ready send case and a ready receive case are chosen evenly:
// each in 40%-60% of 10,000 selects.
TEST(SelectFairnessTest, ReadySendAndReceiveCases) {
  constexpr int kSelects = 10'000;
  Channel<int> in(1);
  Channel<int> out(1);
  in.send(0);
  std::vector<int> fired(2, 0);

  for (int i = 0; i < kSelects; ++i) {
    int value = i;
    std::size_t index =
        Select()
            .receive(in, [&](std::optional<int> v) { in.send(*v); })
            .send(out, value, [&] { out.receive(); })
            .wait();
    ++fired[index];
  }

  for (int i = 0; i < 2; ++i) {
    EXPECT_GE(fired[i], kSelects * 40 / 100) << "case " << i;
    EXPECT_LE(fired[i], kSelects * 60 / 100) << "case " << i;
  }
}

// Tests that two cases on the same always-ready channel are chosen evenly:
// each in 40%-60% of 10,000 selects.
TEST(SelectFairnessTest, SameChannelInTwoCases) {
  constexpr int kSelects = 10'000;
  Channel<int> ch(1);
  ch.send(0);
  std::vector<int> fired(2, 0);
  auto put_back = [&](std::optional<int> v) { ch.send(*v); };

  Select select;
  select.receive(ch, put_back).receive(ch, put_back);
  for (int i = 0; i < kSelects; ++i) ++fired[select.wait()];

  for (int i = 0; i < 2; ++i) {
    EXPECT_GE(fired[i], kSelects * 40 / 100) << "case " << i;
    EXPECT_LE(fired[i], kSelects * 60 / 100) << "case " << i;
  }
}

}  // namespace
}  // namespace sharemem
