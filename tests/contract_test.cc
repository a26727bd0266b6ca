// The contract that both pollers keep, as one typed test suite: every test
// below runs once against MutexUrlPoller and once against ChannelUrlPoller.
//
// The tests wait for events (polls recorded by the fetcher, text printed by
// the monitor), never for a stretch of time; each wait has a generous
// timeout so that a broken poller fails instead of hanging.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "channel_version/url_poller.h"
#include "mutex_version/url_poller.h"
#include "tests/recording_fetcher.h"
#include "tests/watched_stream.h"

namespace sharemem {
namespace {

using namespace std::chrono_literals;
using testing::RecordingFetcher;
using testing::WatchedStream;
using Step = SimulatedFetcher::Step;

// urls returns n distinct URLs.
std::vector<std::string> urls(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    out.push_back("http://host" + std::to_string(i) + ".test/");
  }
  return out;
}

// fast returns a config that polls as fast as it can.
PollerConfig fast(int pollers) {
  PollerConfig config;
  config.pollers = pollers;
  config.poll_interval = 0s;
  config.err_timeout = 0s;
  config.max_backoff = 0s;
  config.status_interval = 1h;
  return config;
}

// url_set returns the URLs of a snapshot, failing on a URL seen twice.
std::multiset<std::string> url_set(const Snapshot& snapshot) {
  std::multiset<std::string> out;
  for (const auto& row : snapshot) out.insert(row.url);
  return out;
}

template <typename Poller>
class ContractTest : public ::testing::Test {
 protected:
  std::unique_ptr<UrlPoller> make(const std::vector<std::string>& urls,
                                  Fetcher& fetcher, PollerConfig config) {
    return std::make_unique<Poller>(urls, fetcher, config, out_);
  }

  WatchedStream out_;
};

class VersionNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, MutexUrlPoller> ? "Mutex" : "Channel";
  }
};

using Versions = ::testing::Types<MutexUrlPoller, ChannelUrlPoller>;
TYPED_TEST_SUITE(ContractTest, Versions, VersionNames);

// Tests that every resource is polled again and again, and that the final
// snapshot agrees with the fetcher: the same poll count and last status.
TYPED_TEST(ContractTest, EveryResourceIsPolledRepeatedly) {
  RecordingFetcher fetcher;
  const auto list = urls(5);
  auto poller = this->make(list, fetcher, fast(2));

  poller->start();
  ASSERT_TRUE(fetcher.wait_for_polls(list, 5));
  Snapshot snapshot = poller->stop();

  auto records = fetcher.records();
  ASSERT_EQ(snapshot.size(), list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(snapshot[i].url, list[i]);
    EXPECT_GE(snapshot[i].polls, 5);
    EXPECT_EQ(snapshot[i].polls, records[list[i]].completed) << list[i];
    EXPECT_EQ(snapshot[i].status, "200 OK") << list[i];
    EXPECT_EQ(snapshot[i].err_count, 0) << list[i];
  }
}

// Tests that no resource is ever fetched by two pollers at once, with many
// pollers contending for few resources.
TYPED_TEST(ContractTest, NoResourceIsFetchedTwiceAtOnce) {
  SimulatedFetcher::Options slow;
  slow.latency = SimulatedFetcher::Latency::kSleep;
  slow.latency_time = 200us;
  RecordingFetcher fetcher(slow);
  const auto list = urls(3);
  auto poller = this->make(list, fetcher, fast(8));

  poller->start();
  ASSERT_TRUE(fetcher.wait_for_polls(list, 100));
  poller->stop();

  EXPECT_EQ(fetcher.overlaps(), 0);
}

// Tests that with one poller resources take strict turns: at every fetch,
// the poll counts of any two resources differ by at most one.
TYPED_TEST(ContractTest, OnePollerTakesResourcesInTurn) {
  RecordingFetcher fetcher;
  const auto list = urls(4);
  auto poller = this->make(list, fetcher, fast(1));

  poller->start();
  ASSERT_TRUE(fetcher.wait_for_polls(list, 50));
  poller->stop();

  // Replay the fetches in time order and track the spread of the counts.
  std::vector<std::pair<Clock::time_point, std::string>> order;
  for (const auto& [url, record] : fetcher.records()) {
    for (auto t : record.starts) order.emplace_back(t, url);
  }
  std::sort(order.begin(), order.end());
  std::map<std::string, int> counts;
  for (const auto& url : list) counts[url] = 0;
  int worst = 0;
  for (const auto& [t, url] : order) {
    ++counts[url];
    auto [lo, hi] = std::minmax_element(
        counts.begin(), counts.end(),
        [](const auto& a, const auto& b) { return a.second < b.second; });
    worst = std::max(worst, hi->second - lo->second);
  }
  EXPECT_LE(worst, 1) << "poll counts drifted apart by " << worst;
}

// Tests that with several pollers no resource starves: over a long run
// every resource gets close to its share of the polls. (The counts can
// drift at a given moment when the OS pauses a poller mid-fetch, so the
// check is on the totals, with a generous tolerance of half a share.)
TYPED_TEST(ContractTest, NoResourceStarvesWithManyPollers) {
  SimulatedFetcher::Options slow;
  slow.latency = SimulatedFetcher::Latency::kSleep;
  slow.latency_time = 100us;
  RecordingFetcher fetcher(slow);
  const auto list = urls(6);
  auto poller = this->make(list, fetcher, fast(3));

  poller->start();
  ASSERT_TRUE(fetcher.wait_until([](const auto& records) {
    std::int64_t total = 0;
    for (const auto& [url, r] : records) total += r.completed;
    return total >= 1200;
  }));
  Snapshot snapshot = poller->stop();

  std::int64_t total = 0;
  for (const auto& row : snapshot) total += row.polls;
  const double share = static_cast<double>(total) / list.size();
  for (const auto& row : snapshot) {
    EXPECT_GE(row.polls, share / 2)
        << row.url << " got " << row.polls << " of " << total << " polls";
  }
}

// Tests that a resource rests poll_interval between polls, plus
// err_timeout for each error in a row, and that these gaps only grow under
// load (only lower bounds are checked: a slow machine makes gaps longer).
TYPED_TEST(ContractTest, ResourcesRestBetweenPolls) {
  SimulatedFetcher::Options options;
  options.script["http://ok.test/"] = {Step{}};
  options.script["http://down.test/"] = {
      Step{Step::Kind::kError, "connection refused"}};
  RecordingFetcher fetcher(options);
  PollerConfig config = fast(2);
  config.poll_interval = 40ms;
  config.err_timeout = 30ms;
  config.max_backoff = 60ms;
  const std::vector<std::string> list = {"http://ok.test/",
                                         "http://down.test/"};
  auto poller = this->make(list, fetcher, config);

  poller->start();
  ASSERT_TRUE(fetcher.wait_for_polls(list, 5));
  poller->stop();

  auto records = fetcher.records();
  const auto& ok = records["http://ok.test/"].starts;
  for (std::size_t i = 1; i < ok.size(); ++i) {
    EXPECT_GE(ok[i] - ok[i - 1], config.poll_interval) << "gap " << i;
  }
  const auto& down = records["http://down.test/"].starts;
  for (std::size_t i = 1; i < down.size(); ++i) {
    // Before the i-th poll the resource had i errors in a row.
    Duration rest = rest_time(config, static_cast<int>(i));
    EXPECT_GE(down[i] - down[i - 1], rest) << "gap " << i;
  }
}

// Tests the error rule: errors and throws count up err_count, any response
// resets it, and the reported status is the response or the error text.
TYPED_TEST(ContractTest, ErrorsCountAndResponsesReset) {
  SimulatedFetcher::Options options;
  const std::vector<Step> script = {
      Step{Step::Kind::kError, "timed out"},
      Step{Step::Kind::kThrow, "boom"},
      Step{Step::Kind::kResponse, "500 Internal Server Error"},
  };
  options.default_script = script;
  RecordingFetcher fetcher(options);
  const std::vector<std::string> list = {"http://flaky.test/"};
  auto poller = this->make(list, fetcher, fast(2));

  poller->start();
  ASSERT_TRUE(fetcher.wait_for_polls(list, 10));
  Snapshot snapshot = poller->stop();

  // After p polls the script has run p steps: step (p-1) % 3 came last.
  ASSERT_EQ(snapshot.size(), 1u);
  const ResourceStatus& row = snapshot[0];
  const int last = static_cast<int>((row.polls - 1) % 3);
  const int expected_errors[] = {1, 2, 0};
  const char* expected_status[] = {"timed out", "fetch failed: boom",
                                   "500 Internal Server Error"};
  EXPECT_EQ(row.err_count, expected_errors[last]) << "after " << row.polls;
  EXPECT_EQ(row.status, expected_status[last]) << "after " << row.polls;
}

// Tests that a fetcher that always throws neither stops the poller nor
// the other resources.
TYPED_TEST(ContractTest, ThrowingFetcherIsSurvived) {
  SimulatedFetcher::Options options;
  options.script["http://bad.test/"] = {Step{Step::Kind::kThrow, "bad"}};
  RecordingFetcher fetcher(options);
  const std::vector<std::string> list = {"http://bad.test/",
                                         "http://good.test/"};
  auto poller = this->make(list, fetcher, fast(1));

  poller->start();
  ASSERT_TRUE(fetcher.wait_for_polls(list, 5));
  Snapshot snapshot = poller->stop();

  ASSERT_EQ(snapshot.size(), 2u);
  EXPECT_EQ(snapshot[0].status, "fetch failed: bad");
  EXPECT_EQ(snapshot[0].err_count, snapshot[0].polls);
  EXPECT_EQ(snapshot[1].status, "200 OK");
  EXPECT_EQ(snapshot[1].err_count, 0);
}

// Tests that poll results reach the status printer, which prints the table
// every status interval to the stream it was given.
TYPED_TEST(ContractTest, StatusTableIsPrintedEveryInterval) {
  SimulatedFetcher::Options options;
  options.script["http://a.test/"] = {Step{Step::Kind::kResponse, "200 OK"}};
  options.script["http://b.test/"] = {
      Step{Step::Kind::kResponse, "404 Not Found"}};
  RecordingFetcher fetcher(options);
  PollerConfig config = fast(2);
  config.poll_interval = 10ms;
  config.status_interval = 20ms;
  auto poller =
      this->make({"http://a.test/", "http://b.test/"}, fetcher, config);

  poller->start();
  ASSERT_TRUE(this->out_.wait_for_text("404 Not Found"));
  ASSERT_TRUE(this->out_.wait_for_text("status at", 3));
  poller->stop();

  std::string text = this->out_.text();
  EXPECT_NE(text.find("http://a.test/"), std::string::npos) << text;
  EXPECT_NE(text.find("200 OK"), std::string::npos) << text;
  EXPECT_NE(text.find("URL"), std::string::npos) << text;
}

// Tests that stop cancels fetches in progress instead of waiting for them,
// returns every resource exactly once, and returns the same snapshot when
// called again.
TYPED_TEST(ContractTest, StopIsPromptIdempotentAndLosesNothing) {
  SimulatedFetcher::Options hang;
  hang.latency = SimulatedFetcher::Latency::kSleep;
  hang.latency_time = 1h;
  RecordingFetcher fetcher(hang);
  const auto list = urls(5);
  auto poller = this->make(list, fetcher, fast(3));

  poller->start();
  ASSERT_TRUE(fetcher.wait_until([](const auto& records) {
    return records.size() == 3;  // every poller is stuck in a fetch
  }));
  auto before = Clock::now();
  Snapshot first = poller->stop();
  auto took = Clock::now() - before;

  // Generous bound: a stop that waited for the fetches would take an hour.
  EXPECT_LT(took, 30s);
  EXPECT_EQ(url_set(first),
            std::multiset<std::string>(list.begin(), list.end()));
  EXPECT_EQ(poller->stop(), first);
}

// Tests that stopping a poller that was never started returns every
// resource, unpolled, and that starting twice is refused.
TYPED_TEST(ContractTest, StartAndStopMisuse) {
  RecordingFetcher fetcher;
  const auto list = urls(2);
  auto unstarted = this->make(list, fetcher, fast(1));
  Snapshot snapshot = unstarted->stop();
  ASSERT_EQ(snapshot.size(), 2u);
  EXPECT_EQ(snapshot[0].status, StatusTable::kNotPolled);
  EXPECT_EQ(snapshot[0].polls, 0);
  EXPECT_THROW(unstarted->start(), std::logic_error);

  auto poller = this->make(list, fetcher, fast(1));
  poller->start();
  EXPECT_THROW(poller->start(), std::logic_error);
  poller->stop();
}

// Tests that duplicate URLs and bad settings are refused with a message
// that names the problem.
TYPED_TEST(ContractTest, BadInputIsRejected) {
  RecordingFetcher fetcher;
  try {
    this->make({"http://a.test/", "http://b.test/", "http://a.test/"}, fetcher,
               fast(1));
    FAIL() << "duplicate URL accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate URL: http://a.test/"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(this->make(urls(1), fetcher, fast(0)), std::invalid_argument);
}

// Tests that idle pollers block instead of spinning: while every resource
// rests, the pollers take (almost) no locks. The quiet window is a stretch
// of time to observe, not a wait for an event.
TYPED_TEST(ContractTest, IdlePollersBlock) {
  RecordingFetcher fetcher;
  PollerConfig config = fast(4);
  config.poll_interval = 1h;
  const auto list = urls(2);
  auto poller = this->make(list, fetcher, config);

  poller->start();
  ASSERT_TRUE(fetcher.wait_for_polls(list, 1));
  ContentionCounters before = poller->counters();
  std::this_thread::sleep_for(200ms);
  ContentionCounters after = poller->counters();
  poller->stop();

  // A spinning poller takes a lock per scan: many thousands in 200 ms.
  EXPECT_LT(after.acquisitions - before.acquisitions, 50)
      << "locks taken while idle";
}

// Tests the shapes the contract names: no URLs, one URL, more pollers than
// URLs and more URLs than pollers, each polling everything and losing
// nothing.
TYPED_TEST(ContractTest, AnyRatioOfUrlsToPollers) {
  const std::pair<int, int> shapes[] = {
      {0, 2}, {1, 1}, {1, 4}, {3, 8}, {40, 3}};
  for (auto [n, pollers] : shapes) {
    SCOPED_TRACE(std::to_string(n) + " URLs, " + std::to_string(pollers) +
                 " pollers");
    RecordingFetcher fetcher;
    const auto list = urls(n);
    auto poller = this->make(list, fetcher, fast(pollers));

    poller->start();
    ASSERT_TRUE(fetcher.wait_for_polls(list, 3));
    Snapshot snapshot = poller->stop();

    ASSERT_EQ(url_set(snapshot),
              std::multiset<std::string>(list.begin(), list.end()));
    for (const auto& row : snapshot) EXPECT_GE(row.polls, 3) << row.url;
  }
}

}  // namespace
}  // namespace sharemem
