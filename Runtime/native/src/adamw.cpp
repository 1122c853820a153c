// AdamW (Loshchilov & Hutter; PyTorch's torch.optim.AdamW update) fused into one call per step:
// one crossing of the boundary instead of ~8 boxed ops per parameter. Contiguous fp32 CPU parameters are
// updated in one pass over memory (the op sequence reads and writes each buffer several times and allocates
// two temporaries); anything else (CUDA, bf16, strided) takes that op sequence. The loop rounds exactly as
// libtorch's AVX2 kernels for that sequence do (lerp and addcmul fused-multiply-add there, nothing else), so
// both paths, and PyTorch's single-tensor AdamW, give the same bits; a test checks it on the machine it runs on.
#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>
#include <cmath>
#include "last_error.h"

namespace {

struct AdamWScalars {
  float decay, one_minus_beta1, beta2, one_minus_beta2, bias_correction2_sqrt, eps, neg_step_size;
};

// One pass per element; compiled for Haswell (AVX2 + FMA) and for the baseline, picked at load time.
__attribute__((target_clones("arch=haswell", "default")))
void adamw_span(float* __restrict param, const float* __restrict grad, float* __restrict exp_avg,
                float* __restrict exp_avg_sq, int64_t begin, int64_t end, AdamWScalars s) {
  for (int64_t i = begin; i < end; ++i) {
    const float g = grad[i];
    const float m = std::fma(s.one_minus_beta1, g - exp_avg[i], exp_avg[i]); // lerp_(grad, 1 - beta1): libtorch's kernel fuses this one
    const float v = std::fma(s.one_minus_beta2 * g, g, exp_avg_sq[i] * s.beta2);  // mul_(beta2).addcmul_(grad, grad, 1 - beta2), fused as there
    const float denom = std::sqrt(v) / s.bias_correction2_sqrt + s.eps;       // (v.sqrt() / bc2_sqrt).add_(eps)
    const float decayed = param[i] * s.decay;                                  // mul_(1 - lr * wd)
    param[i] = decayed + s.neg_step_size * m / denom;                          // addcdiv_(m, denom, -step_size)
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
  }
}

bool fusable(const at::Tensor& param, const at::Tensor& grad, const at::Tensor& m, const at::Tensor& v) {
  for (const at::Tensor* t : {&param, &grad, &m, &v})
    if (!t->device().is_cpu() || t->scalar_type() != at::kFloat || t->layout() != at::kStrided || !t->is_contiguous() ||
        t->numel() != param.numel())
      return false;
  return true;
}

}  // namespace

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
          if (fusable(param, grad, m, v)) {
            const AdamWScalars s{static_cast<float>(1.0 - group_lr * weight_decay[current]), static_cast<float>(1.0 - beta1),
                                 static_cast<float>(beta2), static_cast<float>(1.0 - beta2),
                                 static_cast<float>(bias_correction2_sqrt), static_cast<float>(eps),
                                 static_cast<float>(-step_size)};
            float* p = param.data_ptr<float>();
            const float* g = grad.data_ptr<float>();
            float* mp = m.data_ptr<float>();
            float* vp = v.data_ptr<float>();
            at::parallel_for(0, param.numel(), 1 << 15, [&](int64_t begin, int64_t end) { adamw_span(p, g, mp, vp, begin, end, s); });
            continue;
          }
          if (weight_decay[current] != 0.0) param.mul_(1.0 - group_lr * weight_decay[current]);
          m.lerp_(grad, 1.0 - beta1);
          v.mul_(beta2).addcmul_(grad, grad, 1.0 - beta2);
          at::Tensor denom = (v.sqrt() / bias_correction2_sqrt).add_(eps);
          param.addcdiv_(m, denom, -step_size);
        }
        current = -1;
      });
}
