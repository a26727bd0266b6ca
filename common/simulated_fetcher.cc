#include "common/simulated_fetcher.h"

#include <time.h>

#include <stdexcept>

#include "common/sleep.h"

namespace sharemem {
namespace {

// thread_cpu_now reads the calling thread's CPU clock.
Duration thread_cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::duration_cast<Duration>(
      std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
}

// mix is splitmix64: a good 64-bit hash for seeding draws.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

void spend_cpu(Duration work) {
  const Duration until = thread_cpu_now() + work;
  while (thread_cpu_now() < until) {
  }
}

SimulatedFetcher::SimulatedFetcher(Options options)
    : options_(std::move(options)) {
  for (const auto& [url, steps] : options_.script) {
    auto script = std::make_unique<Script>();
    script->steps = steps;
    scripts_.emplace(url, std::move(script));
  }
  default_script_.steps = options_.default_script;
}

FetchResult SimulatedFetcher::fetch(const std::string& url,
                                    std::stop_token stop) {
  calls_.fetch_add(1, std::memory_order_relaxed);

  // Spend the latency.
  switch (options_.latency) {
    case Latency::kNone:
      break;
    case Latency::kSleep:
      if (!sleep_until(Clock::now() + options_.latency_time, stop)) {
        return FetchResult::cancelled();
      }
      break;
    case Latency::kCpu:
      spend_cpu(options_.latency_time);
      break;
  }

  // Pick the outcome: this URL's script, the default script, or a draw.
  auto it = scripts_.find(url);
  Script& script = it != scripts_.end() ? *it->second : default_script_;
  std::uint64_t n = script.next.fetch_add(1, std::memory_order_relaxed);
  if (script.steps.empty()) return perform(draw(n));
  return perform(script.steps[n % script.steps.size()]);
}

SimulatedFetcher::Step SimulatedFetcher::draw(std::uint64_t n) const {
  double u = static_cast<double>(mix(options_.seed ^ mix(n)) >> 11) /
             static_cast<double>(1ULL << 53);
  if (u < options_.error_rate) {
    return {Step::Kind::kError, "simulated error"};
  }
  if (u < options_.error_rate + options_.throw_rate) {
    return {Step::Kind::kThrow, "simulated throw"};
  }
  return {};
}

FetchResult SimulatedFetcher::perform(const Step& step) const {
  switch (step.kind) {
    case Step::Kind::kResponse:
      return FetchResult::response(step.text);
    case Step::Kind::kError:
      return FetchResult::error(step.text);
    case Step::Kind::kThrow:
      throw std::runtime_error(step.text);
  }
  return FetchResult::error("unreachable");
}

}  // namespace sharemem
