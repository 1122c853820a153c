// Seeded generators as objects (PyTorch's torch.Generator): ops that take `Generator? generator` draw
// from one of these instead of the process-wide default, so a data pipeline or a mask sampler gets its
// own reproducible stream.
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <ATen/core/Generator.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <mutex>
#include "last_error.h"

namespace {
at::Generator& generator_ref(void* handle) {
  TORCH_CHECK(handle != nullptr, "null generator handle");
  return *static_cast<at::Generator*>(handle);
}
}  // namespace

AVT_EXPORT int avt_generator_new(int32_t device_type, uint64_t seed, void** generator) {
  return avt::guarded([&] { return "generator_new(seed=" + std::to_string(seed) + ")"; }, [&] {
    TORCH_CHECK(generator, "null argument");
    const auto type = static_cast<c10::DeviceType>(device_type);
    at::Generator created;
    if (type == c10::DeviceType::CPU) {
      created = at::detail::createCPUGenerator(seed);
    } else {
      // CUDA generators come from the CUDA hooks so that a CPU-only build still links.
      TORCH_CHECK(type == c10::DeviceType::CUDA, "generators exist for cpu and cuda only");
      TORCH_CHECK(at::detail::getCUDAHooks().hasCUDA(), "CUDA is not available in this libtorch or machine");
      created = at::detail::getCUDAHooks().getDefaultCUDAGenerator(0).clone();
      created.set_current_seed(seed);
    }
    *generator = new at::Generator(std::move(created));
  });
}

AVT_EXPORT void avt_generator_free(void* generator) {
  try {
    delete static_cast<at::Generator*>(generator);
  } catch (...) {
  }
}

AVT_EXPORT int avt_generator_seed(void* generator, uint64_t seed) {
  return avt::guarded([&] { return "generator_manual_seed(" + std::to_string(seed) + ")"; }, [&] {
    auto& g = generator_ref(generator);
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_current_seed(seed);
  });
}

AVT_EXPORT int avt_generator_state_get(void* generator, void** state) {
  return avt::guarded([] { return std::string("generator_get_state"); }, [&] {
    TORCH_CHECK(state, "null argument");
    auto& g = generator_ref(generator);
    std::lock_guard<std::mutex> lock(g.mutex());
    *state = avt::new_handle(g.get_state());
  });
}

AVT_EXPORT int avt_generator_state_set(void* generator, void* state) {
  return avt::guarded([&] { return "generator_set_state(" + (state ? avt::describe(avt::tensor_ref(state)) : std::string("null")) + ")"; }, [&] {
    auto& g = generator_ref(generator);
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_state(avt::tensor_ref(state));
  });
}
