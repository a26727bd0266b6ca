// WatchedStream: an std::ostream whose text a test can wait on.
//
// The status printer writes to it from its own thread; the test blocks in
// wait_for_text until the text contains what it expects, or a timeout
// passes.
//
// Thread safety: one thread writes through the stream; text and
// wait_for_text may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>

namespace sharemem::testing {

class WatchedStream : public std::ostream {
 public:
  WatchedStream() : std::ostream(&buffer_) {}

  // text returns everything written so far.
  std::string text() const {
    std::lock_guard lock(buffer_.mu);
    return buffer_.text;
  }

  // wait_for_text blocks until the text contains `needle` `times` times or
  // timeout passes, and returns whether it does.
  bool wait_for_text(const std::string& needle, int times = 1,
                     std::chrono::seconds timeout = std::chrono::seconds(60)) {
    std::unique_lock lock(buffer_.mu);
    return buffer_.changed.wait_for(lock, timeout, [&] {
      int found = 0;
      for (auto at = buffer_.text.find(needle); at != std::string::npos;
           at = buffer_.text.find(needle, at + 1)) {
        ++found;
      }
      return found >= times;
    });
  }

 private:
  struct Buffer : std::streambuf {
    int_type overflow(int_type c) override {
      if (c != traits_type::eof()) {
        char ch = traits_type::to_char_type(c);
        xsputn(&ch, 1);
      }
      return c;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      {
        std::lock_guard lock(mu);
        text.append(s, static_cast<std::size_t>(n));
      }
      changed.notify_all();
      return n;
    }

    mutable std::mutex mu;
    std::condition_variable changed;
    std::string text;
  };

  Buffer buffer_;
};

}  // namespace sharemem::testing
