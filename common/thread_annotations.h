// Clang's thread-safety annotations, spelled out only where Clang compiles
// the code (its -Wthread-safety then checks them); other compilers see
// nothing.
#pragma once

#if defined(__clang__)
#define SHAREMEM_ANNOTATE(x) __attribute__((x))
#else
#define SHAREMEM_ANNOTATE(x)
#endif

#define CAPABILITY(name) SHAREMEM_ANNOTATE(capability(name))
#define SCOPED_CAPABILITY SHAREMEM_ANNOTATE(scoped_lockable)
#define GUARDED_BY(mu) SHAREMEM_ANNOTATE(guarded_by(mu))
#define REQUIRES(...) SHAREMEM_ANNOTATE(requires_capability(__VA_ARGS__))
#define ACQUIRE(...) SHAREMEM_ANNOTATE(acquire_capability(__VA_ARGS__))
#define RELEASE(...) SHAREMEM_ANNOTATE(release_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) SHAREMEM_ANNOTATE(try_acquire_capability(__VA_ARGS__))
#define EXCLUDES(...) SHAREMEM_ANNOTATE(locks_excluded(__VA_ARGS__))
#define NO_THREAD_SAFETY_ANALYSIS SHAREMEM_ANNOTATE(no_thread_safety_analysis)
