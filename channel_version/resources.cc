#include "channel_version/resources.h"

#include <map>

#include "channel_version/select.h"

namespace sharemem {

std::vector<ResourcePtr> resting_stage(std::vector<ResourcePtr> resources,
                                       Channel<ResourcePtr>& pending,
                                       Channel<ResourcePtr>& complete,
                                       Channel<std::monostate>& done,
                                       const PollerConfig& config) {
  // Resting resources by due time; equal times keep their arrival order.
  std::multimap<Clock::time_point, ResourcePtr> resting;
  const Clock::time_point start = Clock::now();
  for (ResourcePtr& r : resources) resting.emplace(start, std::move(r));

  // The stage waits on one of two selects, each built once: take back a
  // polled resource or hear done; or the same while offering `offer`, the
  // resource that has been due longest, to the pollers.
  bool running = true;
  ResourcePtr offer;  // moved into pending when the send case fires
  auto take = [&](std::optional<ResourcePtr> r) {
    if (!r) return;  // closed early by the owner: shutting down anyway
    Duration rest = rest_time(config, (*r)->err_count);
    resting.emplace(Clock::now() + rest, std::move(*r));
  };
  auto stop = [&](auto) { running = false; };
  Select idle;
  idle.receive(complete, take).receive(done, stop);
  Select offering;
  offering.receive(complete, take).receive(done, stop).send(pending, offer);

  // Serve the pollers until done is closed.
  while (running) {
    // Pick the resource to offer, or sleep until one is due.
    if (!offer && !resting.empty() && resting.begin()->first <= Clock::now()) {
      offer = std::move(resting.begin()->second);
      resting.erase(resting.begin());
    }
    if (offer) {
      offering.wait();
    } else if (resting.empty()) {
      idle.wait();
    } else {
      idle.wait_until(resting.begin()->first);
    }
  }

  // Shut down: no more polls; take back what the pollers still hold.
  pending.close();
  if (offer) resting.emplace(Clock::now(), std::move(offer));
  for (ResourcePtr& r : complete) resting.emplace(Clock::now(), std::move(r));

  std::vector<ResourcePtr> all;
  all.reserve(resting.size());
  for (auto& [due, r] : resting) all.push_back(std::move(r));
  return all;
}

}  // namespace sharemem
