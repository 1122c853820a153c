// The EMA teacher update target = decay * target + (1 - decay) * source over every tensor pair in one call
// (data2vec / EAT): one crossing instead of one boxed lerp_ per parameter.
#include <ATen/core/grad_mode.h>
#include "last_error.h"

AVT_EXPORT int avt_ema_step(void* const* targets, void* const* sources, int32_t count, double decay) {
  int32_t current = -1;
  return avt::guarded(
      [&] {
        std::string context = "ema_step(decay=" + std::to_string(decay);
        if (current >= 0)
          context += ", pair " + std::to_string(current) + ": " + avt::describe(avt::tensor_ref(targets[current])) + " <- " +
                     avt::describe(avt::tensor_ref(sources[current]));
        return context + ")";
      },
      [&] {
        TORCH_CHECK(count == 0 || (targets && sources), "null argument");
        TORCH_CHECK(decay >= 0.0 && decay <= 1.0, "decay must be in [0, 1]");
        at::NoGradGuard no_grad;
        for (current = 0; current < count; ++current) {
          at::Tensor& target = avt::tensor_ref(targets[current]);
          const at::Tensor& source = avt::tensor_ref(sources[current]);
          TORCH_CHECK(target.sizes() == source.sizes(), "shapes differ");
          if (target.is_floating_point())
            target.lerp_(source.to(target.scalar_type()), 1.0 - decay);
          else
            target.copy_(source);  // integer buffers (counters, indices) follow the student exactly
        }
        current = -1;
      });
}
