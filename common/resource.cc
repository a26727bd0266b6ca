#include "common/resource.h"

#include <exception>

namespace sharemem {

std::optional<std::string> Resource::poll(Fetcher& fetcher,
                                          std::stop_token stop) {
  // Fetch; a throwing fetcher is an error like any other.
  FetchResult result;
  try {
    result = fetcher.fetch(url, stop);
  } catch (const std::exception& e) {
    result = FetchResult::error(std::string("fetch failed: ") + e.what());
  } catch (...) {
    result = FetchResult::error("fetch failed: unknown exception");
  }

  // Apply the error rule.
  switch (result.kind) {
    case FetchResult::Kind::kCancelled:
      return std::nullopt;
    case FetchResult::Kind::kResponse:
      err_count = 0;
      break;
    case FetchResult::Kind::kError:
      ++err_count;
      break;
  }
  return std::move(result.text);
}

}  // namespace sharemem
