// cpu_relax: the pause a spinning thread takes between two looks at a
// shared word, so that it eases off the memory bus and lets its sibling
// hyper-thread run.
//
// Thread safety: any thread may call it; it touches no memory.
#pragma once

namespace sharemem {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace sharemem
