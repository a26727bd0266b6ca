// Channel benchmarks: the workloads of the crossbeam-channel benchmark suite,
// run on our Channel<T> and, in the same run, on MutexQueue<T>, a plain
// mutex and condition-variable queue (mutex_queue.h).
//
// Workloads, each moving N messages (T = 4 threads a side):
//   seq          one thread sends N, then receives N (capacity N only).
//   spsc         one sender thread, one receiver.
//   mpsc         T senders, one receiver.
//   mpmc         T senders, T receivers.
//   select_rx    T senders, each on its own channel; one receiver selects
//                over the T channels.
//   select_both  T senders and T receivers, all selecting over T channels.
// each at capacity 0 (rendezvous), 1 and N. A result is named
// subject/workload/cap:C, e.g. channel/spsc/cap:0, and reports ns_per_msg,
// wall-clock nanoseconds per message, thread start-up included.
//
// floor/handoff measures, for reference, two threads passing a turn back
// and forth with no channel at all.
//
// N is 1,000,000 unless `--messages=N` or SHAREMEM_BENCH_MESSAGES says
// otherwise. Each benchmark runs the workload once (add
// --benchmark_repetitions=R for more).
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/count_flag.h"
#include "bench/mutex_queue.h"
#include "channel_version/channel.h"
#include "channel_version/select.h"

namespace sharemem::bench {
namespace {

using Message = std::uint64_t;

constexpr int kThreads = 4;

// messages is N, the number of messages each workload moves.
std::int64_t messages = 1'000'000;

// Capacity names the three buffer sizes: none, one, and room for all N.
enum class Capacity { k0, k1, kN };

std::size_t capacity_of(Capacity c) {
  switch (c) {
    case Capacity::k0:
      return 0;
    case Capacity::k1:
      return 1;
    case Capacity::kN:
      break;
  }
  return static_cast<std::size_t>(messages);
}

// ---------------------------------------------------------------------------
// The two subjects. Each offers a Set of channels (or queues) of one
// capacity, and per-thread AnyReceiver and AnySender that select over the
// whole set.

// ChannelSubject: Channel<Message>, and Select for the select workloads.
struct ChannelSubject {
  class Set {
   public:
    Set(int count, std::size_t capacity) {
      for (int i = 0; i < count; ++i) {
        channels_.push_back(std::make_unique<Channel<Message>>(capacity));
      }
    }
    void send(int i, Message m) { channels_[i]->send(m); }
    Message receive(int i) { return *channels_[i]->receive(); }

    // locks sums the counts of the channels' locks.
    ContentionCounters locks() const {
      ContentionCounters sum;
      for (auto& c : channels_) sum += c->counters();
      return sum;
    }

    std::vector<std::unique_ptr<Channel<Message>>>& channels() {
      return channels_;
    }

   private:
    std::vector<std::unique_ptr<Channel<Message>>> channels_;
  };

  // AnyReceiver receives from whichever channel of the set is ready. Its
  // Select is built once and waited on for every message.
  class AnyReceiver {
   public:
    explicit AnyReceiver(Set& set) {
      for (auto& channel : set.channels()) {
        select_.receive(*channel,
                        [this](std::optional<Message> m) { received_ = *m; });
      }
    }
    Message receive() {
      select_.wait();
      return received_;
    }

   private:
    Select select_;
    Message received_ = 0;
  };

  // AnySender sends to whichever channel of the set is ready.
  class AnySender {
   public:
    explicit AnySender(Set& set) {
      for (auto& channel : set.channels()) select_.send(*channel, outgoing_);
    }
    void send(Message m) {
      outgoing_ = m;
      select_.wait();
    }

   private:
    Select select_;
    Message outgoing_ = 0;
  };
};

// MutexQueueSubject: MutexQueue<Message>; the queues of a set share one
// lock, which is how a mutex and condition variables can wait for any of
// several queues.
struct MutexQueueSubject {
  class Set {
   public:
    Set(int count, std::size_t capacity) : queues_(count, capacity) {}
    void send(int i, Message m) { queues_[i].send(m); }
    Message receive(int i) { return queues_[i].receive(); }
    ContentionCounters locks() const { return {}; }  // not counted
    QueueSet<Message>& queues() { return queues_; }

   private:
    QueueSet<Message> queues_;
  };

  class AnyReceiver {
   public:
    explicit AnyReceiver(Set& set) : set_(set) {}
    Message receive() { return set_.queues().receive_any(); }

   private:
    Set& set_;
  };

  class AnySender {
   public:
    explicit AnySender(Set& set) : set_(set) {}
    void send(Message m) { set_.queues().send_any(m); }

   private:
    Set& set_;
  };
};

// ---------------------------------------------------------------------------
// Measurement.

// measure times run(set) once per iteration, on a fresh set of `channels`
// channels made outside the timed region, and reports ns_per_msg, and for
// the channel lock acquisitions and contended acquisitions per message.
template <typename Subject, typename Workload>
void measure(benchmark::State& state, int channels, Capacity capacity,
             Workload run) {
  const std::int64_t total = messages / kThreads * kThreads;
  double elapsed_ns = 0;
  ContentionCounters locks;
  for (auto _ : state) {
    // Make the channels, untimed. Fill and drain each buffer once, so that
    // the timed run does not pay the first touch of its memory pages (the
    // Go program does the same).
    typename Subject::Set set(channels, capacity_of(capacity));
    for (int c = 0; c < channels; ++c) {
      const auto size = static_cast<std::int64_t>(capacity_of(capacity));
      for (std::int64_t i = 0; i < size; ++i) set.send(c, i);
      for (std::int64_t i = 0; i < size; ++i) set.receive(c);
    }
    const ContentionCounters untimed = set.locks();

    // Run the workload, timed.
    auto start = std::chrono::steady_clock::now();
    run(set, total / kThreads);
    elapsed_ns += std::chrono::duration<double, std::nano>(
                      std::chrono::steady_clock::now() - start)
                      .count();
    ContentionCounters timed = set.locks();
    timed.acquisitions -= untimed.acquisitions;
    timed.contended -= untimed.contended;
    timed.wait_ns -= untimed.wait_ns;
    locks += timed;
  }
  const double moved = static_cast<double>(total * state.iterations());
  state.counters["ns_per_msg"] = elapsed_ns / moved;
  if (locks.acquisitions > 0) {
    state.counters["locks_per_msg"] = locks.acquisitions / moved;
    state.counters["contended_per_msg"] = locks.contended / moved;
  }
  state.SetItemsProcessed(total * state.iterations());
}

// Options every registration shares: one run of the whole workload, timed
// by the wall clock because the work happens on threads we start.
void options(benchmark::internal::Benchmark* b) {
  b->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
}

// ---------------------------------------------------------------------------
// The workloads. `per_thread` is N / T; spsc and seq move T times that.

template <typename Subject, Capacity C>
void BM_Seq(benchmark::State& state) {
  measure<Subject>(state, 1, C, [](auto& set, std::int64_t per_thread) {
    for (std::int64_t i = 0; i < per_thread * kThreads; ++i) set.send(0, i);
    for (std::int64_t i = 0; i < per_thread * kThreads; ++i) {
      benchmark::DoNotOptimize(set.receive(0));
    }
  });
}
// seq: the cost of a send and a receive with no other thread involved.
BENCHMARK_TEMPLATE(BM_Seq, ChannelSubject, Capacity::kN)
    ->Name("channel/seq/cap:N")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Seq, MutexQueueSubject, Capacity::kN)
    ->Name("mutex_queue/seq/cap:N")
    ->Apply(options);

template <typename Subject, Capacity C>
void BM_Spsc(benchmark::State& state) {
  measure<Subject>(state, 1, C, [](auto& set, std::int64_t per_thread) {
    std::jthread sender([&] {
      for (std::int64_t i = 0; i < per_thread * kThreads; ++i) {
        set.send(0, i);
      }
    });
    for (std::int64_t i = 0; i < per_thread * kThreads; ++i) {
      benchmark::DoNotOptimize(set.receive(0));
    }
  });
}
// spsc: one sender and one receiver passing messages through one channel.
BENCHMARK_TEMPLATE(BM_Spsc, ChannelSubject, Capacity::k0)
    ->Name("channel/spsc/cap:0")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Spsc, ChannelSubject, Capacity::k1)
    ->Name("channel/spsc/cap:1")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Spsc, ChannelSubject, Capacity::kN)
    ->Name("channel/spsc/cap:N")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Spsc, MutexQueueSubject, Capacity::k0)
    ->Name("mutex_queue/spsc/cap:0")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Spsc, MutexQueueSubject, Capacity::k1)
    ->Name("mutex_queue/spsc/cap:1")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Spsc, MutexQueueSubject, Capacity::kN)
    ->Name("mutex_queue/spsc/cap:N")
    ->Apply(options);

template <typename Subject, Capacity C>
void BM_Mpsc(benchmark::State& state) {
  measure<Subject>(state, 1, C, [](auto& set, std::int64_t per_thread) {
    std::vector<std::jthread> senders;
    for (int t = 0; t < kThreads; ++t) {
      senders.emplace_back([&] {
        for (std::int64_t i = 0; i < per_thread; ++i) set.send(0, i);
      });
    }
    for (std::int64_t i = 0; i < per_thread * kThreads; ++i) {
      benchmark::DoNotOptimize(set.receive(0));
    }
  });
}
// mpsc: T senders contending for one channel, one receiver draining it.
BENCHMARK_TEMPLATE(BM_Mpsc, ChannelSubject, Capacity::k0)
    ->Name("channel/mpsc/cap:0")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Mpsc, ChannelSubject, Capacity::k1)
    ->Name("channel/mpsc/cap:1")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Mpsc, ChannelSubject, Capacity::kN)
    ->Name("channel/mpsc/cap:N")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Mpsc, MutexQueueSubject, Capacity::k0)
    ->Name("mutex_queue/mpsc/cap:0")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Mpsc, MutexQueueSubject, Capacity::k1)
    ->Name("mutex_queue/mpsc/cap:1")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Mpsc, MutexQueueSubject, Capacity::kN)
    ->Name("mutex_queue/mpsc/cap:N")
    ->Apply(options);

template <typename Subject, Capacity C>
void BM_Mpmc(benchmark::State& state) {
  measure<Subject>(state, 1, C, [](auto& set, std::int64_t per_thread) {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        for (std::int64_t i = 0; i < per_thread; ++i) set.send(0, i);
      });
      threads.emplace_back([&] {
        for (std::int64_t i = 0; i < per_thread; ++i) {
          benchmark::DoNotOptimize(set.receive(0));
        }
      });
    }
  });
}
// mpmc: T senders and T receivers all on one channel; 8 threads share the
// machine's cores, so this is also the test of waiting when threads
// outnumber cores.
BENCHMARK_TEMPLATE(BM_Mpmc, ChannelSubject, Capacity::k0)
    ->Name("channel/mpmc/cap:0")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Mpmc, ChannelSubject, Capacity::k1)
    ->Name("channel/mpmc/cap:1")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Mpmc, ChannelSubject, Capacity::kN)
    ->Name("channel/mpmc/cap:N")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Mpmc, MutexQueueSubject, Capacity::k0)
    ->Name("mutex_queue/mpmc/cap:0")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Mpmc, MutexQueueSubject, Capacity::k1)
    ->Name("mutex_queue/mpmc/cap:1")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_Mpmc, MutexQueueSubject, Capacity::kN)
    ->Name("mutex_queue/mpmc/cap:N")
    ->Apply(options);

template <typename Subject, Capacity C>
void BM_SelectRx(benchmark::State& state) {
  measure<Subject>(state, kThreads, C, [](auto& set, std::int64_t per_thread) {
    std::vector<std::jthread> senders;
    for (int t = 0; t < kThreads; ++t) {
      senders.emplace_back([&set, t, per_thread] {
        for (std::int64_t i = 0; i < per_thread; ++i) set.send(t, i);
      });
    }
    typename Subject::AnyReceiver receiver(set);
    for (std::int64_t i = 0; i < per_thread * kThreads; ++i) {
      benchmark::DoNotOptimize(receiver.receive());
    }
  });
}
// select_rx: one receiver selecting over T channels, each fed by its own
// sender; the cost of select on the receiving side.
BENCHMARK_TEMPLATE(BM_SelectRx, ChannelSubject, Capacity::k0)
    ->Name("channel/select_rx/cap:0")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_SelectRx, ChannelSubject, Capacity::k1)
    ->Name("channel/select_rx/cap:1")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_SelectRx, ChannelSubject, Capacity::kN)
    ->Name("channel/select_rx/cap:N")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_SelectRx, MutexQueueSubject, Capacity::k0)
    ->Name("mutex_queue/select_rx/cap:0")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_SelectRx, MutexQueueSubject, Capacity::k1)
    ->Name("mutex_queue/select_rx/cap:1")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_SelectRx, MutexQueueSubject, Capacity::kN)
    ->Name("mutex_queue/select_rx/cap:N")
    ->Apply(options);

template <typename Subject, Capacity C>
void BM_SelectBoth(benchmark::State& state) {
  measure<Subject>(state, kThreads, C, [](auto& set, std::int64_t per_thread) {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        typename Subject::AnySender sender(set);
        for (std::int64_t i = 0; i < per_thread; ++i) sender.send(i);
      });
      threads.emplace_back([&] {
        typename Subject::AnyReceiver receiver(set);
        for (std::int64_t i = 0; i < per_thread; ++i) {
          benchmark::DoNotOptimize(receiver.receive());
        }
      });
    }
  });
}
// select_both: T senders and T receivers, every one selecting over the same
// T channels; the cost of select on both sides, under contention.
BENCHMARK_TEMPLATE(BM_SelectBoth, ChannelSubject, Capacity::k0)
    ->Name("channel/select_both/cap:0")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_SelectBoth, ChannelSubject, Capacity::k1)
    ->Name("channel/select_both/cap:1")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_SelectBoth, ChannelSubject, Capacity::kN)
    ->Name("channel/select_both/cap:N")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_SelectBoth, MutexQueueSubject, Capacity::k0)
    ->Name("mutex_queue/select_both/cap:0")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_SelectBoth, MutexQueueSubject, Capacity::k1)
    ->Name("mutex_queue/select_both/cap:1")
    ->Apply(options);
BENCHMARK_TEMPLATE(BM_SelectBoth, MutexQueueSubject, Capacity::kN)
    ->Name("mutex_queue/select_both/cap:N")
    ->Apply(options);

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// BM_HandoffFloor passes a turn back and forth between two threads N times
// through one atomic, each waiting as a Parker does before it would sleep:
// a short spin, then yielding. No channel, no lock: this is what the
// operating system and the machine charge for one thread to hand control to
// another, the floor under every rendezvous between threads. (Go's
// goroutines switch in user space, and do not pay it.)
void BM_HandoffFloor(benchmark::State& state) {
  const std::int64_t handoffs = messages;
  std::atomic<std::int64_t> turn{0};
  auto wait_for = [&turn](std::int64_t value) {
    for (int spins = 0; turn.load(std::memory_order_acquire) != value;) {
      if (++spins < 16) {
        cpu_relax();
      } else {
        std::this_thread::yield();
      }
    }
  };

  double elapsed_ns = 0;
  for (auto _ : state) {
    turn.store(0);
    auto start = std::chrono::steady_clock::now();
    std::jthread other([&] {
      for (std::int64_t i = 1; i < handoffs; i += 2) {
        wait_for(i);
        turn.store(i + 1, std::memory_order_release);
      }
    });
    for (std::int64_t i = 0; i < handoffs; i += 2) {
      wait_for(i);
      turn.store(i + 1, std::memory_order_release);
    }
    other.join();
    elapsed_ns += std::chrono::duration<double, std::nano>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  }
  state.counters["ns_per_handoff"] =
      elapsed_ns / static_cast<double>(handoffs * state.iterations());
}
// floor/handoff: the cost of one thread handing control to another, for
// reading the capacity 0 and 1 results against.
BENCHMARK(BM_HandoffFloor)->Name("floor/handoff")->Apply(options);

}  // namespace
}  // namespace sharemem::bench

int main(int argc, char** argv) {
  if (!sharemem::bench::take_count_flag(
          argc, argv, "messages", "SHAREMEM_BENCH_MESSAGES",
          sharemem::bench::kThreads, sharemem::bench::messages)) {
    return 2;
  }
  benchmark::AddCustomContext("messages",
                              std::to_string(sharemem::bench::messages));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
