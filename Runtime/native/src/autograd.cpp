// Autograd entry points: backward, .grad, requires_grad and the thread-local grad mode.
#include <ATen/core/grad_mode.h>
#include <torch/csrc/autograd/autograd.h>
#include "last_error.h"

namespace {
std::string on(const char* what, void* handle) {
  return std::string(what) + "(" + (handle ? avt::describe(avt::tensor_ref(handle)) : std::string("null")) + ")";
}
}  // namespace

AVT_EXPORT int avt_backward(void* tensor, void* gradient, int32_t retain_graph) {
  return avt::guarded([&] { return on("backward", tensor); }, [&] {
    const at::Tensor& self = avt::tensor_ref(tensor);
    at::Tensor grad = gradient ? avt::tensor_ref(gradient) : at::Tensor();
    self.backward(grad, retain_graph ? c10::optional<bool>(true) : c10::nullopt);
  });
}

AVT_EXPORT int avt_grad_get(void* tensor, void** grad) {
  return avt::guarded([&] { return on("grad", tensor); }, [&] {
    TORCH_CHECK(grad, "null argument");
    const at::Tensor& g = avt::tensor_ref(tensor).grad();
    *grad = g.defined() ? avt::new_handle(g) : nullptr;
  });
}

AVT_EXPORT int avt_grad_set(void* tensor, void* grad) {
  return avt::guarded([&] { return on("set_grad", tensor); }, [&] {
    at::Tensor& self = avt::tensor_ref(tensor);
    if (grad) {
      const at::Tensor& g = avt::tensor_ref(grad);
      TORCH_CHECK(g.sizes() == self.sizes(), "gradient ", avt::describe(g), " does not match the tensor's shape");
      self.mutable_grad() = g;
    } else {
      self.mutable_grad().reset();
    }
  });
}

AVT_EXPORT int avt_grad_zero(void* tensor, int32_t set_to_none) {
  return avt::guarded([&] { return on("zero_grad", tensor); }, [&] {
    at::Tensor& grad = avt::tensor_ref(tensor).mutable_grad();
    if (!grad.defined()) return;
    if (set_to_none) {
      grad.reset();
    } else {
      at::NoGradGuard no_grad;
      grad.zero_();
    }
  });
}

AVT_EXPORT int avt_requires_grad_set(void* tensor, int32_t requires_grad) {
  return avt::guarded([&] { return on("requires_grad_", tensor); }, [&] {
    avt::tensor_ref(tensor).set_requires_grad(requires_grad != 0);
  });
}

AVT_EXPORT int avt_grad_mode_set(int32_t enabled, int32_t* previous) {
  return avt::guarded([] { return std::string("set_grad_enabled"); }, [&] {
    if (previous) *previous = c10::GradMode::is_enabled() ? 1 : 0;
    c10::GradMode::set_enabled(enabled != 0);
  });
}

// torch.autograd.grad: gradients of `outputs` (weighted by `grad_outputs`, null entries = ones) with respect
// to `inputs`, returned instead of accumulated into .grad. A null result means the input was unused
// (only with allow_unused). create_graph keeps the graph of the gradients for higher-order derivatives.
AVT_EXPORT int avt_autograd_grad(void* const* outputs, int32_t noutputs, void* const* grad_outputs, void* const* inputs,
                                 int32_t ninputs, int32_t retain_graph, int32_t create_graph, int32_t allow_unused,
                                 void** results) {
  return avt::guarded(
      [&] {
        std::string text = "autograd.grad(outputs=[";
        for (int32_t i = 0; outputs && i < noutputs; ++i)
          text += (i ? ", " : "") + (outputs[i] ? avt::describe(avt::tensor_ref(outputs[i])) : std::string("null"));
        text += "], inputs=[";
        for (int32_t i = 0; inputs && i < ninputs; ++i)
          text += (i ? ", " : "") + (inputs[i] ? avt::describe(avt::tensor_ref(inputs[i])) : std::string("null"));
        return text + "])";
      },
      [&] {
        TORCH_CHECK(outputs && inputs && results && noutputs > 0 && ninputs > 0, "null or empty argument");
        std::vector<at::Tensor> outs, grads, ins;
        for (int32_t i = 0; i < noutputs; ++i) {
          outs.push_back(avt::tensor_ref(outputs[i]));
          grads.push_back(grad_outputs && grad_outputs[i] ? avt::tensor_ref(grad_outputs[i]) : at::Tensor());
        }
        for (int32_t i = 0; i < ninputs; ++i) ins.push_back(avt::tensor_ref(inputs[i]));
        auto computed = torch::autograd::grad(outs, ins, grads,
                                              retain_graph ? c10::optional<bool>(true) : c10::optional<bool>(create_graph != 0),
                                              create_graph != 0, allow_unused != 0);
        for (int32_t i = 0; i < ninputs; ++i)
          results[i] = computed[i].defined() ? avt::new_handle(computed[i]) : nullptr;
      });
}
