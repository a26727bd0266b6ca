#include "channel_version/url_poller.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#include "channel_version/poller.h"
#include "channel_version/resources.h"

namespace sharemem {
namespace {

// room returns the buffer size of the channels between the stages: one
// value for each poller, and at least one, so that the constructor gets as
// far as validating a bad poller count.
std::size_t room(const PollerConfig& config) {
  return static_cast<std::size_t>(std::max(config.pollers, 1));
}

}  // namespace

ChannelUrlPoller::ChannelUrlPoller(std::vector<std::string> urls,
                                   Fetcher& fetcher, PollerConfig config,
                                   std::ostream& status_out)
    : urls_(std::move(urls)),
      fetcher_(fetcher),
      config_(config),
      status_out_(status_out),
      pending_(room(config)),
      complete_(room(config)),
      status_(room(config)) {
  check_urls(urls_);
  validate(config_);
}

void ChannelUrlPoller::start() {
  if (started_ || final_) {
    throw std::logic_error("ChannelUrlPoller::start: already started");
  }
  started_ = true;

  // The state monitor and the resting stage, which holds every resource.
  monitor_ = std::jthread([this] {
    table_ =
        state_monitor(urls_, status_, config_.status_interval, status_out_);
  });
  std::vector<ResourcePtr> resources;
  for (const auto& url : urls_) {
    resources.push_back(std::make_unique<Resource>(url));
  }
  resting_ = std::jthread([this, rs = std::move(resources)]() mutable {
    rested_ = resting_stage(std::move(rs), pending_, complete_, done_, config_);
  });

  // The pollers.
  std::stop_token stop = stop_.get_token();
  for (int i = 0; i < config_.pollers; ++i) {
    pollers_.emplace_back(
        [this, stop] { poller(pending_, complete_, status_, fetcher_, stop); });
  }
}

Snapshot ChannelUrlPoller::stop() {
  if (final_) return *final_;

  if (started_) {
    // Stage by stage: stop the pollers, then the resting stage, then the
    // monitor, each after everything that sends to it has finished.
    stop_.request_stop();
    done_.close();
    for (auto& p : pollers_) p.join();
    complete_.close();
    resting_.join();
    status_.close();
    monitor_.join();
  }

  // Every resource came back from the resting stage, in due order: put
  // each beside its row. A row whose resource did not come back is left
  // out, so a lost resource shows as a missing row.
  if (!started_) {
    table_.emplace(urls_);
    for (const auto& url : urls_) {
      rested_.push_back(std::make_unique<Resource>(url));
    }
  }
  std::unordered_map<std::string, const Resource*> returned;
  for (const ResourcePtr& r : rested_) returned.emplace(r->url, r.get());
  Snapshot rows;
  for (ResourceStatus row : table_->rows()) {
    auto it = returned.find(row.url);
    if (it == returned.end()) continue;
    row.err_count = it->second->err_count;
    rows.push_back(std::move(row));
  }
  final_ = std::move(rows);
  return *final_;
}

ContentionCounters ChannelUrlPoller::counters() const {
  ContentionCounters total = pending_.counters();
  total += complete_.counters();
  total += status_.counters();
  total += done_.counters();
  return total;
}

}  // namespace sharemem
