// Version, intra-op threads and CUDA presence.
#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/version.h>
#include "last_error.h"

AVT_EXPORT const char* avt_version(void) { return TORCH_VERSION; }

AVT_EXPORT int avt_threads_set(int32_t count) {
  return avt::guarded([&] { return "set_num_threads(" + std::to_string(count) + ")"; }, [&] {
    TORCH_CHECK(count > 0, "thread count must be positive");
    at::set_num_threads(count);
  });
}

AVT_EXPORT int avt_threads_get(int32_t* count) {
  return avt::guarded([] { return std::string("get_num_threads"); }, [&] {
    TORCH_CHECK(count, "null argument");
    *count = at::get_num_threads();
  });
}

AVT_EXPORT int avt_cuda_device_count(int32_t* count) {
  return avt::guarded([] { return std::string("cuda_device_count"); }, [&] {
    TORCH_CHECK(count, "null argument");
    *count = at::detail::getCUDAHooks().hasCUDA() ? static_cast<int32_t>(at::detail::getCUDAHooks().getNumGPUs()) : 0;
  });
}
