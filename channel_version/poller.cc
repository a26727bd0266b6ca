#include "channel_version/poller.h"

namespace sharemem {

void poller(Channel<ResourcePtr>& in, Channel<ResourcePtr>& out,
            Channel<State>& status, Fetcher& fetcher, std::stop_token stop) {
  for (ResourcePtr& r : in) {
    // Poll: the resource is ours alone.
    std::optional<std::string> result = r->poll(fetcher, stop);

    // Report the result, then pass the resource on to rest.
    if (result) status.send(State{r->url, std::move(*result), r->err_count});
    out.send(std::move(r));
  }
}

}  // namespace sharemem
