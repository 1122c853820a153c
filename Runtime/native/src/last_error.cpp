#include "last_error.h"
#include <sstream>

namespace {
thread_local std::string last_error_message;
}

namespace avt {

void set_last_error(std::string message) { last_error_message = std::move(message); }

const char* dtype_name(at::ScalarType type) {
  switch (type) {
    case at::kFloat: return "Float32";
    case at::kDouble: return "Float64";
    case at::kHalf: return "Float16";
    case at::kBFloat16: return "BFloat16";
    case at::kLong: return "Int64";
    case at::kInt: return "Int32";
    case at::kShort: return "Int16";
    case at::kChar: return "Int8";
    case at::kByte: return "UInt8";
    case at::kBool: return "Bool";
    default: return c10::toString(type);
  }
}

std::string describe(const at::Tensor& tensor) {
  if (!tensor.defined()) return "undefined";
  std::ostringstream out;
  out << dtype_name(tensor.scalar_type()) << "[";
  auto sizes = tensor.sizes();
  for (size_t i = 0; i < sizes.size(); ++i) out << (i ? ", " : "") << sizes[i];
  out << "]";
  if (!tensor.device().is_cpu()) out << " on " << tensor.device();
  return out.str();
}

}  // namespace avt

AVT_EXPORT const char* avt_last_error(void) { return last_error_message.c_str(); }
