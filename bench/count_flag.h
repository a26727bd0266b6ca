// take_count_flag: a count that a benchmark program takes from its command
// line or its environment, such as the number of messages or polls a run
// makes, so that CI can run every benchmark on a tiny workload.
//
// Thread safety: call it from main, before any benchmark runs.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

namespace sharemem::bench {

// take_count_flag reads a count from the environment variable `env`, then
// from a `--name=N` argument, which it removes from argv so that Google
// Benchmark does not see it. It leaves value alone when neither is given,
// and returns false, after a message naming the flag, when the count is not
// a number or is below `min`.
inline bool take_count_flag(int& argc, char** argv, const char* name,
                            const char* env, std::int64_t min,
                            std::int64_t& value) {
  // Find the text: the environment first, the command line over it.
  std::optional<std::string> text;
  if (const char* from_env = std::getenv(env)) text = from_env;
  const std::string flag = std::string("--") + name + "=";
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], flag.c_str(), flag.size()) == 0) {
      text = argv[i] + flag.size();
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  if (!text) return true;

  // Check it.
  char* end = nullptr;
  const long long n = std::strtoll(text->c_str(), &end, 10);
  if (end == text->c_str() || *end != '\0' || n < min) {
    std::fprintf(stderr, "%s: %s must be a number >= %lld, not '%s'\n", argv[0],
                 name, static_cast<long long>(min), text->c_str());
    return false;
  }
  value = n;
  return true;
}

}  // namespace sharemem::bench
