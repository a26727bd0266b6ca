// Poller benchmarks: the mutex version and the channel version of the URL
// poller on the same workloads, beside two reference rows, in one run.
//
// A workload is R resources, P pollers and a simulated fetch: no latency, a
// 100 us sleep, or 10 us of CPU work. A resource may be polled again as soon
// as it comes back (poll interval 0), and the status table is printed once
// an hour to a stream that discards it, so a run measures fetching and
// coordination only. A run starts the poller, waits until a fixed number of
// fetches have completed, and stops it. The subjects:
//   mutex       MutexUrlPoller.
//   channel     ChannelUrlPoller.
//   mutex_spin  MutexUrlPoller with busy_wait: a poller that finds no
//               resource free retries at once instead of waiting.
//   ceiling     no poller: min(P, R) threads that only fetch, each cycling
//               over its own share of the resources. Nothing is coordinated,
//               so no poller can do better. (One fetch per resource at a
//               time allows at most R fetches at once, hence min(P, R).)
// A result is named subject/resources:R/pollers:P/fetch:F, with F one of
// none, sleep100us and cpu10us; e.g. mutex/resources:1000/pollers:4/
// fetch:sleep100us. One workload also runs as .../counting:cost, with
// lock counting on and off in turn, to show what counting costs, and
// lock/counting:on|off times a single uncontended lock.
//
// Counters, per completed poll:
//   wall_ns_per_poll       wall-clock time from start() until stop() returns
//   cpu_ns_per_poll        CPU time of the whole process, user and system,
//                          over the same span; the fetch's own work included
//   locks_per_poll         lock acquisitions, from UrlPoller::counters()
//   contended_per_poll     acquisitions that found the lock held
//   lock_wait_ns_per_poll  nanoseconds spent waiting for those
// and, per run:
//   max_gap_ns             the longest time between two consecutive poll
//                          starts of one resource: the worst wait for a poll
//   polls                  polls completed, from the final snapshot
//   items_per_second       polls per second
//
// A run completes 10,000 polls, or ten times as many when the fetch costs
// nothing, unless `--polls=N` or SHAREMEM_BENCH_POLLS=N sets another base.
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <ostream>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench/count_flag.h"
#include "channel_version/url_poller.h"
#include "common/contention.h"
#include "common/fetcher.h"
#include "common/simulated_fetcher.h"
#include "mutex_version/url_poller.h"

namespace sharemem::bench {
namespace {

using namespace std::chrono_literals;

// polls is the base number of polls a run completes.
std::int64_t polls = 10'000;

// kFreeFetchWeight multiplies the polls of workloads whose fetch costs
// nothing, so that those runs, too, last long enough to time.
constexpr std::int64_t kFreeFetchWeight = 10;

// ---------------------------------------------------------------------------
// Workloads.

enum class Fetch { kNone, kSleep100us, kCpu10us };

struct Workload {
  int resources;
  int pollers;
  Fetch fetch;
};

const char* fetch_name(Fetch fetch) {
  switch (fetch) {
    case Fetch::kNone:
      return "none";
    case Fetch::kSleep100us:
      return "sleep100us";
    case Fetch::kCpu10us:
      return "cpu10us";
  }
  return "?";
}

SimulatedFetcher::Options fetch_options(Fetch fetch) {
  SimulatedFetcher::Options options;
  switch (fetch) {
    case Fetch::kNone:
      break;
    case Fetch::kSleep100us:
      options.latency = SimulatedFetcher::Latency::kSleep;
      options.latency_time = 100us;
      break;
    case Fetch::kCpu10us:
      options.latency = SimulatedFetcher::Latency::kCpu;
      options.latency_time = 10us;
      break;
  }
  return options;
}

// target_polls returns how many polls a run of the workload completes.
std::int64_t target_polls(const Workload& w) {
  return w.fetch == Fetch::kNone ? polls * kFreeFetchWeight : polls;
}

// name returns "subject/resources:R/pollers:P/fetch:F".
std::string name(const char* subject, const Workload& w) {
  return std::string(subject) + "/resources:" + std::to_string(w.resources) +
         "/pollers:" + std::to_string(w.pollers) +
         "/fetch:" + fetch_name(w.fetch);
}

// Resource i has the URL "http://r<i>.test/"; resource_index reads i back.
constexpr std::string_view kUrlPrefix = "http://r";

std::vector<std::string> urls(int resources) {
  std::vector<std::string> out;
  for (int i = 0; i < resources; ++i) {
    out.push_back(std::string(kUrlPrefix) + std::to_string(i) + ".test/");
  }
  return out;
}

std::size_t resource_index(const std::string& url) {
  std::size_t i = 0;
  std::from_chars(url.data() + kUrlPrefix.size(), url.data() + url.size(), i);
  return i;
}

// ---------------------------------------------------------------------------
// MeteredFetcher: the fetcher every subject uses. It passes each fetch on to
// a SimulatedFetcher and meters it: it counts completed fetches, signals
// when `target` have completed, and keeps, for each resource, the longest
// gap between two consecutive fetch starts.
//
// Thread safety: fetch may be called from any number of threads. Each
// resource has a slot on a cache line of its own, touched only by a fetch
// of that resource, and the pollers fetch a resource from one thread at a
// time, so metering takes no lock and fetches of different resources share
// no cache line. The completed count costs one atomic add per fetch.
class MeteredFetcher : public Fetcher {
 public:
  MeteredFetcher(Fetcher& inner, int resources, std::int64_t target)
      : inner_(inner), target_(target), slots_(resources) {}

  // fetch returns what the inner fetch returns, after metering it.
  FetchResult fetch(const std::string& url, std::stop_token stop) override {
    // Note the gap since the previous start of this resource.
    Slot& slot = slots_[resource_index(url)];
    const std::int64_t now = Clock::now().time_since_epoch().count();
    const std::int64_t last = slot.last_start.load(kRelaxed);
    slot.last_start.store(now, kRelaxed);
    if (last != 0 && now - last > slot.max_gap.load(kRelaxed)) {
      slot.max_gap.store(now - last, kRelaxed);
    }

    FetchResult result = inner_.fetch(url, stop);

    // Count a completed fetch; the one that reaches the target signals.
    if (result.kind != FetchResult::Kind::kCancelled &&
        completed_.fetch_add(1, kRelaxed) + 1 == target_) {
      reached_.test_and_set();
      reached_.notify_all();
    }
    return result;
  }

  // wait blocks until `target` fetches have completed.
  void wait() const { reached_.wait(false); }

  // completed returns how many fetches have completed.
  std::int64_t completed() const { return completed_.load(kRelaxed); }

  // max_gap returns the longest gap between two consecutive starts of the
  // same resource.
  Duration max_gap() const {
    std::int64_t gap = 0;
    for (const Slot& slot : slots_) {
      gap = std::max(gap, slot.max_gap.load(kRelaxed));
    }
    return Duration(gap);
  }

 private:
  static constexpr std::memory_order kRelaxed = std::memory_order_relaxed;

  // Slot is one resource's record, in clock ticks; last_start 0 is never.
  struct alignas(64) Slot {
    std::atomic<std::int64_t> last_start{0};
    std::atomic<std::int64_t> max_gap{0};
  };

  Fetcher& inner_;
  const std::int64_t target_;
  std::vector<Slot> slots_;  // one per resource
  std::atomic<std::int64_t> completed_{0};
  std::atomic_flag reached_;
};

// ---------------------------------------------------------------------------
// Measurement.

// Measurement is what one run measured.
struct Measurement {
  std::int64_t polls = 0;
  Duration wall{};
  Duration cpu{};
  ContentionCounters locks;
  Duration max_gap{};
};

// process_cpu reads the CPU time, user and system, that every thread of
// the process has used so far, threads that have ended included.
Duration process_cpu() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return std::chrono::duration_cast<Duration>(
      std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
}

// Stopwatch reads the wall clock and the process CPU clock together.
class Stopwatch {
 public:
  Stopwatch() : wall_(Clock::now()), cpu_(process_cpu()) {}

  // stop records the wall and CPU time since construction in m.
  void stop(Measurement& m) const {
    m.wall = Clock::now() - wall_;
    m.cpu = process_cpu() - cpu_;
  }

 private:
  Clock::time_point wall_;
  Duration cpu_;
};

// run_poller runs one Poller on the workload until it has completed the
// target number of polls, and measures the span from start() to stop().
template <typename Poller>
Measurement run_poller(const Workload& w, bool busy_wait) {
  // Set up outside the measured span.
  SimulatedFetcher simulated(fetch_options(w.fetch));
  MeteredFetcher fetcher(simulated, w.resources, target_polls(w));
  PollerConfig config;
  config.pollers = w.pollers;
  config.poll_interval = 0s;
  config.err_timeout = 0s;
  config.max_backoff = 0s;
  config.status_interval = 1h;
  config.busy_wait = busy_wait;
  std::ostream discard(nullptr);  // no buffer: every write is dropped
  Poller poller(urls(w.resources), fetcher, config, discard);

  // Run until the target is reached, then stop.
  Measurement m;
  Stopwatch stopwatch;
  poller.start();
  fetcher.wait();
  Snapshot final = poller.stop();
  stopwatch.stop(m);

  // Read what the poller counted.
  for (const ResourceStatus& row : final) m.polls += row.polls;
  m.locks = poller.counters();
  m.max_gap = fetcher.max_gap();
  return m;
}

// run_ceiling fetches with min(P, R) threads and no coordination until the
// target number of fetches have completed. Thread t fetches resources t,
// t + threads, t + 2 * threads, ... round and round, so that each resource
// still has one fetch at a time and is visited as evenly as it can be.
Measurement run_ceiling(const Workload& w) {
  // Set up outside the measured span.
  SimulatedFetcher simulated(fetch_options(w.fetch));
  MeteredFetcher fetcher(simulated, w.resources, target_polls(w));
  const std::vector<std::string> all = urls(w.resources);
  const int threads = std::min(w.pollers, w.resources);

  // Fetch until the target is reached, then stop every thread.
  Measurement m;
  Stopwatch stopwatch;
  {
    std::vector<std::jthread> fetchers;
    for (int t = 0; t < threads; ++t) {
      fetchers.emplace_back([&, t](std::stop_token stop) {
        for (int i = t; !stop.stop_requested();) {
          fetcher.fetch(all[i], stop);
          i = i + threads < w.resources ? i + threads : t;
        }
      });
    }
    fetcher.wait();
    for (std::jthread& f : fetchers) f.request_stop();
  }
  stopwatch.stop(m);

  m.polls = fetcher.completed();
  m.max_gap = fetcher.max_gap();
  return m;
}

// report runs `run` once per iteration, reports its wall time as the
// iteration time and sets the counters from the sum of the runs.
template <typename Run>
void report(benchmark::State& state, Run run) {
  Measurement sum;
  for (auto _ : state) {
    Measurement m = run();
    state.SetIterationTime(std::chrono::duration<double>(m.wall).count());
    sum.polls += m.polls;
    sum.wall += m.wall;
    sum.cpu += m.cpu;
    sum.locks += m.locks;
    sum.max_gap = std::max(sum.max_gap, m.max_gap);
  }

  const double n = static_cast<double>(std::max<std::int64_t>(sum.polls, 1));
  auto ns = [](Duration d) {
    return std::chrono::duration<double, std::nano>(d).count();
  };
  state.counters["wall_ns_per_poll"] = ns(sum.wall) / n;
  state.counters["cpu_ns_per_poll"] = ns(sum.cpu) / n;
  state.counters["locks_per_poll"] = sum.locks.acquisitions / n;
  state.counters["contended_per_poll"] = sum.locks.contended / n;
  state.counters["lock_wait_ns_per_poll"] = sum.locks.wait_ns / n;
  state.counters["max_gap_ns"] = ns(sum.max_gap);
  state.counters["polls"] = static_cast<double>(sum.polls);
  state.SetItemsProcessed(sum.polls);
}

// ---------------------------------------------------------------------------
// The benchmarks.

template <typename Poller>
void BM_Poller(benchmark::State& state, Workload w, bool busy_wait) {
  report(state, [&] { return run_poller<Poller>(w, busy_wait); });
}

void BM_Ceiling(benchmark::State& state, Workload w) {
  report(state, [&] { return run_ceiling(w); });
}

// Options every registration shares: one run of the whole workload, timed
// by hand on the wall clock from start() to stop(), because the work
// happens on threads the run starts and setting up is not part of it.
void options(benchmark::internal::Benchmark* b) {
  b->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
}

// The matrix: every fetch latency, resource count and poller count. Within
// a workload the four subjects run back to back, so that their ratios come
// from the same stretch of time on a shared machine.
const bool matrix_registered = [] {
  for (Fetch fetch : {Fetch::kNone, Fetch::kSleep100us, Fetch::kCpu10us}) {
    for (int resources : {10, 1000, 10000}) {
      for (int pollers : {1, 4, 32}) {
        const Workload w{resources, pollers, fetch};

        // ceiling: the fetches alone, the most any poller could do.
        benchmark::RegisterBenchmark(name("ceiling", w).c_str(), BM_Ceiling, w)
            ->Apply(options);

        // mutex: the lock-based poller, idle pollers waiting.
        benchmark::RegisterBenchmark(name("mutex", w).c_str(),
                                     BM_Poller<MutexUrlPoller>, w, false)
            ->Apply(options);

        // mutex_spin: the lock-based poller, idle pollers spinning on the
        // lock; differs from mutex only when resources run out (P > R).
        benchmark::RegisterBenchmark(name("mutex_spin", w).c_str(),
                                     BM_Poller<MutexUrlPoller>, w, true)
            ->Apply(options);

        // channel: the channel-based poller.
        benchmark::RegisterBenchmark(name("channel", w).c_str(),
                                     BM_Poller<ChannelUrlPoller>, w, false)
            ->Apply(options);
      }
    }
  }
  return true;
}();

// median returns the middle of values, which must not be empty.
double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// BM_CountingCost runs the poller on w alternately with lock counting on
// and off, kRounds times each, swapping which goes first every round, and
// reports the median wall time per poll of each and how much slower
// counting made it. Alternating inside one process keeps the drift of a
// shared machine out of the comparison.
template <typename Poller>
void BM_CountingCost(benchmark::State& state, Workload w) {
  constexpr int kRounds = 7;
  std::vector<double> on;
  std::vector<double> off;
  Duration wall{};
  for (auto _ : state) {
    for (int round = 0; round < kRounds; ++round) {
      for (bool counting : {round % 2 == 0, round % 2 != 0}) {
        set_counting_enabled(counting);
        Measurement m = run_poller<Poller>(w, false);
        wall += m.wall;
        const double per_poll =
            std::chrono::duration<double, std::nano>(m.wall).count() /
            static_cast<double>(std::max<std::int64_t>(m.polls, 1));
        (counting ? on : off).push_back(per_poll);
      }
    }
    set_counting_enabled(true);
    state.SetIterationTime(std::chrono::duration<double>(wall).count());
  }
  state.counters["on_wall_ns_per_poll"] = median(on);
  state.counters["off_wall_ns_per_poll"] = median(off);
  state.counters["counting_overhead_pct"] =
      100.0 * (median(on) / median(off) - 1.0);
}

// What counting costs: the poller on a workload that is all coordination,
// counting and not counting in turn.
const bool counting_registered = [] {
  const Workload w{1000, 4, Fetch::kNone};

  // mutex/.../counting:cost: the lock-based poller.
  benchmark::RegisterBenchmark((name("mutex", w) + "/counting:cost").c_str(),
                               BM_CountingCost<MutexUrlPoller>, w)
      ->Apply(options);

  // channel/.../counting:cost: the channel-based poller.
  benchmark::RegisterBenchmark((name("channel", w) + "/counting:cost").c_str(),
                               BM_CountingCost<ChannelUrlPoller>, w)
      ->Apply(options);
  return true;
}();

// BM_LockUnlock times one uncontended lock and unlock of an
// InstrumentedMutex, the price that counting adds to every acquisition
// where it matters most: on a lock nobody else wants, so that the count is
// the only extra work. Single-threaded, so the result is steady even on a
// busy machine.
void BM_LockUnlock(benchmark::State& state, bool counting) {
  set_counting_enabled(counting);
  InstrumentedMutex mu;
  for (auto _ : state) {
    mu.lock();
    mu.unlock();
  }
  set_counting_enabled(true);
  state.counters["ns_per_lock"] = benchmark::Counter(
      static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// lock/counting:on|off: one uncontended lock and unlock, counted or not;
// the difference, times locks_per_poll, bounds what counting adds to a poll.
BENCHMARK_CAPTURE(BM_LockUnlock, counting_on, true)->Name("lock/counting:on");
BENCHMARK_CAPTURE(BM_LockUnlock, counting_off, false)
    ->Name("lock/counting:off");

}  // namespace
}  // namespace sharemem::bench

int main(int argc, char** argv) {
  if (!sharemem::bench::take_count_flag(argc, argv, "polls",
                                        "SHAREMEM_BENCH_POLLS", 1,
                                        sharemem::bench::polls)) {
    return 2;
  }
  benchmark::AddCustomContext("polls", std::to_string(sharemem::bench::polls));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
