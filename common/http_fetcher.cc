#include "common/http_fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>

namespace sharemem {
namespace {

// init_curl sets up libcurl's global state the first time it is called.
// A function-local static is initialised exactly once even when several
// threads get here together.
void init_curl() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) {
    throw std::runtime_error(
        std::string("HttpFetcher: curl_global_init failed: ") +
        curl_easy_strerror(code));
  }
}

// has_http_scheme reports whether url starts with http:// or https://,
// ignoring case.
bool has_http_scheme(std::string_view url) {
  auto starts_with = [url](std::string_view prefix) {
    return url.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), url.begin(),
                      [](char p, char c) {
                        return p == std::tolower(static_cast<unsigned char>(c));
                      });
  };
  return starts_with("http://") || starts_with("https://");
}

// to_ms converts a timeout to the whole milliseconds libcurl takes.
long to_ms(Duration d) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

// on_header is libcurl's header callback, called once for each header line
// of each response, redirects included. It keeps the latest status line,
// "HTTP/1.1 200 OK\r\n", as "200 OK" in the string that user points to.
size_t on_header(char* data, size_t size, size_t count, void* user) {
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    std::size_t space = line.find(' ');
    line = space == std::string_view::npos ? "" : line.substr(space + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
      line.remove_suffix(1);
    }
    *static_cast<std::string*>(user) = line;
  }
  return size * count;
}

// describe turns a failed transfer into its error text: libcurl's name for
// the code, then the details it wrote to the error buffer, if any, less the
// name again when the details end with it.
std::string describe(CURLcode code, const char* error_buffer) {
  std::string_view name = curl_easy_strerror(code);
  std::string_view details(error_buffer);
  while (!details.empty() && details.back() == '\n') details.remove_suffix(1);
  if (details.ends_with(name)) details.remove_suffix(name.size());
  while (details.ends_with(": ")) details.remove_suffix(2);
  std::string text(name);
  if (!details.empty()) {
    text += ": ";
    text += details;
  }
  return text;
}

// Transfer owns one easy handle, added to a multi handle of its own, and
// takes both apart in the right order.
class Transfer {
 public:
  Transfer() : easy_(curl_easy_init()), multi_(curl_multi_init()) {}
  ~Transfer() {
    if (added_) curl_multi_remove_handle(multi_, easy_);
    if (easy_ != nullptr) curl_easy_cleanup(easy_);
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // ok reports whether both handles were made.
  bool ok() const { return easy_ != nullptr && multi_ != nullptr; }

  // start adds the configured easy handle to the multi handle.
  bool start() {
    added_ = curl_multi_add_handle(multi_, easy_) == CURLM_OK;
    return added_;
  }

  CURL* easy() const { return easy_; }
  CURLM* multi() const { return multi_; }

 private:
  CURL* const easy_;
  CURLM* const multi_;
  bool added_ = false;
};

}  // namespace

HttpFetcher::HttpFetcher(Options options) : options_(std::move(options)) {
  if (options_.connect_timeout < std::chrono::milliseconds(1) ||
      options_.timeout < std::chrono::milliseconds(1)) {
    throw std::invalid_argument(
        "HttpFetcher: timeouts must be at least one millisecond");
  }
  init_curl();
}

FetchResult HttpFetcher::fetch(const std::string& url, std::stop_token stop) {
  // Refuse other schemes before going near the network.
  if (!has_http_scheme(url)) {
    return FetchResult::error("unsupported URL scheme: " + url +
                              " (only http:// and https:// are fetched)");
  }
  if (stop.stop_requested()) return FetchResult::cancelled();

  // Describe one HEAD request on handles of its own. What libcurl writes
  // to is declared first, so that it outlives the handles: libcurl may
  // still write an error while it takes them apart.
  std::string status_line;
  char error_buffer[CURL_ERROR_SIZE] = "";
  Transfer transfer;
  if (!transfer.ok()) return FetchResult::error("libcurl: out of handles");
  CURL* easy = transfer.easy();
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, static_cast<long>(kMaxRedirects));
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
  const long protocols = CURLPROTO_HTTP | CURLPROTO_HTTPS;
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS, protocols);
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS, protocols);
#endif
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   to_ms(options_.connect_timeout));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, to_ms(options_.timeout));
  curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &status_line);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
  if (!transfer.start()) return FetchResult::error("libcurl: cannot start");

  // Run the transfer. Waiting happens in curl_multi_poll, which returns
  // when there is work, when a libcurl timer is due, after a second at
  // most, or at once when a stop request calls curl_multi_wakeup.
  std::stop_callback wake(stop,
                          [&transfer] { curl_multi_wakeup(transfer.multi()); });
  for (int running = 1; running > 0;) {
    CURLMcode mc = curl_multi_perform(transfer.multi(), &running);
    if (mc == CURLM_OK && running > 0) {
      if (stop.stop_requested()) return FetchResult::cancelled();
      mc = curl_multi_poll(transfer.multi(), nullptr, 0, 1000, nullptr);
    }
    if (mc != CURLM_OK) {
      return FetchResult::error(std::string("libcurl: ") +
                                curl_multi_strerror(mc));
    }
  }

  // Report how the transfer ended.
  CURLcode code = CURLE_OK;
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(transfer.multi(), &queued)) {
    if (msg->msg == CURLMSG_DONE) code = msg->data.result;
  }
  if (code != CURLE_OK) return FetchResult::error(describe(code, error_buffer));
  if (status_line.empty()) {
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    status_line = std::to_string(status);
  }
  return FetchResult::response(std::move(status_line));
}

}  // namespace sharemem
