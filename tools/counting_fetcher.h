// CountingFetcher: a Fetcher that hands each fetch to another one and
// counts how fetches ended: with a response, with an error (a throw counts
// as one), or cancelled. urlpoll reports the errors of each version from
// these counts, since a snapshot holds only the errors in a row.
//
// Thread safety: fetch may be called from any number of threads, as the
// inner fetcher allows; counts() from any thread. The counts are relaxed
// atomics: exact once the callers have been joined.
#pragma once

#include <atomic>
#include <cstdint>

#include "common/fetcher.h"

namespace sharemem::urlpoll {

class CountingFetcher : public Fetcher {
 public:
  struct Counts {
    std::int64_t responses = 0;
    std::int64_t errors = 0;
    std::int64_t cancelled = 0;
  };

  // CountingFetcher passes fetches on to inner, which must outlive it.
  explicit CountingFetcher(Fetcher& inner) : inner_(inner) {}

  // fetch returns what the inner fetch returns, or rethrows what it throws,
  // after counting it.
  FetchResult fetch(const std::string& url, std::stop_token stop) override;

  // counts returns the counts so far.
  Counts counts() const;

 private:
  Fetcher& inner_;
  std::atomic<std::int64_t> responses_{0};
  std::atomic<std::int64_t> errors_{0};
  std::atomic<std::int64_t> cancelled_{0};
};

}  // namespace sharemem::urlpoll
