// Clock: coarse wall time plus a test offset. See clock.h.
#include "store/clock.h"

#include <time.h>

namespace ihub {

int64_t Clock::NowMs() const {
  timespec ts;
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000 +
         offset_ms_.load(std::memory_order_relaxed);
}

}  // namespace ihub
