// urlpoll: polls URLs with HTTP HEAD requests and prints a status table, with
// either version of the poller; run it with --help for the options.
//
// Signals: SIGINT and SIGTERM are blocked in every thread before any thread
// starts, and the main thread takes them with sigtimedwait while the poller
// runs. So no code runs in a signal handler, and a signal ends the run the
// same way --duration does: stop, print the final table, exit 0.
#include <signal.h>
#include <sys/resource.h>
#include <time.h>

#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "channel_version/url_poller.h"
#include "common/http_fetcher.h"
#include "mutex_version/url_poller.h"
#include "tools/counting_fetcher.h"
#include "tools/demo_server.h"
#include "tools/options.h"
#include "tools/report.h"

namespace sharemem::urlpoll {
namespace {

const char* version_name(Impl impl) {
  return impl == Impl::kMutex ? "mutex" : "channel";
}

// make_poller builds the poller of the chosen design.
std::unique_ptr<UrlPoller> make_poller(Impl impl, std::vector<std::string> urls,
                                       Fetcher& fetcher, PollerConfig config,
                                       std::ostream& out) {
  if (impl == Impl::kMutex) {
    return std::make_unique<MutexUrlPoller>(std::move(urls), fetcher, config,
                                            out);
  }
  return std::make_unique<ChannelUrlPoller>(std::move(urls), fetcher, config,
                                            out);
}

// process_cpu returns the CPU time, user and system, that the whole process
// has used so far.
Duration process_cpu() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto time = [](const timeval& tv) {
    return std::chrono::seconds(tv.tv_sec) +
           std::chrono::microseconds(tv.tv_usec);
  };
  return std::chrono::duration_cast<Duration>(time(usage.ru_utime) +
                                              time(usage.ru_stime));
}

// wait_for_stop blocks until one of `signals` arrives, or until `duration`
// has passed if there is one. It returns the signal, or 0 when time ran out.
int wait_for_stop(const sigset_t& signals, std::optional<Duration> duration) {
  const Clock::time_point deadline =
      Clock::now() + duration.value_or(Duration{});
  for (;;) {
    // With no duration, wait for a signal alone.
    if (!duration) {
      int signal = 0;
      if (sigwait(&signals, &signal) == 0) return signal;
      continue;
    }

    // Otherwise wait for what is left of it; EINTR means wait again.
    Duration left = deadline - Clock::now();
    if (left <= Duration::zero()) return 0;
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(left);
    timespec timeout{};
    timeout.tv_sec = secs.count();
    timeout.tv_nsec =
        std::chrono::duration_cast<std::chrono::nanoseconds>(left - secs)
            .count();
    int signal = sigtimedwait(&signals, nullptr, &timeout);
    if (signal > 0) return signal;
  }
}

// run_version runs one version on urls until a signal or the duration ends
// it, prints its final table, and returns what it did.
RunSummary run_version(Impl impl, const std::vector<std::string>& urls,
                       Fetcher& http, const Options& options,
                       std::optional<Duration> duration,
                       const sigset_t& signals) {
  // Build the poller; the counting fetcher keeps this run's error count.
  CountingFetcher fetcher(http);
  std::unique_ptr<UrlPoller> poller =
      make_poller(impl, urls, fetcher, options.config, std::cout);
  std::cerr << "urlpoll: polling " << urls.size() << " URLs with the "
            << version_name(impl) << " version and " << options.config.pollers
            << " pollers, every "
            << format_duration(options.config.poll_interval) << "; "
            << (duration ? "stopping after " + format_duration(*duration)
                         : std::string("Ctrl-C stops"))
            << '\n';

  // Poll until told to stop.
  RunSummary run;
  run.version = version_name(impl);
  const Duration cpu_start = process_cpu();
  const Clock::time_point start = Clock::now();
  poller->start();
  int signal = wait_for_stop(signals, duration);
  if (signal != 0) {
    std::cerr << "urlpoll: stopping on "
              << (signal == SIGINT ? "SIGINT" : "SIGTERM") << '\n';
    run.signalled = true;
  }

  // Stop, and report.
  run.snapshot = poller->stop();
  run.wall = Clock::now() - start;
  run.cpu = process_cpu() - cpu_start;
  run.fetches = fetcher.counts();
  run.locks = poller->counters();
  print_final(std::cout, run);
  return run;
}

// run polls as options say until a signal or --duration ends it, and
// returns the exit status.
int run(const Options& options, const sigset_t& signals) {
  // Without URLs, start the demo server and poll it.
  std::optional<DemoServer> demo;
  std::vector<std::string> urls = options.urls;
  if (options.demo()) {
    DemoServer::Options demo_options;
    demo_options.hang_time = 3 * options.fetch_timeout;
    demo.emplace(demo_options);
    demo->start();
    urls = demo->urls();
    std::cerr << "urlpoll: no URL given: polling a demo server on "
                 "127.0.0.1 (see --help)\n";
  }
  HttpFetcher::Options http_options;
  http_options.connect_timeout = options.fetch_timeout;
  http_options.timeout = options.fetch_timeout;
  HttpFetcher http(http_options);

  // Run one version, or both one after the other.
  if (!options.compare) {
    run_version(options.impl, urls, http, options, options.duration, signals);
    return 0;
  }
  const Duration each = options.duration.value_or(kCompareDefault);
  std::vector<RunSummary> runs;
  for (Impl impl : {Impl::kMutex, Impl::kChannel}) {
    runs.push_back(run_version(impl, urls, http, options, each, signals));
    std::cout << '\n';
    if (runs.back().signalled) {
      std::cout << "(stopped early: the comparison is incomplete)\n";
      break;
    }
  }
  print_comparison(std::cout, runs);
  return 0;
}

}  // namespace
}  // namespace sharemem::urlpoll

int main(int argc, char** argv) {
  using namespace sharemem::urlpoll;

  // Block the stop signals before any thread starts, so every thread
  // inherits the mask and only wait_for_stop takes them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Check the command line; nothing runs unless all of it is valid.
  ParseResult parsed = parse_command_line(argc, argv, std::cout, std::cerr);
  if (!parsed.options) return parsed.exit_status;

  try {
    return run(*parsed.options, signals);
  } catch (const std::exception& e) {
    std::cerr << "urlpoll: " << e.what() << '\n';
    return 1;
  }
}
