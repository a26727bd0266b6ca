// Tests of urlpoll's command line: durations, URLs, URL files, and the
// whole parse, with its exit statuses and messages.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tools/options.h"

namespace sharemem::urlpoll {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Parsed is the outcome of one parse_command_line call.
struct Parsed {
  ParseResult result;
  std::string out;
  std::string err;
};

Parsed parse(std::vector<std::string> args) {
  args.insert(args.begin(), "urlpoll");
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  std::ostringstream out;
  std::ostringstream err;
  ParseResult result =
      parse_command_line(static_cast<int>(argv.size()), argv.data(), out, err);
  return {std::move(result), out.str(), err.str()};
}

// TempFile is a file with the given text, removed at the end of the scope.
class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "urlpoll-XXXXXX").string();
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    ::close(fd);
    path_ = pattern;
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::filesystem::remove(path_); }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// expect_usage_error checks that args are rejected with status 2 and a
// message that contains `mentions`.
void expect_usage_error(std::vector<std::string> args,
                        const std::string& mentions) {
  Parsed parsed = parse(args);
  EXPECT_FALSE(parsed.result.options.has_value()) << mentions;
  EXPECT_EQ(parsed.result.exit_status, kUsageError) << parsed.err;
  EXPECT_NE(parsed.err.find(mentions), std::string::npos)
      << "message: " << parsed.err << "expected to mention: " << mentions;
}

// Tests that each unit reads as it should.
TEST(ParseDurationTest, ReadsEachUnit) {
  EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
  EXPECT_EQ(parse_duration("10s"), seconds(10));
  EXPECT_EQ(parse_duration("2m"), minutes(2));
  EXPECT_EQ(parse_duration("1h"), hours(1));
  EXPECT_EQ(parse_duration("0s"), Duration::zero());
}

// Tests that malformed durations are refused with a message that quotes
// them.
TEST(ParseDurationTest, RefusesMalformedText) {
  for (const char* text : {"", "10", "s", "10x", "1.5s", "-5s", "10 s", "s10",
                           "99999999999999999999h", "9999999999h"}) {
    try {
      parse_duration(text);
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + text + "'"),
                std::string::npos)
          << e.what();
    }
  }
}

// Tests that format_duration writes what parse_duration reads.
TEST(FormatDurationTest, RoundTrips) {
  for (const char* text : {"1500ms", "10s", "2m", "1h", "0s", "90s"}) {
    EXPECT_EQ(format_duration(parse_duration(text)), text);
  }
}

// Tests that http and https URLs with a host pass.
TEST(CheckUrlTest, AcceptsHttpAndHttps) {
  for (const char* url : {"http://example.com", "https://example.com/path?q=1",
                          "HTTP://EXAMPLE.COM/", "http://user@host:8080/",
                          "http://[::1]:80/", "http://127.0.0.1:1/x"}) {
    EXPECT_NO_THROW(check_url(url)) << url;
  }
}

// Tests that other schemes, missing hosts and bad ports are refused.
TEST(CheckUrlTest, RefusesBadUrls) {
  for (const char* url :
       {"ftp://example.com/", "example.com", "http://", "https:///path",
        "http://:80/", "http://host:0/", "http://host:99999/", "http://host:x/",
        "http://exa mple.com/", "mailto:a@b"}) {
    EXPECT_THROW(check_url(url), std::invalid_argument) << url;
  }
}

// Tests that a URL list skips blanks and comments and trims each line.
TEST(ReadUrlsTest, SkipsBlankLinesAndComments) {
  std::istringstream in(
      "# urls\n\nhttp://a.example/\n   https://b.example/x  \n  # more\n");
  EXPECT_EQ(
      read_urls(in, "list"),
      (std::vector<std::string>{"http://a.example/", "https://b.example/x"}));
}

// Tests that a bad line is reported with the file name and line number.
TEST(ReadUrlsTest, NamesTheBadLine) {
  std::istringstream in("http://a.example/\n\nftp://b.example/\n");
  try {
    read_urls(in, "list.txt");
    FAIL() << "accepted an ftp URL";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("list.txt:3:"), std::string::npos)
        << e.what();
  }
}

// Tests that the defaults are the program's when URLs are given.
TEST(ParseCommandLineTest, DefaultsWithUrls) {
  Parsed parsed = parse({"http://example.com/"});
  ASSERT_TRUE(parsed.result.options.has_value()) << parsed.err;
  const Options& options = *parsed.result.options;
  EXPECT_EQ(options.impl, Impl::kChannel);
  EXPECT_FALSE(options.compare);
  EXPECT_EQ(options.config.pollers, 2);
  EXPECT_EQ(options.config.poll_interval, seconds(60));
  EXPECT_EQ(options.config.status_interval, seconds(10));
  EXPECT_EQ(options.config.err_timeout, seconds(10));
  EXPECT_EQ(options.config.max_backoff, minutes(10));
  EXPECT_EQ(options.fetch_timeout, seconds(10));
  EXPECT_EQ(options.duration, std::nullopt);
  EXPECT_EQ(options.urls, std::vector<std::string>{"http://example.com/"});
  EXPECT_FALSE(options.demo());
}

// Tests that without URLs the demo's short intervals apply, except where
// the command line sets them.
TEST(ParseCommandLineTest, DemoDefaults) {
  Parsed parsed = parse({"--interval", "5s"});
  ASSERT_TRUE(parsed.result.options.has_value()) << parsed.err;
  const Options& options = *parsed.result.options;
  EXPECT_TRUE(options.demo());
  EXPECT_EQ(options.config.poll_interval, seconds(5));
  EXPECT_EQ(options.config.status_interval, seconds(2));
  EXPECT_EQ(options.config.err_timeout, seconds(1));
  EXPECT_EQ(options.fetch_timeout, seconds(3));
}

// Tests that every option is read into its field.
TEST(ParseCommandLineTest, ReadsEveryOption) {
  TempFile file("https://b.example/\n");
  Parsed parsed =
      parse({"--impl", "mutex", "--pollers", "4", "--interval", "30s",
             "--status-interval", "1m", "--err-timeout", "500ms",
             "--max-backoff", "1h", "--timeout", "2s", "--duration", "90s",
             "--urls-file", file.path(), "http://a.example/"});
  ASSERT_TRUE(parsed.result.options.has_value()) << parsed.err;
  const Options& options = *parsed.result.options;
  EXPECT_EQ(options.impl, Impl::kMutex);
  EXPECT_EQ(options.config.pollers, 4);
  EXPECT_EQ(options.config.poll_interval, seconds(30));
  EXPECT_EQ(options.config.status_interval, minutes(1));
  EXPECT_EQ(options.config.err_timeout, milliseconds(500));
  EXPECT_EQ(options.config.max_backoff, hours(1));
  EXPECT_EQ(options.fetch_timeout, seconds(2));
  EXPECT_EQ(options.duration, seconds(90));
  EXPECT_EQ(options.urls, (std::vector<std::string>{"http://a.example/",
                                                    "https://b.example/"}));
}

// Tests that --help prints the options and exits with status 0.
TEST(ParseCommandLineTest, HelpSucceeds) {
  Parsed parsed = parse({"--help"});
  EXPECT_FALSE(parsed.result.options.has_value());
  EXPECT_EQ(parsed.result.exit_status, 0);
  for (const char* option :
       {"--impl", "--pollers", "--interval", "--status-interval",
        "--err-timeout", "--max-backoff", "--timeout", "--duration",
        "--urls-file", "--compare"}) {
    EXPECT_NE(parsed.out.find(option), std::string::npos) << option;
  }
  EXPECT_EQ(parsed.err, "");
}

// Tests that each kind of bad input is a usage error that names the
// problem.
TEST(ParseCommandLineTest, RefusesBadInput) {
  expect_usage_error({"--bogus"}, "--bogus");
  expect_usage_error({"--impl", "rwlock"}, "--impl must be mutex or channel");
  expect_usage_error({"--interval", "10"}, "--interval: malformed duration");
  expect_usage_error({"--timeout", "fast"}, "--timeout: malformed duration");
  expect_usage_error({"--duration", "-1s"}, "--duration: malformed duration");
  expect_usage_error({"--duration", "0s"}, "--duration must be more than 0");
  expect_usage_error({"--status-interval", "0s"},
                     "--status-interval must be more than 0");
  expect_usage_error({"--timeout", "0ms"}, "--timeout must be at least 1ms");
  expect_usage_error({"--pollers", "0"}, "--pollers must be between 1");
  expect_usage_error({"--pollers=-3"}, "--pollers must be between 1");
  expect_usage_error({"--pollers", "two"}, "--pollers");
  expect_usage_error({"ftp://example.com/"}, "must start with http://");
  expect_usage_error({"http://"}, "has no host");
  expect_usage_error({"http://a.example/", "http://a.example/"},
                     "duplicate URL: http://a.example/");
  expect_usage_error({"--compare", "--impl", "mutex"},
                     "--compare runs both versions");
}

// Tests that URL files that cannot be read or list nothing are refused.
TEST(ParseCommandLineTest, RefusesBadUrlFiles) {
  expect_usage_error({"--urls-file", "/nonexistent/urls.txt"},
                     "cannot read URL file '/nonexistent/urls.txt'");
  expect_usage_error(
      {"--urls-file", std::filesystem::temp_directory_path().string()},
      "it is a directory");

  TempFile empty("# nothing here\n\n");
  expect_usage_error({"--urls-file", empty.path()}, "lists no URL");

  TempFile bad("http://a.example/\nnot a url\n");
  expect_usage_error({"--urls-file", bad.path()}, bad.path() + ":2:");

  TempFile repeat("http://a.example/\n");
  expect_usage_error({"--urls-file", repeat.path(), "http://a.example/"},
                     "duplicate URL");
}

}  // namespace
}  // namespace sharemem::urlpoll
