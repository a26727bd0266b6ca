// Tests particular to the mutex version: the pick order, and the busy-wait
// variant that exists to be measured.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "mutex_version/resources.h"
#include "mutex_version/url_poller.h"
#include "tests/recording_fetcher.h"

namespace sharemem {
namespace {

using namespace std::chrono_literals;

// Tests that pick takes the least recently picked resource that is due.
TEST(ResourcesTest, PicksLeastRecentlyPolledDueResource) {
  Resources resources({"a", "b", "c"}, false);
  std::stop_source stop;

  Resource* a = resources.pick(stop.get_token());
  Resource* b = resources.pick(stop.get_token());
  ASSERT_EQ(a->url, "a");
  ASSERT_EQ(b->url, "b");
  resources.release(b, 0s);
  resources.release(a, 0s);

  // c was never picked; a was picked before b, so a comes next, whatever
  // the order of release.
  EXPECT_EQ(resources.pick(stop.get_token())->url, "c");
  EXPECT_EQ(resources.pick(stop.get_token())->url, "a");
  EXPECT_EQ(resources.pick(stop.get_token())->url, "b");
}

// Tests that a resting resource is not picked before it is due, and that
// pick returns nullptr once stop is requested.
TEST(ResourcesTest, RestingResourceWaitsAndStopReleasesPick) {
  Resources resources({"a"}, false);
  std::stop_source stop;
  Resource* a = resources.pick(stop.get_token());
  resources.release(a, 1h);

  std::jthread waiter(
      [&] { EXPECT_EQ(resources.pick(stop.get_token()), nullptr); });
  stop.request_stop();
  waiter.join();
}

// Tests that the busy-wait variant spins while every resource rests: the
// behaviour IdlePollersBlock rules out for the real versions.
TEST(BusyWaitTest, IdlePollersSpin) {
  testing::RecordingFetcher fetcher;
  PollerConfig config;
  config.pollers = 2;
  config.poll_interval = 1h;
  config.status_interval = 1h;
  config.busy_wait = true;
  std::ostringstream out;
  MutexUrlPoller poller({"http://a.test/"}, fetcher, config, out);

  poller.start();
  ASSERT_TRUE(fetcher.wait_for_polls({"http://a.test/"}, 1));
  ContentionCounters before = poller.counters();
  std::this_thread::sleep_for(100ms);  // a window to observe, not a wait
  ContentionCounters after = poller.counters();
  poller.stop();

  EXPECT_GT(after.acquisitions - before.acquisitions, 1000)
      << "locks taken while idle";
}

}  // namespace
}  // namespace sharemem
