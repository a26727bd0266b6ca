// Fetcher: what a poller calls to find out how a resource is doing.
//
// fetch(url, stop) returns one FetchResult:
//   - kResponse: the server answered; text is the status line ("200 OK").
//   - kError: no answer (refused, timed out, name not resolved); text says
//     why.
//   - kCancelled: stop was requested while the fetch was in progress.
// A fetch may also throw; the poller counts that as an error.
//
// Thread safety: fetch may be called from many threads at once, for the same
// URL or different ones. A fetch blocked on the network or on a delay must
// return soon after `stop` is requested, so that shutting down never waits
// out a hung server.
#pragma once

#include <stop_token>
#include <string>

namespace sharemem {

struct FetchResult {
  enum class Kind { kResponse, kError, kCancelled };

  Kind kind = Kind::kError;
  std::string text;

  static FetchResult response(std::string status_line) {
    return {Kind::kResponse, std::move(status_line)};
  }
  static FetchResult error(std::string reason) {
    return {Kind::kError, std::move(reason)};
  }
  static FetchResult cancelled() { return {Kind::kCancelled, "cancelled"}; }
};

class Fetcher {
 public:
  virtual ~Fetcher() = default;

  // fetch asks for the state of url. It blocks for as long as the fetch takes
  // and returns early with kCancelled once stop is requested.
  virtual FetchResult fetch(const std::string& url, std::stop_token stop) = 0;
};

}  // namespace sharemem
