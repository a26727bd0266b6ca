// HttpFetcher: the Fetcher that asks a real server, with an HTTP HEAD request
// made by libcurl.
//
// A fetch sends HEAD, follows up to five redirects, reads no body and returns
// the status line of the last response ("200 OK", "404 Not Found"), or, when
// no response came, the transport error ("Couldn't connect to server: ...",
// "Timeout was reached: ..."). Only http:// and https:// URLs are fetched,
// redirects included. Every fetch has a connect timeout and a total timeout,
// so that a hung server costs a poller at most that long.
//
// A fetch runs its transfer on a libcurl multi handle and waits in
// curl_multi_poll; a stop request wakes that wait at once (curl_multi_wakeup
// from a std::stop_callback), so a cancelled fetch returns within
// milliseconds. A progress callback could cancel too, but libcurl calls it
// as seldom as once a second while a server is silent.
//
// Thread safety: fetch may be called from any number of threads at once.
// Each call makes its own handles and shares nothing with other calls; the
// options are fixed at construction. libcurl's global state is set up once,
// on the first construction, in a thread-safe way.
//
// Note: libcurl's global state is never cleaned up, because other fetchers
// may still be in use while the process exits; the operating system
// reclaims it.
#pragma once

#include <string>

#include "common/config.h"
#include "common/fetcher.h"

namespace sharemem {

class HttpFetcher : public Fetcher {
 public:
  struct Options {
    // connect_timeout bounds the time to set up the connection.
    Duration connect_timeout = std::chrono::seconds(10);

    // timeout bounds the whole fetch, redirects included.
    Duration timeout = std::chrono::seconds(10);

    // user_agent is sent with every request.
    std::string user_agent = "sharemem-urlpoll/0.1";
  };

  // kMaxRedirects is how many redirects a fetch follows before it fails.
  static constexpr int kMaxRedirects = 5;

  // HttpFetcher makes a fetcher with the given timeouts. It throws
  // std::invalid_argument when a timeout is below one millisecond and
  // std::runtime_error when libcurl cannot be initialised.
  HttpFetcher() : HttpFetcher(Options{}) {}
  explicit HttpFetcher(Options options);

  // fetch sends a HEAD request to url and blocks until the last response
  // arrives, the transfer fails or times out, or stop is requested. It
  // returns kResponse with the status line, kError with the reason (also for
  // a URL that is not http:// or https://), or kCancelled. Failures are
  // returned, not thrown.
  FetchResult fetch(const std::string& url, std::stop_token stop) override;

 private:
  Options options_;
};

}  // namespace sharemem
