// A deliberate data race, for ThreadSanitizer to find. The test that runs
// this program passes only if TSan reports the race, which proves that the
// suite really runs under TSan.
#include <thread>

namespace {

int counter = 0;  // written by two threads with no synchronisation

}  // namespace

int main() {
  std::thread a([] { ++counter; });
  std::thread b([] { ++counter; });
  a.join();
  b.join();
  return 0;
}
