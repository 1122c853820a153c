// Gradient buckets summed over a process group while backward still runs — what DDP's c10d::Reducer does, rebuilt on
// the public autograd hooks because Debian's headers cannot build the Reducer. A post-hook on each parameter's grad
// accumulator marks it ready; a bucket whose parameters are all ready is copied into its flat buffer and its
// all-reduce started, strictly in bucket order so that every rank issues the same collectives in the same order.
// finalize starts whatever backward did not finish (a parameter without a gradient counts as zeros), waits, divides by
// the group's size and writes the averages back into the gradients.
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/utils/lambda_post_hook.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <mutex>
#include "last_error.h"

namespace {
using Group = c10::intrusive_ptr<c10d::ProcessGroup>;

class Reducer {
 public:
  Reducer(Group group, std::vector<at::Tensor> params, std::vector<std::vector<int32_t>> buckets)
      : group_(std::move(group)), params_(std::move(params)), buckets_(std::move(buckets)) {
    bucket_of_.assign(params_.size(), -1);
    offset_of_.assign(params_.size(), 0);
    for (size_t b = 0; b < buckets_.size(); ++b) {
      TORCH_CHECK(!buckets_[b].empty(), "bucket ", b, " is empty");
      int64_t offset = 0;
      for (auto index : buckets_[b]) {
        TORCH_CHECK(index >= 0 && static_cast<size_t>(index) < params_.size(), "bucket ", b, " names parameter ", index,
                    " of ", params_.size());
        TORCH_CHECK(bucket_of_[index] < 0, "parameter ", index, " is in two buckets");
        const auto& param = params_[index];
        TORCH_CHECK(param.requires_grad() && param.is_leaf(), "parameter ", index, " is not a leaf that requires grad");
        TORCH_CHECK(param.scalar_type() == params_[buckets_[b][0]].scalar_type(), "bucket ", b, " mixes dtypes");
        bucket_of_[index] = static_cast<int32_t>(b);
        offset_of_[index] = offset;
        offset += param.numel();
      }
      flat_.push_back(at::empty({offset}, params_[buckets_[b][0]].options()));
    }
    for (size_t i = 0; i < params_.size(); ++i)
      TORCH_CHECK(bucket_of_[i] >= 0, "parameter ", i, " is in no bucket");
    work_.resize(buckets_.size());
    pending_.resize(buckets_.size());
    ready_.resize(params_.size());
    // The accumulators are held: a parameter's autograd meta keeps only a weak pointer, and a new accumulator would
    // have lost the hook.
    for (size_t i = 0; i < params_.size(); ++i) {
      auto accumulator = torch::autograd::impl::grad_accumulator(params_[i]);
      const auto index = static_cast<int32_t>(i);
      hooks_.push_back(accumulator->add_post_hook(std::make_unique<torch::autograd::utils::LambdaPostHook>(
          [this, index](const torch::autograd::variable_list& outputs, const torch::autograd::variable_list&) {
            ready(index);
            return outputs;
          })));
      accumulators_.push_back(std::move(accumulator));
    }
    reset();
  }

  ~Reducer() {
    for (size_t i = 0; i < accumulators_.size(); ++i) accumulators_[i]->del_post_hook(hooks_[i]);
    // A started collective still writes into flat_: let it end before the buffers go.
    for (auto& work : work_) {
      if (!work) continue;
      try {
        work->wait();
      } catch (...) {
      }
    }
  }

  void prepare() {
    std::lock_guard<std::mutex> lock(mutex_);
    TORCH_CHECK(!armed_, "prepare_for_backward twice without finalize in between");
    reset();
    armed_ = true;
  }

  // Returns how many buckets backward had already started.
  int32_t finalize() {
    std::unique_lock<std::mutex> lock(mutex_);
    const auto early = static_cast<int32_t>(next_);
    armed_ = false;
    if (!error_.empty()) {
      auto message = std::move(error_);
      wait_all();
      reset();
      TORCH_CHECK(false, message);
    }
    while (next_ < buckets_.size()) launch(next_++);
    wait_all();
    at::NoGradGuard no_grad;
    const double size = group_->getSize();
    for (size_t b = 0; b < buckets_.size(); ++b) {
      flat_[b].div_(size);
      for (auto index : buckets_[b]) {
        auto& param = params_[index];
        auto& grad = param.mutable_grad();
        if (!grad.defined()) grad = at::zeros_like(param);
        grad.copy_(flat_[b].narrow(0, offset_of_[index], param.numel()).view(param.sizes()));
      }
    }
    reset();
    return early;
  }

 private:
  // Runs on the autograd engine's thread, once per parameter per backward.
  void ready(int32_t index) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!armed_ || !error_.empty()) return;
    if (ready_[index]) {
      error_ = "parameter " + std::to_string(index) +
               " received a gradient twice in one step (two backward passes through it before the gradients were "
               "averaged); average after each backward, or sum the losses and call backward once";
      return;
    }
    ready_[index] = 1;
    if (--pending_[bucket_of_[index]] > 0) return;
    while (next_ < buckets_.size() && pending_[next_] == 0) launch(next_++);
  }

  void launch(size_t b) {
    at::NoGradGuard no_grad;
    for (auto index : buckets_[b]) {
      const auto& param = params_[index];
      auto slot = flat_[b].narrow(0, offset_of_[index], param.numel());
      const auto& grad = param.grad();
      if (grad.defined())
        slot.view(param.sizes()).copy_(grad);
      else
        slot.zero_();
    }
    std::vector<at::Tensor> one{flat_[b]};
    c10d::AllreduceOptions options;
    options.reduceOp = c10d::ReduceOp::SUM;
    work_[b] = group_->allreduce(one, options);
  }

  void wait_all() {
    for (auto& work : work_) {
      if (!work) continue;
      auto started = std::move(work);
      work.reset();
      started->wait();
    }
  }

  void reset() {
    next_ = 0;
    std::fill(ready_.begin(), ready_.end(), 0);
    for (size_t b = 0; b < buckets_.size(); ++b) pending_[b] = static_cast<int32_t>(buckets_[b].size());
  }

  Group group_;
  std::vector<at::Tensor> params_;
  std::vector<std::vector<int32_t>> buckets_;
  std::vector<int32_t> bucket_of_;
  std::vector<int64_t> offset_of_;
  std::vector<at::Tensor> flat_;
  std::vector<c10::intrusive_ptr<c10d::Work>> work_;
  std::vector<int32_t> pending_;
  std::vector<char> ready_;
  std::vector<std::shared_ptr<torch::autograd::Node>> accumulators_;
  std::vector<uintptr_t> hooks_;
  std::mutex mutex_;
  size_t next_ = 0;
  bool armed_ = false;
  std::string error_;
};

Reducer& reducer_ref(void* handle) {
  TORCH_CHECK(handle != nullptr, "null reducer handle");
  return *static_cast<Reducer*>(handle);
}
}  // namespace

AVT_EXPORT int avt_reducer_new(void* group, void* const* params, int32_t count, const int32_t* bucket_indices,
                               const int32_t* bucket_sizes, int32_t bucket_count, void** reducer) {
  return avt::guarded([&] { return "Reducer(" + std::to_string(count) + " parameters, " + std::to_string(bucket_count) + " buckets)"; }, [&] {
    TORCH_CHECK(group && reducer && (count == 0 || params) && (bucket_count == 0 || (bucket_indices && bucket_sizes)),
                "null argument");
    std::vector<at::Tensor> list;
    for (int32_t i = 0; i < count; ++i) list.push_back(avt::tensor_ref(params[i]));
    std::vector<std::vector<int32_t>> buckets;
    for (int32_t b = 0, at = 0; b < bucket_count; at += bucket_sizes[b++])
      buckets.emplace_back(bucket_indices + at, bucket_indices + at + bucket_sizes[b]);
    *reducer = new Reducer(*static_cast<Group*>(group), std::move(list), std::move(buckets));
  });
}

AVT_EXPORT void avt_reducer_free(void* reducer) {
  try {
    delete static_cast<Reducer*>(reducer);
  } catch (...) {
  }
}

AVT_EXPORT int avt_reducer_prepare(void* reducer) {
  return avt::guarded([&] { return std::string("Reducer.prepare_for_backward"); }, [&] { reducer_ref(reducer).prepare(); });
}

AVT_EXPORT int avt_reducer_finalize(void* reducer, int32_t* overlapped) {
  return avt::guarded([&] { return std::string("Reducer.finalize"); }, [&] {
    TORCH_CHECK(overlapped, "null argument");
    *overlapped = reducer_ref(reducer).finalize();
  });
}
