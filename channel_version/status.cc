#include "channel_version/status.h"

#include "channel_version/select.h"
#include "channel_version/timer.h"

namespace sharemem {

StatusTable state_monitor(const std::vector<std::string>& urls,
                          Channel<State>& updates, Duration interval,
                          std::ostream& out) {
  StatusTable table(urls);
  Ticker ticker(interval);

  // One select, built once, waited on for every event.
  bool open = true;
  Select select;
  select.receive(ticker.channel(), [&](auto) { table.print(out); })
      .receive(updates, [&](std::optional<State> s) {
        if (!s) {
          open = false;
          return;
        }
        table.update(s->url, std::move(s->status), s->err_count);
      });
  while (open) select.wait();
  return table;
}

}  // namespace sharemem
