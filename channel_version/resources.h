// resting_stage: where the channel version's resources wait between polls.
//
// There is no list of resources here. Each resource is always in exactly
// one place: inside a message on a channel, with a poller, or resting in
// this stage. The stage holds the resting ones, ordered by when they are
// due, and runs a loop that selects between
//   - receiving a polled resource on `complete`, to rest for
//     rest_time(config, its err_count);
//   - sending the resource that has been due longest on `pending`, to a
//     poller, in the order resources became due;
//   - `done` closing, which starts the shutdown;
// sleeping until the next due time when nothing else can happen.
//
// Why the cycle pending -> poller -> complete -> rest -> pending cannot
// deadlock, whatever the ratio of resources to pollers: the stage never
// blocks on pending alone. Every time it offers a resource to the pollers it
// also offers to take one back, so a poller blocked sending on complete is
// always served, and the pollers in turn block only on the stage. (Go's
// program avoids the same trap with a goroutine per resting resource.)
//
// Shutdown: once `done` is closed, the stage closes pending, so pollers
// finish the resource in hand and return, and keeps receiving on complete
// until the owner closes it after the pollers have joined. It then returns
// every resource, none lost.
//
// Thread safety: one thread runs the stage; the channels are shared.
#pragma once

#include <variant>
#include <vector>

#include "channel_version/channel.h"
#include "common/config.h"
#include "common/resource.h"

namespace sharemem {

// resting_stage starts with resources all due, runs until done is closed,
// and returns every resource once complete is closed and drained.
std::vector<ResourcePtr> resting_stage(std::vector<ResourcePtr> resources,
                                       Channel<ResourcePtr>& pending,
                                       Channel<ResourcePtr>& complete,
                                       Channel<std::monostate>& done,
                                       const PollerConfig& config);

}  // namespace sharemem
