// RecordingFetcher: a SimulatedFetcher that also watches how it is used, for
// the contract tests.
//
// It records, per URL, when each fetch started, how many completed (a throw
// counts: the poller counts it as an error poll), and what the last one
// returned; and it fails the test at once if a URL is fetched while a fetch
// of the same URL is still in progress. wait_until lets a test block until
// the recording satisfies a condition, without sleeping.
//
// Thread safety: fetch may be called from any number of threads; the
// accessors take the same lock.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "common/simulated_fetcher.h"

namespace sharemem::testing {

class RecordingFetcher : public Fetcher {
 public:
  struct Record {
    std::vector<Clock::time_point> starts;
    std::int64_t completed = 0;
    std::string last;  // the status the poller should report
  };

  explicit RecordingFetcher(SimulatedFetcher::Options options = {})
      : inner_(std::move(options)) {}

  FetchResult fetch(const std::string& url, std::stop_token stop) override {
    // Start: nobody else may be fetching this URL.
    {
      std::lock_guard lock(mu_);
      if (!in_flight_.insert(url).second) {
        ++overlaps_;
        ADD_FAILURE() << url << " fetched by two pollers at once";
      }
      records_[url].starts.push_back(Clock::now());
      ++starts_;
    }
    changed_.notify_all();

    // Fetch, noting what the poller will report.
    FetchResult result;
    std::string reported;
    try {
      result = inner_.fetch(url, stop);
      reported = result.text;
    } catch (const std::exception& e) {
      finish(url, true, std::string("fetch failed: ") + e.what());
      throw;
    }
    finish(url, result.kind != FetchResult::Kind::kCancelled, reported);
    return result;
  }

  // wait_until blocks until done(records) holds, or timeout passes; it
  // returns whether done held.
  bool wait_until(
      const std::function<bool(const std::map<std::string, Record>&)>& done,
      std::chrono::seconds timeout = std::chrono::seconds(60)) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return done(records_); });
  }

  // wait_for_polls waits until every url in urls has completed at least n
  // fetches.
  bool wait_for_polls(const std::vector<std::string>& urls, std::int64_t n) {
    return wait_until([&](const auto& records) {
      for (const auto& url : urls) {
        auto it = records.find(url);
        if (it == records.end() || it->second.completed < n) return false;
      }
      return true;
    });
  }

  std::map<std::string, Record> records() const {
    std::lock_guard lock(mu_);
    return records_;
  }
  std::int64_t overlaps() const {
    std::lock_guard lock(mu_);
    return overlaps_;
  }
  std::int64_t starts() const {
    std::lock_guard lock(mu_);
    return starts_;
  }

 private:
  void finish(const std::string& url, bool completed, std::string reported) {
    {
      std::lock_guard lock(mu_);
      in_flight_.erase(url);
      if (completed) {
        ++records_[url].completed;
        records_[url].last = std::move(reported);
      }
    }
    changed_.notify_all();
  }

  SimulatedFetcher inner_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::set<std::string> in_flight_;
  std::map<std::string, Record> records_;
  std::int64_t overlaps_ = 0;
  std::int64_t starts_ = 0;
};

}  // namespace sharemem::testing
