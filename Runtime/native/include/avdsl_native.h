// C ABI of libavdsl_native. Every function returns AVT_OK or AVT_ERROR (never throws); on error the
// message (operation, argument shapes, libtorch's reason without backtrace) is read with avt_last_error().
// Tensor handles are heap-allocated at::Tensor* owned by the caller and released with avt_tensor_free.
#pragma once
#include <stdint.h>

#if defined(_WIN32)
#define AVT_EXPORT extern "C" __declspec(dllexport)
#else
#define AVT_EXPORT extern "C" __attribute__((visibility("default")))
#endif

enum AvtStatus { AVT_OK = 0, AVT_ERROR = 1 };

// Tags of AvtValue; C# mirrors them in AvtTag.
enum AvtTag {
  AVT_NONE = 0,         // None (an absent optional)
  AVT_TENSOR = 1,       // p: at::Tensor*
  AVT_INT = 2,          // i
  AVT_DOUBLE = 3,       // d
  AVT_BOOL = 4,         // i (0 or 1)
  AVT_INT_LIST = 5,     // p: const int64_t[count]
  AVT_DOUBLE_LIST = 6,  // p: const double[count]
  AVT_TENSOR_LIST = 7,  // p: at::Tensor* const[count]; a null entry is None in a Tensor?[]
  AVT_STRING = 8,       // p: UTF-8 bytes, count of them (no terminator needed)
  AVT_SCALAR_TYPE = 9,  // i: c10::ScalarType code
  AVT_DEVICE = 10,      // i: c10::DeviceType code, count: device index (-1 = current)
  AVT_GENERATOR = 11,   // p: at::Generator* (from avt_generator_new)
};

// One boxed argument or result: 16 bytes, blittable.
typedef struct AvtValue {
  int32_t tag;
  int32_t count;
  union {
    int64_t i;
    double d;
    void* p;
  };
} AvtValue;

typedef struct AvtTensorMeta {
  int32_t dtype;          // c10::ScalarType code
  int32_t device_type;    // c10::DeviceType code
  int32_t device_index;
  int32_t ndim;
  int32_t requires_grad;
  int32_t is_leaf;
  int64_t numel;
} AvtTensorMeta;

AVT_EXPORT const char* avt_last_error(void);
AVT_EXPORT const char* avt_version(void);

// Boxed dispatcher: look an operator up once, call it many times. Missing trailing arguments take
// the schema's defaults; ints are widened to int[N] lists and doubles/ints to Scalars as the schema asks.
AVT_EXPORT int avt_op_find(const char* name, const char* overload, void** op);
AVT_EXPORT int avt_op_schema(void* op, char* buffer, int32_t capacity, int32_t* length);
AVT_EXPORT int avt_op_call(void* op, const AvtValue* args, int32_t nargs, AvtValue* outs, int32_t max_outs,
                           int32_t* nouts);

// Tensor data and metadata.
AVT_EXPORT int avt_tensor_from_buffer(const void* data, int64_t nbytes, int32_t dtype, const int64_t* shape,
                                      int32_t ndim, void** out);
AVT_EXPORT int avt_tensor_copy_to(void* tensor, void* destination, int64_t nbytes);
AVT_EXPORT int avt_tensor_meta(void* tensor, AvtTensorMeta* meta, int64_t* shape, int32_t max_dims);
AVT_EXPORT void avt_tensor_free(void* tensor);
// Replaces what `target` refers to by `source`'s tensor (Module.To swaps parameter storage this way).
AVT_EXPORT int avt_tensor_assign(void* target, void* source);

// Autograd.
AVT_EXPORT int avt_backward(void* tensor, void* gradient, int32_t retain_graph);
AVT_EXPORT int avt_grad_get(void* tensor, void** grad);
AVT_EXPORT int avt_grad_set(void* tensor, void* grad);
AVT_EXPORT int avt_grad_zero(void* tensor, int32_t set_to_none);
AVT_EXPORT int avt_requires_grad_set(void* tensor, int32_t requires_grad);
AVT_EXPORT int avt_grad_mode_set(int32_t enabled, int32_t* previous);
// torch.autograd.grad: results[i] receives a new handle (or null for an unused input with allow_unused).
AVT_EXPORT int avt_autograd_grad(void* const* outputs, int32_t noutputs, void* const* grad_outputs, void* const* inputs,
                                 int32_t ninputs, int32_t retain_graph, int32_t create_graph, int32_t allow_unused,
                                 void** results);

// Random number generation (the default CPU generator, and CUDA's through at::manual_seed).
AVT_EXPORT int avt_manual_seed(uint64_t seed);
AVT_EXPORT int avt_rng_state_get(void** state);
AVT_EXPORT int avt_rng_state_set(void* state);
// Generator objects (torch.Generator), passed to ops as AVT_GENERATOR values.
AVT_EXPORT int avt_generator_new(int32_t device_type, uint64_t seed, void** generator);
AVT_EXPORT void avt_generator_free(void* generator);
AVT_EXPORT int avt_generator_seed(void* generator, uint64_t seed);
AVT_EXPORT int avt_generator_state_get(void* generator, void** state);
AVT_EXPORT int avt_generator_state_set(void* generator, void* state);

// Autocast (torch.autocast) on cpu or cuda with a dtype (bf16); exit restores what enter reported.
AVT_EXPORT int avt_autocast_enter(int32_t device_type, int32_t dtype, int32_t* previous_enabled, int32_t* previous_dtype);
AVT_EXPORT int avt_autocast_exit(int32_t device_type, int32_t previous_enabled, int32_t previous_dtype);

// c10d: a TCPStore rendezvous and a Gloo process group over it (src/distributed.cpp). Collectives block.
AVT_EXPORT int avt_store_new(const char* host, int32_t port, int32_t is_server, int32_t world_size, int64_t timeout_ms, void** store);
AVT_EXPORT void avt_store_free(void* store);
AVT_EXPORT int avt_store_set(void* store, const char* key, const uint8_t* value, int64_t length);
AVT_EXPORT int avt_store_get(void* store, const char* key, uint8_t* buffer, int64_t capacity, int64_t* length);
AVT_EXPORT int avt_store_add(void* store, const char* key, int64_t delta, int64_t* value);
AVT_EXPORT int avt_process_group_gloo_new(void* store, int32_t rank, int32_t size, const char* hostname, int32_t threads,
                                          int64_t timeout_ms, void** group);
AVT_EXPORT void avt_process_group_free(void* group);
AVT_EXPORT int avt_process_group_allreduce_sum(void* group, void* const* tensors, int32_t count);
AVT_EXPORT int avt_process_group_broadcast(void* group, void* const* tensors, int32_t count, int32_t root);
AVT_EXPORT int avt_process_group_barrier(void* group);

// Gradient buckets averaged over a process group while backward runs (DDP's Reducer on autograd post-hooks;
// src/reducer.cpp). Buckets are lists of indices into params, given flat with their sizes, in launch order.
AVT_EXPORT int avt_reducer_new(void* group, void* const* params, int32_t count, const int32_t* bucket_indices,
                               const int32_t* bucket_sizes, int32_t bucket_count, void** reducer);
AVT_EXPORT void avt_reducer_free(void* reducer);
AVT_EXPORT int avt_reducer_prepare(void* reducer);
AVT_EXPORT int avt_reducer_finalize(void* reducer, int32_t* overlapped);

// Threads and devices.
AVT_EXPORT int avt_threads_set(int32_t count);
AVT_EXPORT int avt_threads_get(int32_t* count);
AVT_EXPORT int avt_cuda_device_count(int32_t* count);

// Fused AdamW (decoupled weight decay) over `count` parameters; parameters without a gradient are skipped.
// lr_scale (may be null = all 1) multiplies lr per parameter: layer-wise LR decay.
AVT_EXPORT int avt_adamw_step(void* const* params, void* const* exp_avg, void* const* exp_avg_sq,
                              const double* weight_decay, const double* lr_scale, int32_t count, double lr,
                              double beta1, double beta2, double eps, int64_t step);

// Fused EMA: targets[i] = decay * targets[i] + (1 - decay) * sources[i], outside autograd.
AVT_EXPORT int avt_ema_step(void* const* targets, void* const* sources, int32_t count, double decay);
