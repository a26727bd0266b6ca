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

  // Serve the pollers until done is closed.
  for (bool running = true; running;) {
    Select select;
    select.receive(complete, [&](std::optional<ResourcePtr> r) {
      if (!r) return;  // closed early by the owner: shutting down anyway
      Duration rest = rest_time(config, (*r)->err_count);
      resting.emplace(Clock::now() + rest, std::move(*r));
    });
    select.receive(done, [&](auto) { running = false; });

    // Offer the longest-due resource, or sleep until one is due.
    std::optional<Clock::time_point> wake;
    if (!resting.empty()) {
      auto first = resting.begin();
      if (first->first <= Clock::now()) {
        select.send(pending, first->second,
                    [&, first] { resting.erase(first); });
      } else {
        wake = first->first;
      }
    }
    select.wait_until(wake);
  }

  // Shut down: no more polls; take back what the pollers still hold.
  pending.close();
  for (ResourcePtr& r : complete) resting.emplace(Clock::now(), std::move(r));

  std::vector<ResourcePtr> all;
  all.reserve(resting.size());
  for (auto& [due, r] : resting) all.push_back(std::move(r));
  return all;
}

}  // namespace sharemem
