// Tests of HttpFetcher against real servers on 127.0.0.1: an HTTP server
// with an endpoint for each case (answers, redirects, slow and hanging
// requests), a port where nothing listens, and a raw socket server that
// resets each connection. Each test checks the kind and text of the result,
// and that Resource::poll applies the error rule to it.
#include "common/http_fetcher.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "common/resource.h"
#include "tools/local_server.h"

namespace sharemem {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using urlpoll::LocalServer;

// ResetServer accepts connections on 127.0.0.1, reads each request and then
// resets the connection (SO_LINGER with a zero timeout makes close send
// RST), from a thread of its own, until it is destroyed.
class ResetServer {
 public:
  ResetServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (listener_ < 0 ||
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address),
               sizeof(address)) != 0 ||
        ::listen(listener_, 8) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address),
                      &length) != 0) {
      throw std::runtime_error("ResetServer: cannot listen");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  ~ResetServer() {
    // Shutting the listener down wakes the blocked accept.
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/";
  }

 private:
  void serve() {
    for (;;) {
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;

      // Read up to the end of the request head, so the client is waiting
      // for an answer when the reset comes.
      std::string request;
      char buffer[1024];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
        if (n <= 0) break;
        request.append(buffer, static_cast<std::size_t>(n));
      }

      // Close with a reset instead of an orderly shutdown.
      linger reset{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
      ::close(fd);
    }
  }

  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

class HttpFetcherTest : public testing::Test {
 protected:
  void SetUp() override {
    httplib::Server& s = server_.server();
    using httplib::Request;
    using httplib::Response;
    s.Get("/ok", [](const Request&, Response& res) { res.status = 200; });
    s.Get("/missing", [](const Request&, Response& res) { res.status = 404; });
    s.Get("/broken", [](const Request&, Response& res) { res.status = 500; });
    s.Get("/hop1",
          [](const Request&, Response& res) { res.set_redirect("/hop2"); });
    s.Get("/hop2",
          [](const Request&, Response& res) { res.set_redirect("/hop3"); });
    s.Get("/hop3",
          [](const Request&, Response& res) { res.set_redirect("/ok"); });
    s.Get("/loop", [this](const Request&, Response& res) {
      {
        std::lock_guard lock(mu_);
        ++loop_requests_;
      }
      res.set_redirect("/loop");
    });
    s.Get("/slow", [this](const Request&, Response& res) {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, milliseconds(200), [this] { return released_; });
      res.status = 200;
    });
    s.Get("/hang", [this](const Request&, Response& res) {
      std::unique_lock lock(mu_);
      ++hang_arrivals_;
      cv_.notify_all();
      cv_.wait(lock, [this] { return released_; });
      res.status = 200;
    });
    s.Get("/whoami", [this](const Request& req, Response& res) {
      std::lock_guard lock(mu_);
      seen_method_ = req.method;
      seen_agent_ = req.get_header_value("User-Agent");
      res.status = 200;
    });
    server_.start();
  }

  void TearDown() override {
    // Release the hanging requests, or stopping the server waits for them.
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
    server_.stop();
  }

  // wait_for_hang_arrivals blocks until /hang has received n requests.
  void wait_for_hang_arrivals(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return hang_arrivals_ >= n; });
  }

  // fetcher_with_timeout returns a fetcher whose fetches time out after t.
  static HttpFetcher fetcher_with_timeout(Duration t) {
    HttpFetcher::Options options;
    options.connect_timeout = t;
    options.timeout = t;
    return HttpFetcher(options);
  }

  // expect_poll_rule polls url once through a Resource that has two errors
  // in a row, and checks that a response resets the count and anything
  // else adds one.
  static void expect_poll_rule(HttpFetcher& fetcher, const std::string& url,
                               bool response) {
    Resource resource(url);
    resource.err_count = 2;
    std::optional<std::string> status = resource.poll(fetcher, {});
    ASSERT_TRUE(status.has_value()) << url;
    EXPECT_EQ(resource.err_count, response ? 0 : 3) << url << ": " << *status;
  }

  HttpFetcher fetcher_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;    // guarded by mu_
  int hang_arrivals_ = 0;    // guarded by mu_
  int loop_requests_ = 0;    // guarded by mu_
  std::string seen_method_;  // guarded by mu_
  std::string seen_agent_;   // guarded by mu_
  LocalServer server_;       // last, so it stops before what handlers use goes
};

// Tests that a 200 answer is a response with the status line "200 OK".
TEST_F(HttpFetcherTest, OkIsAResponse) {
  FetchResult result = fetcher_.fetch(server_.url("/ok"), {});
  EXPECT_EQ(result.kind, FetchResult::Kind::kResponse);
  EXPECT_EQ(result.text, "200 OK");
  expect_poll_rule(fetcher_, server_.url("/ok"), true);
}

// Tests that 404 and 500 answers are responses too, which reset the error
// count: the server is up, whatever it says.
TEST_F(HttpFetcherTest, ErrorStatusesAreResponses) {
  FetchResult missing = fetcher_.fetch(server_.url("/missing"), {});
  EXPECT_EQ(missing.kind, FetchResult::Kind::kResponse);
  EXPECT_EQ(missing.text, "404 Not Found");

  FetchResult broken = fetcher_.fetch(server_.url("/broken"), {});
  EXPECT_EQ(broken.kind, FetchResult::Kind::kResponse);
  EXPECT_EQ(broken.text, "500 Internal Server Error");

  expect_poll_rule(fetcher_, server_.url("/missing"), true);
  expect_poll_rule(fetcher_, server_.url("/broken"), true);
}

// Tests that a fetch is a HEAD request that names the program.
TEST_F(HttpFetcherTest, SendsHeadWithUserAgent) {
  FetchResult result = fetcher_.fetch(server_.url("/whoami"), {});
  ASSERT_EQ(result.text, "200 OK");

  std::lock_guard lock(mu_);
  EXPECT_EQ(seen_method_, "HEAD");
  EXPECT_EQ(seen_agent_, "sharemem-urlpoll/0.1");
}

// Tests that redirects are followed and the last response's status line is
// the result.
TEST_F(HttpFetcherTest, FollowsRedirectChain) {
  FetchResult result = fetcher_.fetch(server_.url("/hop1"), {});
  EXPECT_EQ(result.kind, FetchResult::Kind::kResponse);
  EXPECT_EQ(result.text, "200 OK");
  expect_poll_rule(fetcher_, server_.url("/hop1"), true);
}

// Tests that a redirect loop fails after five redirects, having asked six
// times in all.
TEST_F(HttpFetcherTest, RedirectLoopIsAnError) {
  FetchResult result = fetcher_.fetch(server_.url("/loop"), {});
  EXPECT_EQ(result.kind, FetchResult::Kind::kError);
  EXPECT_NE(result.text.find("redirects"), std::string::npos) << result.text;
  {
    std::lock_guard lock(mu_);
    EXPECT_EQ(loop_requests_, HttpFetcher::kMaxRedirects + 1);
  }
  expect_poll_rule(fetcher_, server_.url("/loop"), false);
}

// Tests that an answer that comes within the timeout is waited for.
TEST_F(HttpFetcherTest, SlowAnswerWithinTimeout) {
  HttpFetcher fetcher = fetcher_with_timeout(seconds(5));
  FetchResult result = fetcher.fetch(server_.url("/slow"), {});
  EXPECT_EQ(result.kind, FetchResult::Kind::kResponse);
  EXPECT_EQ(result.text, "200 OK");
  expect_poll_rule(fetcher, server_.url("/slow"), true);
}

// Tests that a server that does not answer costs the timeout and no more,
// and that the time-out is an error. Tolerance: the fetch may end up to
// 5 s late on a loaded machine, and never early by more than timer slack.
TEST_F(HttpFetcherTest, HangPastTimeoutIsAnError) {
  const Duration timeout = milliseconds(300);
  HttpFetcher fetcher = fetcher_with_timeout(timeout);

  auto start = Clock::now();
  FetchResult result = fetcher.fetch(server_.url("/hang"), {});
  Duration took = Clock::now() - start;

  EXPECT_EQ(result.kind, FetchResult::Kind::kError);
  EXPECT_NE(result.text.find("Timeout was reached"), std::string::npos)
      << result.text;
  EXPECT_GE(took, timeout - milliseconds(50));
  EXPECT_LT(took, timeout + seconds(5));
  expect_poll_rule(fetcher, server_.url("/hang"), false);
}

// Tests that a port where nothing listens gives the connect error.
TEST_F(HttpFetcherTest, RefusedConnectionIsAnError) {
  std::string url =
      "http://127.0.0.1:" + std::to_string(urlpoll::unused_port()) + "/";
  FetchResult result = fetcher_.fetch(url, {});
  EXPECT_EQ(result.kind, FetchResult::Kind::kError);
  EXPECT_NE(result.text.find("Couldn't connect to server"), std::string::npos)
      << result.text;
  expect_poll_rule(fetcher_, url, false);
}

// Tests that a connection reset before any answer is an error.
TEST_F(HttpFetcherTest, ResetConnectionIsAnError) {
  ResetServer reset;
  FetchResult result = fetcher_.fetch(reset.url(), {});
  EXPECT_EQ(result.kind, FetchResult::Kind::kError);
  EXPECT_FALSE(result.text.empty());
  EXPECT_EQ(result.text.find("Timeout"), std::string::npos) << result.text;
  expect_poll_rule(fetcher_, reset.url(), false);
}

// Tests that a scheme other than http and https is refused without a
// request, with a message that says so.
TEST_F(HttpFetcherTest, UnsupportedSchemeIsAnError) {
  FetchResult result = fetcher_.fetch("ftp://127.0.0.1/file", {});
  EXPECT_EQ(result.kind, FetchResult::Kind::kError);
  EXPECT_NE(result.text.find("unsupported URL scheme"), std::string::npos)
      << result.text;
  expect_poll_rule(fetcher_, "ftp://127.0.0.1/file", false);
}

// Tests that a stop request ends a hanging fetch at once, as kCancelled,
// and that Resource::poll then changes nothing. Tolerance: "at once" is
// checked as within 2 s, far below the 10 s timeout.
TEST_F(HttpFetcherTest, StopCancelsHangingFetch) {
  // A bare fetch.
  std::stop_source stop;
  auto fetch = std::async(std::launch::async, [&] {
    return fetcher_.fetch(server_.url("/hang"), stop.get_token());
  });
  wait_for_hang_arrivals(1);
  auto stopped_at = Clock::now();
  stop.request_stop();
  FetchResult result = fetch.get();
  EXPECT_EQ(result.kind, FetchResult::Kind::kCancelled);
  EXPECT_LT(Clock::now() - stopped_at, seconds(2));

  // A poll.
  std::stop_source poll_stop;
  Resource resource(server_.url("/hang"));
  resource.err_count = 2;
  auto poll = std::async(std::launch::async, [&] {
    return resource.poll(fetcher_, poll_stop.get_token());
  });
  wait_for_hang_arrivals(2);
  poll_stop.request_stop();
  EXPECT_EQ(poll.get(), std::nullopt);
  EXPECT_EQ(resource.err_count, 2);
}

// Tests that a fetch with stop already requested returns kCancelled without
// a request.
TEST_F(HttpFetcherTest, StopBeforeFetchCancels) {
  std::stop_source stop;
  stop.request_stop();
  FetchResult result = fetcher_.fetch(server_.url("/ok"), stop.get_token());
  EXPECT_EQ(result.kind, FetchResult::Kind::kCancelled);
}

// Tests that one fetcher serves many threads at once.
TEST_F(HttpFetcherTest, ConcurrentFetches) {
  constexpr int kThreads = 4;
  constexpr int kFetches = 5;
  std::vector<std::future<int>> oks;
  for (int t = 0; t < kThreads; ++t) {
    oks.push_back(std::async(std::launch::async, [&] {
      int ok = 0;
      for (int i = 0; i < kFetches; ++i) {
        ok += fetcher_.fetch(server_.url("/ok"), {}).text == "200 OK";
      }
      return ok;
    }));
  }
  for (auto& ok : oks) EXPECT_EQ(ok.get(), kFetches);
}

// Tests that timeouts below a millisecond are refused, since libcurl reads
// zero as "no timeout".
TEST(HttpFetcherOptionsTest, RejectsZeroTimeout) {
  HttpFetcher::Options options;
  options.timeout = Duration::zero();
  EXPECT_THROW(HttpFetcher{options}, std::invalid_argument);
}

}  // namespace
}  // namespace sharemem
