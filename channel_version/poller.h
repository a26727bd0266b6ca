// poller: one poller thread of the channel version.
//
// A poller receives a resource on `in`, polls it, sends its status to the
// state monitor on `status`, and sends the resource on `out`. It shares
// nothing: while it holds a resource, no other thread can reach it, because
// the only pointer to it travelled here inside the message.
//
// Thread safety: run any number of pollers on the same channels.
#pragma once

#include <stop_token>

#include "channel_version/channel.h"
#include "channel_version/status.h"
#include "common/fetcher.h"
#include "common/resource.h"

namespace sharemem {

// poller polls every resource it receives on in until in is closed and
// drained; a fetch in progress is cancelled by stop.
void poller(Channel<ResourcePtr>& in, Channel<ResourcePtr>& out,
            Channel<State>& status, Fetcher& fetcher, std::stop_token stop);

}  // namespace sharemem
