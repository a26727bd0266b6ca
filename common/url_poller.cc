#include "common/url_poller.h"

#include <stdexcept>
#include <unordered_set>

namespace sharemem {

void check_urls(const std::vector<std::string>& urls) {
  std::unordered_set<std::string> seen;
  for (const auto& url : urls) {
    if (!seen.insert(url).second) {
      throw std::invalid_argument("duplicate URL: " + url);
    }
  }
}

}  // namespace sharemem
