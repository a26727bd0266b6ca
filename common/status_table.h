// StatusTable: the latest status of every URL, and how it is printed.
//
// The table has one row per URL, in the order the URLs were given. Each row
// starts as "(not polled yet)"; update() replaces the status with the result
// of a poll. print() writes the table with a timestamp, one aligned line per
// URL, for a person scanning a terminal:
//
//   status at 2026-12-03 13:04:21
//     URL                   POLLS  ERRORS  STATUS
//     http://example.com/      12       0  200 OK
//
// Thread safety: none. In the mutex version the table sits under its own
// lock; in the channel version one thread, the state monitor, owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

namespace sharemem {

// ResourceStatus is one row of the table, and of a poller's final snapshot.
struct ResourceStatus {
  std::string url;
  std::string status;
  std::int64_t polls = 0;
  int err_count = 0;

  bool operator==(const ResourceStatus&) const = default;
};

using Snapshot = std::vector<ResourceStatus>;

// print_status writes rows as a table headed by the wall-clock time now.
void print_status(std::ostream& out, const Snapshot& rows);

class StatusTable {
 public:
  static constexpr const char* kNotPolled = "(not polled yet)";

  // StatusTable makes a row for each URL; the URLs must be unique.
  explicit StatusTable(const std::vector<std::string>& urls);

  // update records the result of one poll of url: its status and err_count.
  // It throws std::out_of_range for a URL the table does not have.
  void update(const std::string& url, std::string status, int err_count);

  // print writes the table with print_status.
  void print(std::ostream& out) const { print_status(out, rows_); }

  // rows returns every row, in the order the URLs were given.
  const Snapshot& rows() const { return rows_; }

  // find returns the row for url, or nullptr.
  const ResourceStatus* find(const std::string& url) const;

 private:
  Snapshot rows_;
  std::unordered_map<std::string, std::size_t> index_;  // url -> row
};

}  // namespace sharemem
