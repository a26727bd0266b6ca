// Stress tests: many senders, receivers and selectors on channels of
// capacity 0, 1 and 8 at once, with channels closed at random moments.
//
// Each test keeps a ledger: every thread that sends writes down the values
// it delivered (a send that threw, timed out or was not chosen delivered
// nothing), and every thread that receives writes down what it got. At the
// end each delivered value must have been received exactly once and nothing
// else received: no value lost, none duplicated, none invented. A watchdog
// turns a thread blocked forever into a clear failure instead of a hang.
//
// Sizes are chosen so that each test runs in a few seconds under
// ThreadSanitizer on two cores.
#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "channel_version/channel.h"
#include "channel_version/select.h"
#include "gtest/gtest.h"
#include "tests/channel_testing.h"

namespace sharemem {
namespace {

using channel_testing::Watchdog;
using namespace std::chrono_literals;

constexpr std::chrono::seconds kWatchdogLimit{60};

// Progress lets the closing thread wait until enough values have been
// received, or until every sender has finished, whichever comes first.
class Progress {
 public:
  void received() {
    bool reached;
    {
      std::lock_guard lock(mu_);
      ++received_;
      reached = received_ == target_;
    }
    if (reached) cv_.notify_all();
  }

  void sender_finished() {
    {
      std::lock_guard lock(mu_);
      ++senders_finished_;
    }
    cv_.notify_all();
  }

  // wait blocks until `received` values have been received or `senders`
  // senders have finished.
  void wait(int received, int senders) {
    std::unique_lock lock(mu_);
    target_ = received;
    cv_.wait(lock, [&] {
      return received_ >= received || senders_finished_ >= senders;
    });
    target_ = -1;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int received_ = 0;          // guarded by mu_
  int senders_finished_ = 0;  // guarded by mu_
  int target_ = -1;           // guarded by mu_; the count wait() awaits
};

// ExpectReceivedExactlyOnce checks the ledgers: each delivered value was
// received once, and nothing else was received.
void ExpectReceivedExactlyOnce(const std::vector<std::vector<int>>& delivered,
                               const std::vector<std::vector<int>>& received) {
  std::unordered_map<int, int> times_delivered;
  std::unordered_map<int, int> times_received;
  std::size_t total_delivered = 0;
  std::size_t total_received = 0;
  for (const auto& values : delivered) {
    for (int v : values) ++times_delivered[v];
    total_delivered += values.size();
  }
  for (const auto& values : received) {
    for (int v : values) ++times_received[v];
    total_received += values.size();
  }

  EXPECT_EQ(total_received, total_delivered)
      << "values received vs values delivered";
  int reported = 0;
  auto report = [&](int value) {
    if (++reported > 10) return;
    ADD_FAILURE() << "value " << value << " delivered "
                  << times_delivered[value] << " times, received "
                  << times_received[value] << " times";
  };
  for (const auto& [value, times] : times_delivered) {
    if (times != 1 || times_received[value] != 1) report(value);
  }
  for (const auto& [value, times] : times_received) {
    if (!times_delivered.contains(value)) report(value);
  }
}

// Traffic is one run: three channels of capacity 0, 1 and 8; four senders,
// each mixing plain, timed, non-blocking and select sends; four receivers,
// each with its own kind of receive; two selectors receiving from every
// channel still open. The channels are closed either after every sender
// has finished, or each at a random count of received values.
class Traffic {
 public:
  static constexpr int kSenders = 4;
  static constexpr int kReceivers = 4;
  static constexpr int kSelectors = 2;
  static constexpr int kChannels = 3;

  Traffic(int values_per_sender, std::mt19937& random)
      : values_per_sender_(values_per_sender), random_(random) {}

  // run sends, receives and closes, then checks the ledgers.
  void run(bool random_close) {
    Watchdog watchdog("channel traffic", kWatchdogLimit);
    std::vector<std::thread> threads;
    for (int s = 0; s < kSenders; ++s) {
      threads.emplace_back([this, s] { send(s); });
    }
    for (int r = 0; r < kReceivers; ++r) {
      threads.emplace_back([this, r] { receive(r); });
    }
    for (int s = 0; s < kSelectors; ++s) {
      threads.emplace_back([this, s] { select(kReceivers + s); });
    }

    close_all(random_close);
    for (auto& t : threads) t.join();

    // What a receiver that gave up early left in a buffer counts too.
    for (auto& ch : channels_) {
      while (std::optional<int> v = ch->try_receive()) {
        received_.back().push_back(*v);
      }
    }
    ExpectReceivedExactlyOnce(delivered_, received_);
  }

 private:
  // send delivers this sender's values, each to a channel picked by value,
  // in one of four ways, until done or a channel turns out to be closed.
  void send(int sender) {
    std::vector<int>& delivered = delivered_[sender];
    try {
      for (int i = 0; i < values_per_sender_; ++i) {
        const int id = sender * values_per_sender_ + i;
        Channel<int>& ch = *channels_[id % kChannels];
        int value = id;
        switch ((sender + i) % 4) {
          case 0:
            ch.send(value);
            break;
          case 1:
            while (!ch.send_for(value, 1ms)) {
            }
            break;
          case 2:
            if (!ch.try_send(value)) ch.send(value);
            break;
          case 3: {
            Select select;
            for (auto& c : channels_) select.send(*c, value);
            select.wait();
            break;
          }
        }
        delivered.push_back(id);
      }
    } catch (const ChannelClosedError&) {
      // A send that threw delivered nothing; this sender stops here.
    }
    progress_.sender_finished();
  }

  // receive drains one channel until it is closed, each receiver its own
  // way: plain, range-for, timed with a duration, timed with a deadline.
  void receive(int receiver) {
    std::vector<int>& got = received_[receiver];
    Channel<int>& ch = *channels_[receiver % kChannels];
    auto record = [&](int v) {
      got.push_back(v);
      progress_.received();
    };
    switch (receiver) {
      case 0:
        while (std::optional<int> v = ch.receive()) record(*v);
        break;
      case 1:
        for (int v : ch) record(v);
        break;
      default:
        for (;;) {
          std::optional<int> v = receiver == 2
                                     ? ch.receive_for(1ms)
                                     : ch.receive_until(Clock::now() + 1ms);
          if (v) {
            record(*v);
          } else if (ch.closed()) {
            break;
          }
        }
    }
  }

  // select receives from every channel still open until all are closed and
  // drained.
  void select(int receiver) {
    std::vector<int>& got = received_[receiver];
    std::vector<Channel<int>*> open;
    for (auto& ch : channels_) open.push_back(ch.get());
    while (!open.empty()) {
      Select select;
      Channel<int>* drained = nullptr;
      for (Channel<int>* ch : open) {
        select.receive(*ch, [&, ch](std::optional<int> v) {
          if (!v) {
            drained = ch;
            return;
          }
          got.push_back(*v);
          progress_.received();
        });
      }
      select.wait();
      if (drained != nullptr) std::erase(open, drained);
    }
  }

  // close_all closes the three channels in a random order, either once
  // every sender has finished or each after a random number of values
  // (or sooner, if the senders finish first).
  void close_all(bool random_close) {
    const int total = kSenders * values_per_sender_;
    std::array<int, kChannels> order = {0, 1, 2};
    std::shuffle(order.begin(), order.end(), random_);
    std::array<int, kChannels> after = {total, total, total};
    if (random_close) {
      std::uniform_int_distribution<int> pick(0, total);
      for (int& n : after) n = pick(random_);
      std::sort(after.begin(), after.end());
    }
    for (int i = 0; i < kChannels; ++i) {
      progress_.wait(after[i], kSenders);
      channels_[order[i]]->close();
    }
  }

  const int values_per_sender_;
  std::mt19937& random_;
  const std::array<std::unique_ptr<Channel<int>>, kChannels> channels_ = {
      std::make_unique<Channel<int>>(0), std::make_unique<Channel<int>>(1),
      std::make_unique<Channel<int>>(8)};
  Progress progress_;
  std::vector<std::vector<int>> delivered_ =
      std::vector<std::vector<int>>(kSenders);
  // One ledger per receiver and selector, and one for the final drain.
  std::vector<std::vector<int>> received_ =
      std::vector<std::vector<int>>(kReceivers + kSelectors + 1);
};

// Seed returns a fresh seed for a test's random choices.
unsigned Seed() { return std::random_device{}(); }

// Tests that with every sender, receiver and selector running at once and
// the channels closed only after the senders finish, every value sent is
// received exactly once and every thread finishes.
TEST(ChannelStressTest, EveryValueReceivedExactlyOnce) {
  const unsigned seed = Seed();
  SCOPED_TRACE(testing::Message() << "seed " << seed);
  std::mt19937 random(seed);
  Traffic(20000, random).run(/*random_close=*/false);
}

// Tests that closing the channels at random moments, while threads are
// sending, receiving and selecting, loses no delivered value, duplicates
// none, delivers none whose send threw, and leaves no thread blocked.
TEST(ChannelStressTest, RandomCloseLosesAndDuplicatesNothing) {
  constexpr int kRounds = 60;
  const unsigned seed = Seed();
  SCOPED_TRACE(testing::Message() << "seed " << seed);
  std::mt19937 random(seed);
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(testing::Message() << "round " << round);
    Traffic(250, random).run(/*random_close=*/true);
    if (HasFailure()) return;
  }
}

// Tests that close, at a random moment, releases every thread blocked on one
// channel in any way: senders throw, receivers get nothing, selectors that
// offer both to send and to receive do one or the other; and the values
// that moved before the close are all accounted for.
TEST(ChannelStressTest, CloseReleasesEveryBlockedThread) {
  constexpr int kRounds = 150;
  constexpr int kSenders = 2;
  constexpr int kReceivers = 2;
  constexpr int kSelectors = 2;
  constexpr int kIdsPerThread = 1'000'000;
  const unsigned seed = Seed();
  SCOPED_TRACE(testing::Message() << "seed " << seed);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> close_after(0, 200);
  Watchdog watchdog("close of a busy channel", kWatchdogLimit);

  for (int round = 0; round < kRounds; ++round) {
    const std::size_t capacity = std::array<std::size_t, 3>{0, 1, 8}[round % 3];
    Channel<int> ch(capacity);
    Progress progress;
    std::vector<std::vector<int>> delivered(kSenders + kSelectors);
    std::vector<std::vector<int>> received(kReceivers + kSelectors + 1);
    std::vector<std::thread> threads;

    // 1. Senders send until the close stops them.
    for (int s = 0; s < kSenders; ++s) {
      threads.emplace_back([&, s] {
        try {
          for (int id = s * kIdsPerThread;; ++id) {
            ch.send(id);
            delivered[s].push_back(id);
          }
        } catch (const ChannelClosedError&) {
        }
        progress.sender_finished();
      });
    }

    // 2. Receivers receive until the channel is closed and drained.
    for (int r = 0; r < kReceivers; ++r) {
      threads.emplace_back([&, r] {
        while (std::optional<int> v = ch.receive()) {
          received[r].push_back(*v);
          progress.received();
        }
      });
    }

    // 3. Selectors offer to send and to receive on the channel at once.
    for (int s = 0; s < kSelectors; ++s) {
      threads.emplace_back([&, s] {
        std::vector<int>& sent = delivered[kSenders + s];
        std::vector<int>& got = received[kReceivers + s];
        int next = (kSenders + s) * kIdsPerThread;
        bool drained = false;
        try {
          while (!drained) {
            int value = next;
            Select()
                .send(ch, value, [&] { sent.push_back(next++); })
                .receive(ch,
                         [&](std::optional<int> v) {
                           if (!v) {
                             drained = true;
                             return;
                           }
                           got.push_back(*v);
                           progress.received();
                         })
                .wait();
          }
        } catch (const ChannelClosedError&) {
        }
      });
    }

    // 4. Close after a random number of values, then account for them.
    progress.wait(close_after(random), kSenders);
    ch.close();
    for (auto& t : threads) t.join();
    while (std::optional<int> v = ch.try_receive()) {
      received.back().push_back(*v);
    }
    SCOPED_TRACE(testing::Message()
                 << "round " << round << ", capacity " << capacity);
    ExpectReceivedExactlyOnce(delivered, received);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace sharemem
