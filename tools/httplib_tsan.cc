// ThreadSanitizer suppressions for programs that link a prebuilt cpp-httplib
// library, which is not instrumented (see tools/CMakeLists.txt).
//
// ThreadSanitizer sees that library's memory accesses only through the libc
// calls it intercepts, such as memcmp, and not the synchronisation between
// the library's threads that orders them, so it can report races inside the
// library that are not there. The suppression skips the intercepted calls
// made from the library itself. The handlers we give it, like all our own
// code, are still checked in full.
extern "C" const char* __tsan_default_suppressions() {
  return "called_from_lib:libcpp-httplib.so\n";
}
