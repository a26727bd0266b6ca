// sleep_until: a sleep that a stop request cuts short.
//
// Thread safety: any thread may call it; it shares nothing.
#pragma once

#include <stop_token>

#include "common/config.h"

namespace sharemem {

// sleep_until blocks until the time t or until stop is requested, whichever
// comes first, and returns true if it slept until t.
bool sleep_until(Clock::time_point t, std::stop_token stop);

}  // namespace sharemem
