// state_monitor: the channel version's status table, owned by one thread.
//
// Pollers send a State after every poll. The monitor is the only thread that
// touches the table, so the table needs no lock: it selects between the
// next State and the ticker, updating the table on one and printing it on
// the other, until the updates channel is closed.
//
// Thread safety: any number of threads may send on the updates channel.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "channel_version/channel.h"
#include "common/config.h"
#include "common/status_table.h"

namespace sharemem {

// State is the result of one poll, on its way to the monitor.
struct State {
  std::string url;
  std::string status;
  int err_count = 0;
};

// state_monitor records every State received on updates in a table of
// urls, prints the table to out every interval, and returns the table once
// updates is closed and drained.
StatusTable state_monitor(const std::vector<std::string>& urls,
                          Channel<State>& updates, Duration interval,
                          std::ostream& out);

}  // namespace sharemem
