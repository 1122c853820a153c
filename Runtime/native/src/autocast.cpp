// Autocast guards (PyTorch's torch.autocast): ops dispatched while enabled run in the lower precision
// `dtype` where autocast's op lists say so. The API moved in libtorch 2.4 (device-generic setters).
#include <ATen/autocast_mode.h>
#include <torch/version.h>
#include "last_error.h"

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define AVT_AUTOCAST_DEVICE_GENERIC 1
#endif

namespace {
bool autocast_enabled(c10::DeviceType type) {
#ifdef AVT_AUTOCAST_DEVICE_GENERIC
  return at::autocast::is_autocast_enabled(type);
#else
  return type == c10::DeviceType::CPU ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled();
#endif
}

at::ScalarType autocast_dtype(c10::DeviceType type) {
#ifdef AVT_AUTOCAST_DEVICE_GENERIC
  return at::autocast::get_autocast_dtype(type);
#else
  return type == c10::DeviceType::CPU ? at::autocast::get_autocast_cpu_dtype() : at::autocast::get_autocast_gpu_dtype();
#endif
}

void set_autocast(c10::DeviceType type, bool enabled, at::ScalarType dtype) {
#ifdef AVT_AUTOCAST_DEVICE_GENERIC
  at::autocast::set_autocast_enabled(type, enabled);
  at::autocast::set_autocast_dtype(type, dtype);
#else
  if (type == c10::DeviceType::CPU) {
    at::autocast::set_cpu_enabled(enabled);
    at::autocast::set_autocast_cpu_dtype(dtype);
  } else {
    at::autocast::set_enabled(enabled);
    at::autocast::set_autocast_gpu_dtype(dtype);
  }
#endif
}
}  // namespace

// Enables autocast for `device_type` with `dtype`; reports the previous state for avt_autocast_exit.
AVT_EXPORT int avt_autocast_enter(int32_t device_type, int32_t dtype, int32_t* previous_enabled, int32_t* previous_dtype) {
  return avt::guarded([&] { return std::string("autocast_enter(") + avt::dtype_name(static_cast<at::ScalarType>(dtype)) + ")"; }, [&] {
    TORCH_CHECK(previous_enabled && previous_dtype, "null argument");
    const auto type = static_cast<c10::DeviceType>(device_type);
    TORCH_CHECK(type == c10::DeviceType::CPU || type == c10::DeviceType::CUDA, "autocast supports cpu and cuda");
    *previous_enabled = autocast_enabled(type) ? 1 : 0;
    *previous_dtype = static_cast<int32_t>(autocast_dtype(type));
    set_autocast(type, true, static_cast<at::ScalarType>(dtype));
    at::autocast::increment_nesting();
  });
}

// Restores the state avt_autocast_enter reported; the cast cache is cleared when the outermost guard closes.
AVT_EXPORT int avt_autocast_exit(int32_t device_type, int32_t previous_enabled, int32_t previous_dtype) {
  return avt::guarded([] { return std::string("autocast_exit"); }, [&] {
    const auto type = static_cast<c10::DeviceType>(device_type);
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    set_autocast(type, previous_enabled != 0, static_cast<at::ScalarType>(previous_dtype));
  });
}
