#include "common/status_table.h"

#include <algorithm>
#include <ctime>
#include <iomanip>
#include <stdexcept>

namespace sharemem {

StatusTable::StatusTable(const std::vector<std::string>& urls) {
  rows_.reserve(urls.size());
  for (const auto& url : urls) {
    index_.emplace(url, rows_.size());
    rows_.push_back({url, kNotPolled, 0, 0});
  }
}

void StatusTable::update(const std::string& url, std::string status,
                         int err_count) {
  auto it = index_.find(url);
  if (it == index_.end()) {
    throw std::out_of_range("StatusTable::update: unknown URL " + url);
  }
  ResourceStatus& row = rows_[it->second];
  row.status = std::move(status);
  row.err_count = err_count;
  ++row.polls;
}

const ResourceStatus* StatusTable::find(const std::string& url) const {
  auto it = index_.find(url);
  return it == index_.end() ? nullptr : &rows_[it->second];
}

void print_status(std::ostream& out, const Snapshot& rows) {
  // Size the URL column to the longest URL. The status comes last, where a
  // long error text runs on without pushing the other columns apart.
  std::size_t url_width = 3;
  for (const auto& row : rows) url_width = std::max(url_width, row.url.size());

  // Heading: the local wall-clock time.
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  out << "status at " << std::put_time(&local, "%Y-%m-%d %H:%M:%S") << '\n';

  // One line per URL.
  auto line = [&](const std::string& url, const std::string& polls,
                  const std::string& errors, const std::string& status) {
    out << "  " << std::left << std::setw(url_width) << url << std::right
        << "  " << std::setw(6) << polls << "  " << std::setw(6) << errors
        << "  " << status << '\n';
  };
  line("URL", "POLLS", "ERRORS", "STATUS");
  for (const auto& row : rows) {
    line(row.url, std::to_string(row.polls), std::to_string(row.err_count),
         row.status);
  }
  out.flush();
}

}  // namespace sharemem
