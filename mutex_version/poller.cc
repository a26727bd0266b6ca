#include "mutex_version/poller.h"

namespace sharemem {

void poller(Resources& resources, StatusMap& status, Fetcher& fetcher,
            const PollerConfig& config, std::stop_token stop) {
  while (Resource* r = resources.pick(stop)) {
    // Poll outside every lock: the fetch is the slow part.
    std::optional<std::string> result = r->poll(fetcher, stop);

    // Report the result, then let the resource rest.
    if (result) status.update(r->url, std::move(*result), r->err_count);
    resources.release(r, rest_time(config, r->err_count));
  }
}

}  // namespace sharemem
