// poller: one poller thread of the mutex version.
//
// Each poller loops: pick a resource under the Resources lock, poll it
// outside any lock, record its status under the status lock, and release
// it under the Resources lock to rest. Pollers share the resource list and
// the status table; every step that touches them takes a lock.
//
// Thread safety: run any number of pollers at once on the same Resources
// and StatusMap.
#pragma once

#include <stop_token>

#include "common/config.h"
#include "common/fetcher.h"
#include "mutex_version/resources.h"
#include "mutex_version/status.h"

namespace sharemem {

// poller polls resources until stop is requested; a fetch in progress is
// cancelled by the same stop.
void poller(Resources& resources, StatusMap& status, Fetcher& fetcher,
            const PollerConfig& config, std::stop_token stop);

}  // namespace sharemem
