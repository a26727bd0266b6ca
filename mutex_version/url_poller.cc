#include "mutex_version/url_poller.h"

#include <stdexcept>

#include "mutex_version/poller.h"

namespace sharemem {
namespace {

// checked validates urls and config before anything is built from them.
const std::vector<std::string>& checked(const std::vector<std::string>& urls,
                                        const PollerConfig& config) {
  check_urls(urls);
  validate(config);
  return urls;
}

}  // namespace

MutexUrlPoller::MutexUrlPoller(std::vector<std::string> urls, Fetcher& fetcher,
                               PollerConfig config, std::ostream& status_out)
    : fetcher_(fetcher),
      config_(config),
      status_out_(status_out),
      resources_(checked(urls, config), config.busy_wait),
      status_(urls) {}

void MutexUrlPoller::start() {
  if (started_ || final_) {
    throw std::logic_error("MutexUrlPoller::start: already started");
  }
  started_ = true;

  // The logger, then the pollers, all sharing one stop token.
  std::stop_token stop = stop_.get_token();
  threads_.emplace_back([this, stop] {
    logger(status_, config_.status_interval, status_out_, stop);
  });
  for (int i = 0; i < config_.pollers; ++i) {
    threads_.emplace_back(
        [this, stop] { poller(resources_, status_, fetcher_, config_, stop); });
  }
}

Snapshot MutexUrlPoller::stop() {
  if (final_) return *final_;

  // Stop every thread and wait for it.
  stop_.request_stop();
  for (auto& t : threads_) t.join();
  threads_.clear();

  // Every resource is still in the list, in URL order, beside its row.
  Snapshot rows = status_.rows();
  const std::vector<Resource>& resources = resources_.resources();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].err_count = resources[i].err_count;
  }
  final_ = std::move(rows);
  return *final_;
}

ContentionCounters MutexUrlPoller::counters() const {
  ContentionCounters total = resources_.counters();
  total += status_.counters();
  return total;
}

}  // namespace sharemem
