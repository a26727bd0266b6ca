#include "tools/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "common/url_poller.h"

namespace sharemem::urlpoll {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// The settings of the demo, used for whatever the command line leaves out
// when it names no URL: short enough that the table changes every couple of
// seconds, with a timeout that the demo's slow endpoint stays within and its
// hanging endpoint does not.
constexpr Duration kDemoInterval = seconds(2);
constexpr Duration kDemoStatusInterval = seconds(2);
constexpr Duration kDemoErrTimeout = seconds(1);
constexpr Duration kDemoMaxBackoff = seconds(10);
constexpr Duration kDemoTimeout = seconds(3);

// kMaxPollers bounds --pollers, each of which is a thread.
constexpr int kMaxPollers = 1000;

// starts_with_ignoring_case reports whether text starts with prefix, which
// is lower case, in any case.
bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](char p, char c) {
                      return p == std::tolower(static_cast<unsigned char>(c));
                    });
}

// trim returns text without the blank space around it.
std::string_view trim(std::string_view text) {
  auto blank = [](char c) {
    return std::isspace(static_cast<unsigned char>(c));
  };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

// DurationFlag is one duration option: its name and help, the text given
// for it, where its value goes, and its value in the demo.
struct DurationFlag {
  const char* name;
  const char* help;
  Duration* target;
  Duration demo_default;
  std::string text = {};
  CLI::Option* option = nullptr;
};

// usage_error writes message the way every usage error is written and
// returns the matching result.
ParseResult usage_error(std::ostream& err, const std::string& message) {
  err << "urlpoll: " << message << "\n"
      << "Run 'urlpoll --help' for usage.\n";
  return {std::nullopt, kUsageError};
}

// parse_flag parses the text of one duration option, naming the option in
// the message of what it throws.
Duration parse_flag(const char* name, const std::string& text) {
  try {
    return parse_duration(text);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string(name) + ": " + e.what());
  }
}

// kDescription is the description shown at the top of --help.
constexpr const char* kDescription =
    "urlpoll polls URLs with HTTP HEAD requests and prints a status table:\n"
    "each URL's latest status line or error, its polls and its errors in a\n"
    "row. A URL that fails rests longer before its next poll.\n"
    "\n"
    "With no URL, urlpoll starts a small local server and polls its\n"
    "endpoints (healthy, slow, flaky, missing, broken, hanging, and a\n"
    "refused port) with short intervals, so that something happens at once.\n"
    "\n"
    "Durations are a whole number and a unit: 500ms, 10s, 2m, 1h.\n"
    "Ctrl-C (SIGINT) or SIGTERM stops polling and prints the final table.\n";

constexpr const char* kFooter =
    "Examples:\n"
    "  urlpoll --duration 10s                     the demo, for ten seconds\n"
    "  urlpoll --compare --duration 5s            the demo with each version\n"
    "  urlpoll --interval 30s https://example.com/\n"
    "  urlpoll --impl mutex --urls-file urls.txt\n";

}  // namespace

Duration parse_duration(std::string_view text) {
  auto fail = [text](const std::string& why) -> Duration {
    throw std::invalid_argument("malformed duration '" + std::string(text) +
                                "': " + why);
  };

  // Split the text into its number and its unit.
  if (text.starts_with('-')) return fail("durations cannot be negative");
  std::size_t digits = 0;
  while (digits < text.size() &&
         std::isdigit(static_cast<unsigned char>(text[digits]))) {
    ++digits;
  }
  if (digits == 0) {
    return fail("expected a whole number and a unit, like 500ms or 10s");
  }
  std::string_view unit = text.substr(digits);

  // Find how many nanoseconds the unit is.
  std::int64_t unit_ns = 0;
  if (unit == "ms") {
    unit_ns = nanoseconds(milliseconds(1)).count();
  } else if (unit == "s") {
    unit_ns = nanoseconds(seconds(1)).count();
  } else if (unit == "m") {
    unit_ns = nanoseconds(minutes(1)).count();
  } else if (unit == "h") {
    unit_ns = nanoseconds(hours(1)).count();
  } else if (unit.empty()) {
    return fail("missing unit (ms, s, m or h)");
  } else {
    return fail("unknown unit '" + std::string(unit) + "' (use ms, s, m or h)");
  }

  // Read the number, and make sure the product fits.
  std::int64_t count = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + digits, count);
  if (ec != std::errc() ||
      count > std::numeric_limits<std::int64_t>::max() / unit_ns) {
    return fail("too large");
  }
  return std::chrono::duration_cast<Duration>(nanoseconds(count * unit_ns));
}

std::string format_duration(Duration d) {
  constexpr std::int64_t kSecond = 1'000;
  constexpr std::int64_t kMinute = 60 * kSecond;
  constexpr std::int64_t kHour = 60 * kMinute;
  std::int64_t ms = std::chrono::duration_cast<milliseconds>(d).count();
  if (ms != 0 && ms % kHour == 0) return std::to_string(ms / kHour) + "h";
  if (ms != 0 && ms % kMinute == 0) return std::to_string(ms / kMinute) + "m";
  if (ms % kSecond == 0) return std::to_string(ms / kSecond) + "s";
  return std::to_string(ms) + "ms";
}

void check_url(std::string_view url) {
  auto fail = [url](const char* why) {
    throw std::invalid_argument("URL '" + std::string(url) + "' " + why);
  };

  // The scheme.
  std::string_view rest;
  if (starts_with_ignoring_case(url, "http://")) {
    rest = url.substr(7);
  } else if (starts_with_ignoring_case(url, "https://")) {
    rest = url.substr(8);
  } else {
    fail("must start with http:// or https://");
  }
  if (std::any_of(url.begin(), url.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c));
      })) {
    fail("contains blank space");
  }

  // The authority: [user@]host[:port], up to the path, query or fragment.
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::size_t host_end = authority.find(authority.starts_with('[') ? ']' : ':');
  if (host_end == std::string_view::npos) {
    host_end = authority.size();
  } else if (authority[host_end] == ']') {
    ++host_end;
  }
  std::string_view host = authority.substr(0, host_end);
  std::string_view port = authority.substr(host_end);
  if (host.empty() || host == "[]") fail("has no host");
  if (!port.empty()) {
    port.remove_prefix(1);  // the ':'
    int number = 0;
    auto [end, ec] =
        std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() ||
        number < 1 || number > 65535) {
      fail("has a bad port");
    }
  }
}

std::vector<std::string> read_urls(std::istream& in, const std::string& name) {
  std::vector<std::string> urls;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::string_view url = trim(line);
    if (url.empty() || url.starts_with('#')) continue;
    try {
      check_url(url);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(name + ":" + std::to_string(number) + ": " +
                                  e.what());
    }
    urls.emplace_back(url);
  }
  return urls;
}

std::vector<std::string> read_url_file(const std::string& path) {
  // Open the file; a directory opens but cannot be read.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw std::invalid_argument("cannot read URL file '" + path +
                                "': it is a directory");
  }
  std::ifstream in(path);
  if (!in) {
    throw std::invalid_argument("cannot read URL file '" + path +
                                "': " + std::strerror(errno));
  }

  // Read it, and insist on at least one URL.
  std::vector<std::string> urls = read_urls(in, path);
  if (in.bad()) {
    throw std::invalid_argument("cannot read URL file '" + path + "'");
  }
  if (urls.empty()) {
    throw std::invalid_argument("URL file '" + path + "' lists no URL");
  }
  return urls;
}

ParseResult parse_command_line(int argc, const char* const* argv,
                               std::ostream& out, std::ostream& err) {
  Options options;
  PollerConfig& config = options.config;

  // Describe the command line.
  CLI::App app(kDescription, "urlpoll");
  app.footer(kFooter);
  app.get_formatter()->column_width(30);
  app.add_option("URL", options.urls, "http:// or https:// URLs to poll")
      ->type_name("");
  std::string impl = "channel";
  CLI::Option* impl_option =
      app.add_option("--impl", impl, "mutex or channel (default channel)");
  app.add_flag("--compare", options.compare,
               "Run the mutex version, then the channel version,\n"
               "each for --duration (default " +
                   format_duration(kCompareDefault) + "), and compare");
  std::string pollers_help =
      "Poller threads (default " + std::to_string(config.pollers) + ")";
  app.add_option("--pollers", config.pollers, pollers_help)->type_name("N");
  std::vector<DurationFlag> flags = {
      {"--interval", "Rest between polls", &config.poll_interval,
       kDemoInterval},
      {"--status-interval", "Time between tables", &config.status_interval,
       kDemoStatusInterval},
      {"--err-timeout", "Extra rest per error", &config.err_timeout,
       kDemoErrTimeout},
      {"--max-backoff", "Cap on error rest", &config.max_backoff,
       kDemoMaxBackoff},
      {"--timeout", "Longest a fetch may take", &options.fetch_timeout,
       kDemoTimeout},
  };
  for (DurationFlag& flag : flags) {
    std::string help = std::string(flag.help) + " (default " +
                       format_duration(*flag.target) + ", demo " +
                       format_duration(flag.demo_default) + ")";
    flag.option =
        app.add_option(flag.name, flag.text, help)->type_name("DURATION");
  }
  std::string duration_text;
  CLI::Option* duration_option =
      app.add_option("--duration", duration_text,
                     "Stop after this long (default: at Ctrl-C)")
          ->type_name("DURATION");
  std::string urls_file;
  CLI::Option* urls_file_option =
      app.add_option("--urls-file", urls_file,
                     "Also poll the URLs in FILE, one a line; blank\n"
                     "lines and # comments are skipped")
          ->type_name("FILE");

  // Parse it. Help is a success; anything CLI11 rejects is a usage error.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return {std::nullopt, app.exit(e, out, err)};
    }
    return usage_error(err, e.what());
  }

  // Check what CLI11 does not: the values, the URLs and the URL file. The
  // URLs come first, because without any, the demo's defaults apply.
  try {
    if (options.compare && impl_option->count() > 0) {
      throw std::invalid_argument(
          "--compare runs both versions, so it takes no --impl");
    }
    if (impl == "mutex") {
      options.impl = Impl::kMutex;
    } else if (impl != "channel") {
      throw std::invalid_argument("--impl must be mutex or channel, not '" +
                                  impl + "'");
    }
    if (config.pollers < 1 || config.pollers > kMaxPollers) {
      throw std::invalid_argument("--pollers must be between 1 and " +
                                  std::to_string(kMaxPollers) + ", not " +
                                  std::to_string(config.pollers));
    }
    for (const std::string& url : options.urls) check_url(url);
    if (urls_file_option->count() > 0) {
      std::vector<std::string> more = read_url_file(urls_file);
      options.urls.insert(options.urls.end(), more.begin(), more.end());
    }
    check_urls(options.urls);
    for (DurationFlag& flag : flags) {
      if (flag.option->count() > 0) {
        *flag.target = parse_flag(flag.name, flag.text);
      } else if (options.demo()) {
        *flag.target = flag.demo_default;
      }
    }
    if (config.status_interval <= Duration::zero()) {
      throw std::invalid_argument("--status-interval must be more than 0");
    }
    if (options.fetch_timeout < milliseconds(1)) {
      throw std::invalid_argument("--timeout must be at least 1ms");
    }
    if (duration_option->count() > 0) {
      options.duration = parse_flag("--duration", duration_text);
      if (*options.duration <= Duration::zero()) {
        throw std::invalid_argument("--duration must be more than 0");
      }
    }
    validate(config);
  } catch (const std::invalid_argument& e) {
    return usage_error(err, e.what());
  }
  return {std::move(options), 0};
}

}  // namespace sharemem::urlpoll
