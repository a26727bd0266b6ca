#include "common/config.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace sharemem {

void validate(const PollerConfig& config) {
  auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("PollerConfig: ") + what);
  };
  require(config.pollers >= 1, "pollers must be at least 1");
  require(config.poll_interval >= Duration::zero(),
          "poll_interval must not be negative");
  require(config.err_timeout >= Duration::zero(),
          "err_timeout must not be negative");
  require(config.max_backoff >= Duration::zero(),
          "max_backoff must not be negative");
  require(config.status_interval > Duration::zero(),
          "status_interval must be positive");
}

Duration rest_time(const PollerConfig& config, int err_count) {
  // Multiply in steps so that a long run of errors cannot overflow.
  Duration backoff = Duration::zero();
  for (int i = 0; i < err_count && backoff < config.max_backoff; ++i) {
    backoff += config.err_timeout;
  }
  return config.poll_interval + std::min(backoff, config.max_backoff);
}

}  // namespace sharemem
