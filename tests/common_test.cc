// Tests of what both versions share: the rest rule, the error rule, the
// status table and the simulated fetcher.
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

#include "common/config.h"
#include "common/resource.h"
#include "common/simulated_fetcher.h"
#include "common/status_table.h"
#include "common/url_poller.h"

namespace sharemem {
namespace {

using namespace std::chrono_literals;
using Step = SimulatedFetcher::Step;

// Tests that the rest grows by err_timeout per error and that the error
// part stops growing at max_backoff.
TEST(RestTimeTest, GrowsPerErrorUpToTheCap) {
  PollerConfig config;
  config.poll_interval = 60s;
  config.err_timeout = 10s;
  config.max_backoff = 25s;
  EXPECT_EQ(rest_time(config, 0), 60s);
  EXPECT_EQ(rest_time(config, 1), 70s);
  EXPECT_EQ(rest_time(config, 2), 80s);
  EXPECT_EQ(rest_time(config, 3), 85s);
  EXPECT_EQ(rest_time(config, 1'000'000'000), 85s);
}

// Tests that bad settings are refused with a message naming the setting.
TEST(ValidateTest, NamesTheBadSetting) {
  PollerConfig config;
  config.pollers = 0;
  try {
    validate(config);
    FAIL() << "pollers = 0 accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("pollers"), std::string::npos)
        << e.what();
  }
  config = PollerConfig{};
  config.status_interval = 0s;
  EXPECT_THROW(validate(config), std::invalid_argument);
  config = PollerConfig{};
  config.err_timeout = -1s;
  EXPECT_THROW(validate(config), std::invalid_argument);
  EXPECT_NO_THROW(validate(PollerConfig{}));
}

// Tests that duplicate URLs are found and named.
TEST(CheckUrlsTest, NamesTheDuplicate) {
  EXPECT_NO_THROW(check_urls({"http://a/", "http://b/"}));
  try {
    check_urls({"http://a/", "http://b/", "http://b/"});
    FAIL() << "duplicate accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "duplicate URL: http://b/");
  }
}

// Tests Go's error rule: any response resets err_count, an error or a
// throw adds one, and a cancelled fetch changes nothing.
TEST(ResourceTest, PollAppliesTheErrorRule) {
  SimulatedFetcher::Options options;
  options.default_script = {Step{Step::Kind::kError, "refused"},
                            Step{Step::Kind::kThrow, "boom"},
                            Step{Step::Kind::kResponse, "503 Unavailable"}};
  SimulatedFetcher fetcher(options);
  Resource r("http://a/");
  std::stop_source stop;

  EXPECT_EQ(r.poll(fetcher, stop.get_token()), "refused");
  EXPECT_EQ(r.err_count, 1);
  EXPECT_EQ(r.poll(fetcher, stop.get_token()), "fetch failed: boom");
  EXPECT_EQ(r.err_count, 2);
  EXPECT_EQ(r.poll(fetcher, stop.get_token()), "503 Unavailable");
  EXPECT_EQ(r.err_count, 0);

  SimulatedFetcher::Options hang;
  hang.latency = SimulatedFetcher::Latency::kSleep;
  hang.latency_time = 1h;
  SimulatedFetcher hanging(hang);
  stop.request_stop();
  EXPECT_EQ(r.poll(hanging, stop.get_token()), std::nullopt);
  EXPECT_EQ(r.err_count, 0);
}

// Tests that the seeded random draw is repeatable and near its rates.
TEST(SimulatedFetcherTest, RandomDrawIsSeededAndNearItsRates) {
  SimulatedFetcher::Options options;
  options.error_rate = 0.2;
  options.throw_rate = 0.1;
  options.seed = 42;
  SimulatedFetcher a(options), b(options);
  int errors = 0, throws = 0;
  const int n = 10000;
  for (int i = 0; i < n; ++i) {
    std::string ra, rb;
    try {
      ra = a.fetch("u", {}).text;
    } catch (const std::runtime_error&) {
      ra = "throw";
    }
    try {
      rb = b.fetch("u", {}).text;
    } catch (const std::runtime_error&) {
      rb = "throw";
    }
    ASSERT_EQ(ra, rb) << "draw " << i;
    errors += ra == "simulated error";
    throws += ra == "throw";
  }
  // Binomial spread at n = 10000 is about 0.4%; allow 2%.
  EXPECT_NEAR(errors / double(n), 0.2, 0.02);
  EXPECT_NEAR(throws / double(n), 0.1, 0.02);
}

// Tests that CPU latency costs the calling thread real CPU time.
TEST(SimulatedFetcherTest, CpuLatencyUsesTheThreadsCpu) {
  SimulatedFetcher::Options options;
  options.latency = SimulatedFetcher::Latency::kCpu;
  options.latency_time = 20ms;
  SimulatedFetcher fetcher(options);
  std::clock_t before = std::clock();
  fetcher.fetch("u", {});
  double used = double(std::clock() - before) / CLOCKS_PER_SEC;
  EXPECT_GE(used, 0.019) << "CPU seconds used";
}

// Tests that the table prints one aligned line per URL under a timestamp.
TEST(StatusTableTest, PrintsAlignedRows) {
  StatusTable table({"http://short/", "http://a-much-longer-url/"});
  table.update("http://short/", "200 OK", 0);
  table.update("http://short/", "404 Not Found", 0);
  std::ostringstream out;
  table.print(out);

  std::istringstream lines(out.str());
  std::string heading, header, first, second;
  std::getline(lines, heading);
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(heading.rfind("status at ", 0), 0u) << heading;
  EXPECT_EQ(first.find("404 Not Found"), second.find("(not polled yet)"))
      << out.str();
  EXPECT_EQ(header.find("STATUS"), first.find("404 Not Found")) << out.str();
  EXPECT_EQ(table.rows()[0].polls, 2);
  EXPECT_THROW(table.update("http://other/", "x", 0), std::out_of_range);
}

}  // namespace
}  // namespace sharemem
