#include "tools/report.h"

#include <iomanip>
#include <sstream>

namespace sharemem::urlpoll {
namespace {

// seconds_text writes d in seconds with `decimals` decimals: "6.0s".
std::string seconds_text(Duration d, int decimals) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(decimals)
       << std::chrono::duration<double>(d).count() << 's';
  return text.str();
}

}  // namespace

void print_final(std::ostream& out, const RunSummary& run) {
  out << "final status, " << run.version << " version, after "
      << seconds_text(run.wall, 1) << ":\n";
  print_status(out, run.snapshot);
}

void print_comparison(std::ostream& out, const std::vector<RunSummary>& runs) {
  // How the numbers were taken.
  out << "comparison: the versions ran one after the other, each alone for "
         "the same time\nagainst the same URLs. CPU time is the whole "
         "process's (pollers, fetches and\nany demo server) while that "
         "version ran. Errors count every failed fetch.\n";

  // One row per measure, one column per version.
  auto row = [&](const std::string& name, auto value) {
    out << "  " << std::left << std::setw(24) << name << std::right;
    for (const RunSummary& run : runs) out << std::setw(12) << value(run);
    out << '\n';
  };
  row("", [](const RunSummary& r) { return r.version; });
  row("run time", [](const RunSummary& r) { return seconds_text(r.wall, 1); });
  row("polls", [](const RunSummary& r) {
    std::int64_t polls = 0;
    for (const ResourceStatus& s : r.snapshot) polls += s.polls;
    return std::to_string(polls);
  });
  row("errors",
      [](const RunSummary& r) { return std::to_string(r.fetches.errors); });
  row("CPU time", [](const RunSummary& r) { return seconds_text(r.cpu, 3); });
  row("lock acquisitions",
      [](const RunSummary& r) { return std::to_string(r.locks.acquisitions); });
  row("contended acquisitions",
      [](const RunSummary& r) { return std::to_string(r.locks.contended); });
  row("lock wait", [](const RunSummary& r) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(3) << r.locks.wait_ns / 1e6 << "ms";
    return text.str();
  });
  out.flush();
}

}  // namespace sharemem::urlpoll
