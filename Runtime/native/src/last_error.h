// The thread-local error slot behind avt_last_error(), and the guard every export runs its body in.
#pragma once
#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <string>
#include "avdsl_native.h"

namespace avt {

void set_last_error(std::string message);

// "Float32[2, 3]" (plus the device when it is not the CPU); the names match C#'s DType.
std::string describe(const at::Tensor& tensor);
const char* dtype_name(at::ScalarType type);

inline at::Tensor& tensor_ref(void* handle) {
  TORCH_CHECK(handle != nullptr, "null tensor handle");
  return *static_cast<at::Tensor*>(handle);
}

inline void* new_handle(at::Tensor tensor) { return new at::Tensor(std::move(tensor)); }

// Runs body; turns any exception into AVT_ERROR with "<context>: <reason>" as the last error.
// context is built lazily so that the success path pays nothing for it.
template <class Body, class Context>
int guarded(Context&& context, Body&& body) noexcept {
  try {
    body();
    return AVT_OK;
  } catch (const c10::Error& e) {
    try { set_last_error(context() + ": " + e.what_without_backtrace()); } catch (...) {}
  } catch (const std::exception& e) {
    try { set_last_error(context() + ": " + e.what()); } catch (...) {}
  } catch (...) {
    try { set_last_error(context() + ": unknown C++ exception"); } catch (...) {}
  }
  return AVT_ERROR;
}

}  // namespace avt
