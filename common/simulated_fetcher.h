// SimulatedFetcher: a Fetcher with no network, for repeatable workloads.
//
// Each fetch first spends its latency, then returns an outcome:
//   - latency: none, a sleep (cancellable by stop), or CPU work measured on
//     the calling thread's own CPU clock, so that it costs real cycles even
//     when threads outnumber cores;
//   - outcome: from a script, the n-th fetch of a URL taking step n of that
//     URL's script (cycling), or from a seeded random draw with given error
//     and throw rates, or "200 OK" when neither is set.
//
// Thread safety: fetch may be called from any number of threads. The
// options are fixed at construction; the only shared state is one atomic
// counter per scripted URL and one for all other calls.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/config.h"
#include "common/fetcher.h"

namespace sharemem {

class SimulatedFetcher : public Fetcher {
 public:
  enum class Latency { kNone, kSleep, kCpu };

  // A Step is one scripted outcome.
  struct Step {
    enum class Kind { kResponse, kError, kThrow };
    Kind kind = Kind::kResponse;
    std::string text = "200 OK";
  };

  struct Options {
    Latency latency = Latency::kNone;
    Duration latency_time = Duration::zero();

    // script holds a sequence of steps per URL; URLs not listed use
    // default_script, and when that is empty, the random draw.
    std::map<std::string, std::vector<Step>> script;
    std::vector<Step> default_script;

    // The random draw: an error with probability error_rate, else a throw
    // with probability throw_rate, else "200 OK".
    double error_rate = 0.0;
    double throw_rate = 0.0;
    std::uint64_t seed = 1;
  };

  SimulatedFetcher() : SimulatedFetcher(Options{}) {}
  explicit SimulatedFetcher(Options options);

  // fetch spends the latency, then returns or throws the next outcome for
  // url. It returns kCancelled if stop is requested during a sleep.
  FetchResult fetch(const std::string& url, std::stop_token stop) override;

  // calls returns how many fetches have started.
  std::int64_t calls() const { return calls_.load(std::memory_order_relaxed); }

 private:
  struct Script {
    std::vector<Step> steps;
    std::atomic<std::uint64_t> next{0};
  };

  FetchResult perform(const Step& step) const;
  Step draw(std::uint64_t n) const;

  Options options_;
  std::unordered_map<std::string, std::unique_ptr<Script>> scripts_;
  Script default_script_;
  std::atomic<std::int64_t> calls_{0};
};

// spend_cpu keeps the calling thread busy until it has used `work` of its
// own CPU time.
void spend_cpu(Duration work);

}  // namespace sharemem
