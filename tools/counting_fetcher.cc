#include "tools/counting_fetcher.h"

namespace sharemem::urlpoll {

FetchResult CountingFetcher::fetch(const std::string& url,
                                   std::stop_token stop) {
  FetchResult result;
  try {
    result = inner_.fetch(url, stop);
  } catch (...) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    throw;
  }
  switch (result.kind) {
    case FetchResult::Kind::kResponse:
      responses_.fetch_add(1, std::memory_order_relaxed);
      break;
    case FetchResult::Kind::kError:
      errors_.fetch_add(1, std::memory_order_relaxed);
      break;
    case FetchResult::Kind::kCancelled:
      cancelled_.fetch_add(1, std::memory_order_relaxed);
      break;
  }
  return result;
}

CountingFetcher::Counts CountingFetcher::counts() const {
  return {responses_.load(std::memory_order_relaxed),
          errors_.load(std::memory_order_relaxed),
          cancelled_.load(std::memory_order_relaxed)};
}

}  // namespace sharemem::urlpoll
