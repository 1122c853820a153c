// AdamW (Loshchilov & Hutter; PyTorch's torch.optim.AdamW update) fused into one call per step:
// one crossing of the boundary instead of ~8 boxed ops per parameter.
#include <ATen/core/grad_mode.h>
#include <cmath>
#include "last_error.h"

AVT_EXPORT int avt_adamw_step(void* const* params, void* const* exp_avg, void* const* exp_avg_sq,
                              const double* weight_decay, const double* lr_scale, int32_t count, double lr,
                              double beta1, double beta2, double eps, int64_t step) {
  int32_t current = -1;
  return avt::guarded(
      [&] {
        std::string context = "adamw_step(lr=" + std::to_string(lr) + ", step=" + std::to_string(step);
        if (current >= 0) context += ", parameter " + std::to_string(current) + ": " + avt::describe(avt::tensor_ref(params[current]));
        return context + ")";
      },
      [&] {
        TORCH_CHECK(count == 0 || (params && exp_avg && exp_avg_sq && weight_decay), "null argument");
        TORCH_CHECK(step >= 1, "step counts from 1");
        at::NoGradGuard no_grad;
        const double bias_correction1 = 1.0 - std::pow(beta1, static_cast<double>(step));
        const double bias_correction2 = 1.0 - std::pow(beta2, static_cast<double>(step));
        const double bias_correction2_sqrt = std::sqrt(bias_correction2);
        for (current = 0; current < count; ++current) {
          at::Tensor& param = avt::tensor_ref(params[current]);
          const at::Tensor& grad = param.grad();
          if (!grad.defined()) continue;
          // Layer-wise LR decay scales the group's learning rate, weight decay included (as timm's param groups do).
          const double group_lr = lr * (lr_scale ? lr_scale[current] : 1.0);
          const double step_size = group_lr / bias_correction1;
          at::Tensor& m = avt::tensor_ref(exp_avg[current]);
          at::Tensor& v = avt::tensor_ref(exp_avg_sq[current]);
          if (weight_decay[current] != 0.0) param.mul_(1.0 - group_lr * weight_decay[current]);
          m.lerp_(grad, 1.0 - beta1);
          v.mul_(beta2).addcmul_(grad, grad, 1.0 - beta2);
          at::Tensor denom = (v.sqrt() / bias_correction2_sqrt).add_(eps);
          param.addcdiv_(m, denom, -step_size);
        }
        current = -1;
      });
}
