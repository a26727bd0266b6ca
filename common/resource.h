// Resource: one URL to poll, and what polling it has taught us so far.
//
// poll() is the one step both versions share: fetch the URL and apply the
// error rule. Any HTTP response, even "500 Internal Server Error", means the
// server is up, so it resets err_count; no response, or a fetcher that
// throws, adds one to it.
//
// Thread safety: none. A Resource has exactly one owner at a time: in the
// mutex version, the poller that marked it busy under the lock; in the channel
// version, whoever last received it from a channel.
#pragma once

#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "common/fetcher.h"

namespace sharemem {

struct Resource {
  explicit Resource(std::string url) : url(std::move(url)) {}

  // poll fetches the resource once and returns the status to report: the
  // status line, or the error text. It updates err_count. A fetch cancelled by
  // stop changes nothing and returns std::nullopt. poll never throws.
  std::optional<std::string> poll(Fetcher& fetcher, std::stop_token stop);

  std::string url;
  int err_count = 0;  // errors in a row since the last response
};

using ResourcePtr = std::unique_ptr<Resource>;

}  // namespace sharemem
