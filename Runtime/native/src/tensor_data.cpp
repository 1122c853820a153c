// Moving tensor data across the boundary, and the metadata C# asks for.
#include <cstring>
#include <sstream>
#include "last_error.h"

namespace {
std::string shape_text(const int64_t* shape, int32_t ndim) {
  std::ostringstream out;
  out << "[";
  for (int32_t i = 0; shape && i < ndim; ++i) out << (i ? ", " : "") << shape[i];
  out << "]";
  return out.str();
}
}  // namespace

AVT_EXPORT int avt_tensor_from_buffer(const void* data, int64_t nbytes, int32_t dtype, const int64_t* shape,
                                      int32_t ndim, void** out) {
  return avt::guarded(
      [&] {
        return std::string("tensor_from_buffer(") + avt::dtype_name(static_cast<at::ScalarType>(dtype)) +
               shape_text(shape, ndim) + ", " + std::to_string(nbytes) + " bytes)";
      },
      [&] {
        TORCH_CHECK(out && (ndim == 0 || shape), "null argument");
        TORCH_CHECK(ndim >= 0, "negative rank");
        std::vector<int64_t> sizes(shape, shape + ndim);
        auto options = at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype));
        at::Tensor tensor = at::empty(sizes, options);
        const int64_t expected = tensor.numel() * static_cast<int64_t>(tensor.element_size());
        TORCH_CHECK(nbytes == expected, "the shape needs ", expected, " bytes");
        TORCH_CHECK(expected == 0 || data, "null data");
        if (expected > 0) std::memcpy(tensor.data_ptr(), data, static_cast<size_t>(expected));
        *out = avt::new_handle(std::move(tensor));
      });
}

AVT_EXPORT int avt_tensor_copy_to(void* handle, void* destination, int64_t nbytes) {
  return avt::guarded(
      [&] {
        return "tensor_copy_to(" + (handle ? avt::describe(avt::tensor_ref(handle)) : std::string("null")) + ", " +
               std::to_string(nbytes) + " bytes)";
      },
      [&] {
        at::Tensor tensor = avt::tensor_ref(handle).detach().to(at::kCPU).contiguous();
        const int64_t size = tensor.numel() * static_cast<int64_t>(tensor.element_size());
        TORCH_CHECK(nbytes == size, "the tensor holds ", size, " bytes");
        TORCH_CHECK(size == 0 || destination, "null destination");
        if (size > 0) std::memcpy(destination, tensor.data_ptr(), static_cast<size_t>(size));
      });
}

AVT_EXPORT int avt_tensor_meta(void* handle, AvtTensorMeta* meta, int64_t* shape, int32_t max_dims) {
  return avt::guarded([] { return std::string("tensor_meta"); }, [&] {
    TORCH_CHECK(meta, "null argument");
    const at::Tensor& tensor = avt::tensor_ref(handle);
    TORCH_CHECK(tensor.defined(), "undefined tensor");
    meta->dtype = static_cast<int32_t>(tensor.scalar_type());
    meta->device_type = static_cast<int32_t>(tensor.device().type());
    meta->device_index = tensor.device().index();
    meta->ndim = static_cast<int32_t>(tensor.dim());
    meta->requires_grad = tensor.requires_grad() ? 1 : 0;
    meta->is_leaf = tensor.is_leaf() ? 1 : 0;
    meta->numel = tensor.numel();
    auto sizes = tensor.sizes();
    for (int32_t i = 0; shape && i < max_dims && i < meta->ndim; ++i) shape[i] = sizes[i];
  });
}

AVT_EXPORT void avt_tensor_free(void* handle) {
  try {
    delete static_cast<at::Tensor*>(handle);
  } catch (...) {
    // A destructor that throws has nowhere to report to; the memory is gone either way.
  }
}

AVT_EXPORT int avt_tensor_assign(void* target, void* source) {
  return avt::guarded([] { return std::string("tensor_assign"); }, [&] {
    avt::tensor_ref(target) = avt::tensor_ref(source);
  });
}
