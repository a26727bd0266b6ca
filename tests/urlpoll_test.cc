// Tests of the urlpoll program itself: each test runs the built binary,
// with its standard output on a pipe and its standard error in a file, and
// checks the exit status and what it printed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace {

// Urlpoll is one run of the program.
class Urlpoll {
 public:
  // Urlpoll starts the program with args.
  explicit Urlpoll(std::vector<std::string> args) {
    // Where the output goes: a pipe for stdout, a file for stderr.
    std::string pattern =
        (std::filesystem::temp_directory_path() / "urlpoll-err-XXXXXX")
            .string();
    int err_fd = ::mkstemp(pattern.data());
    int pipe_fds[2];
    if (err_fd < 0 || ::pipe(pipe_fds) != 0) {
      throw std::runtime_error("cannot make the child's output");
    }
    ::close(err_fd);
    err_path_ = pattern;
    out_fd_ = pipe_fds[0];

    // Start the program.
    args.insert(args.begin(), URLPOLL_PATH);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path_.c_str(),
                                     O_WRONLY | O_TRUNC, 0);
    int error = posix_spawn(&pid_, URLPOLL_PATH, &actions, nullptr, argv.data(),
                            environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (error != 0) throw std::runtime_error("cannot start " URLPOLL_PATH);
  }

  ~Urlpoll() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(out_fd_);
    std::filesystem::remove(err_path_);
  }

  // read_until reads stdout until it holds marker or ends, and reports
  // whether marker came.
  bool read_until(const std::string& marker) {
    while (out_.find(marker) == std::string::npos) {
      if (!read_some()) return false;
    }
    return true;
  }

  // signal sends sig to the program.
  void signal(int sig) { ::kill(pid_, sig); }

  // wait reads stdout to its end and waits for the program to exit. It
  // returns the exit status, or 128 + the signal that ended it.
  int wait() {
    while (read_some()) {
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    std::ifstream in(err_path_);
    std::ostringstream err;
    err << in.rdbuf();
    err_ = err.str();
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }

 private:
  bool read_some() {
    char buffer[4096];
    ssize_t n = ::read(out_fd_, buffer, sizeof(buffer));
    if (n <= 0) return false;
    out_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string err_path_;
  std::string out_;
  std::string err_;
};

// kDemoPaths are the endpoints the demo polls.
const std::vector<std::string> kDemoPaths = {
    "/healthy", "/slow", "/flaky", "/missing", "/broken", "/hang", "/refused"};

// expect_final_table checks that out ends with a final table of the given
// version that lists every demo URL.
void expect_final_table(const std::string& out, const std::string& version) {
  std::size_t final = out.find("final status, " + version + " version");
  ASSERT_NE(final, std::string::npos) << out;
  for (const std::string& path : kDemoPaths) {
    EXPECT_NE(out.find(path, final), std::string::npos)
        << path << " missing from:\n"
        << out.substr(final);
  }
}

// Tests that each kind of bad input stops the program before it polls,
// with exit status 2 and a message that names the problem.
TEST(UrlpollTest, BadInputExitsWithStatusTwo) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--bogus"}, "--bogus"},
      {{"--interval", "ten"}, "--interval: malformed duration 'ten'"},
      {{"--pollers", "0"}, "--pollers must be between 1"},
      {{"ftp://example.com/"}, "must start with http:// or https://"},
      {{"http:///path"}, "has no host"},
      {{"http://a.example/", "http://a.example/"}, "duplicate URL"},
      {{"--urls-file", "/nonexistent/urls.txt"}, "cannot read URL file"},
      {{"--urls-file", "/dev/null"}, "lists no URL"},
  };
  for (const Case& c : cases) {
    Urlpoll urlpoll(c.args);
    EXPECT_EQ(urlpoll.wait(), 2) << c.message;
    EXPECT_NE(urlpoll.err().find(c.message), std::string::npos)
        << "stderr: " << urlpoll.err() << "expected: " << c.message;
    EXPECT_EQ(urlpoll.out(), "") << c.message;
  }
}

// Tests that --help prints the usage and succeeds.
TEST(UrlpollTest, HelpSucceeds) {
  Urlpoll urlpoll({"--help"});
  EXPECT_EQ(urlpoll.wait(), 0) << urlpoll.err();
  EXPECT_NE(urlpoll.out().find("Usage: urlpoll"), std::string::npos)
      << urlpoll.out();
}

// Tests that the demo ends by itself after --duration, with the final table
// of every demo URL and exit status 0.
TEST(UrlpollTest, DemoStopsAfterDuration) {
  Urlpoll urlpoll({"--duration", "3s"});
  EXPECT_EQ(urlpoll.wait(), 0) << urlpoll.err();
  expect_final_table(urlpoll.out(), "channel");
}

// Tests that the demo runs the mutex version when asked to.
TEST(UrlpollTest, DemoRunsMutexVersion) {
  Urlpoll urlpoll({"--impl", "mutex", "--duration", "2s"});
  EXPECT_EQ(urlpoll.wait(), 0) << urlpoll.err();
  expect_final_table(urlpoll.out(), "mutex");
}

// Tests that SIGTERM stops a run that has no --duration cleanly: final
// table, exit status 0.
TEST(UrlpollTest, SigtermStopsCleanly) {
  Urlpoll urlpoll({"--status-interval", "500ms"});
  ASSERT_TRUE(urlpoll.read_until("status at")) << urlpoll.out();
  urlpoll.signal(SIGTERM);
  EXPECT_EQ(urlpoll.wait(), 0) << urlpoll.err();
  expect_final_table(urlpoll.out(), "channel");
  EXPECT_NE(urlpoll.err().find("stopping on SIGTERM"), std::string::npos)
      << urlpoll.err();
}

// Tests that SIGINT, as Ctrl-C sends, stops the run the same way.
TEST(UrlpollTest, SigintStopsCleanly) {
  Urlpoll urlpoll({"--impl", "mutex", "--status-interval", "500ms"});
  ASSERT_TRUE(urlpoll.read_until("status at")) << urlpoll.out();
  urlpoll.signal(SIGINT);
  EXPECT_EQ(urlpoll.wait(), 0) << urlpoll.err();
  expect_final_table(urlpoll.out(), "mutex");
}

// Tests that --compare runs both versions and ends with the summary.
TEST(UrlpollTest, CompareSummarisesBothVersions) {
  Urlpoll urlpoll({"--compare", "--duration", "2s"});
  EXPECT_EQ(urlpoll.wait(), 0) << urlpoll.err();
  expect_final_table(urlpoll.out(), "mutex");
  expect_final_table(urlpoll.out(), "channel");
  std::size_t summary = urlpoll.out().find("comparison:");
  ASSERT_NE(summary, std::string::npos) << urlpoll.out();
  for (const char* row : {"polls", "errors", "CPU time", "lock acquisitions",
                          "contended acquisitions", "lock wait"}) {
    EXPECT_NE(urlpoll.out().find(row, summary), std::string::npos) << row;
  }
}

}  // namespace
