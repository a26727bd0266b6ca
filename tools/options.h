// urlpoll's command line: what it means, and how it is checked.
//
//   urlpoll [options] [URL...]
//
// parse_command_line turns argv into Options, or into an exit status with a
// message: 0 after --help, 2 for bad input. Every check happens here, before
// any polling starts: unknown options, malformed durations, counts below 1,
// URLs that are not http:// or https:// or have no host, duplicate URLs, and
// URL files that cannot be read or list no URL. With no URL at all, urlpoll
// runs its demo, whose settings default to short intervals so that something
// happens within seconds.
//
// The functions it is built from, parse_duration, check_url and
// read_url_file, are public so that they can be tested on their own.
//
// Thread safety: these are plain functions on values; call them from any
// thread.
#pragma once

#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.h"

namespace sharemem::urlpoll {

// Impl names the poller design to run.
enum class Impl { kMutex, kChannel };

struct Options {
  Impl impl = Impl::kChannel;

  // compare runs the mutex version and then the channel version, each for
  // `duration`, and prints a summary of both.
  bool compare = false;

  // config holds the pollers, the intervals and the back-off.
  PollerConfig config;

  // fetch_timeout bounds each fetch, connection included.
  Duration fetch_timeout = std::chrono::seconds(10);

  // duration is how long to poll; std::nullopt means until a signal.
  std::optional<Duration> duration;

  // urls are the URLs to poll: those on the command line, then those of
  // the URL file. Empty means the demo.
  std::vector<std::string> urls;

  bool demo() const { return urls.empty(); }
};

// ParseResult is either options to run with, or an exit status.
struct ParseResult {
  std::optional<Options> options;
  int exit_status = 0;
};

// kUsageError is the exit status for bad input.
inline constexpr int kUsageError = 2;

// kCompareDefault is how long each version runs with --compare when no
// --duration is given.
inline constexpr Duration kCompareDefault = std::chrono::seconds(10);

// parse_command_line parses argv. It returns options when they are all
// valid. For --help it writes the help to out and returns exit status 0;
// for bad input it writes one message naming the problem to err and returns
// kUsageError. It never throws for bad input.
ParseResult parse_command_line(int argc, const char* const* argv,
                               std::ostream& out, std::ostream& err);

// parse_duration reads a duration written as a whole number and a unit, ms,
// s, m or h: "500ms", "10s", "2m", "1h". It throws std::invalid_argument,
// with a message that quotes text, for anything else, for a negative value
// and for a value too large to represent.
Duration parse_duration(std::string_view text);

// format_duration writes d the way parse_duration reads it, in the largest
// unit that divides it exactly: "1500ms", "10s", "2m".
std::string format_duration(Duration d);

// check_url throws std::invalid_argument, with a message that quotes url,
// unless url starts with http:// or https:// and names a host.
void check_url(std::string_view url);

// read_urls reads one URL a line from in. Blank lines and lines whose first
// non-blank character is '#' are skipped, as is the blank space around each
// URL. It throws std::invalid_argument for a line that is not a valid URL,
// naming `name` and the line number.
std::vector<std::string> read_urls(std::istream& in, const std::string& name);

// read_url_file reads the URL file at path as read_urls does. It throws
// std::invalid_argument when the file cannot be opened or lists no URL.
std::vector<std::string> read_url_file(const std::string& path);

}  // namespace sharemem::urlpoll
