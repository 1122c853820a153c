// Seeding and the default CPU generator's state (for bit-identical resumes).
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <mutex>
#include "last_error.h"

AVT_EXPORT int avt_manual_seed(uint64_t seed) {
  return avt::guarded([&] { return "manual_seed(" + std::to_string(seed) + ")"; }, [&] { at::manual_seed(seed); });
}

AVT_EXPORT int avt_rng_state_get(void** state) {
  return avt::guarded([] { return std::string("get_rng_state"); }, [&] {
    TORCH_CHECK(state, "null argument");
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    *state = avt::new_handle(generator.get_state());
  });
}

AVT_EXPORT int avt_rng_state_set(void* state) {
  return avt::guarded([&] { return "set_rng_state(" + (state ? avt::describe(avt::tensor_ref(state)) : std::string("null")) + ")"; }, [&] {
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(avt::tensor_ref(state));
  });
}
