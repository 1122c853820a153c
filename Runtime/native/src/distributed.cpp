// c10d for data-parallel training: a TCPStore for the rendezvous and a ProcessGroupGloo over it (NCCL is the same
// ProcessGroup API on a CUDA libtorch). Collectives block until done; a dead peer or a timeout comes back as an error.
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <chrono>
#include "last_error.h"

namespace {
using Store = c10::intrusive_ptr<c10d::Store>;
using Group = c10::intrusive_ptr<c10d::ProcessGroup>;

Store& store_ref(void* handle) {
  TORCH_CHECK(handle != nullptr, "null store handle");
  return *static_cast<Store*>(handle);
}

Group& group_ref(void* handle) {
  TORCH_CHECK(handle != nullptr, "null process group handle");
  return *static_cast<Group*>(handle);
}

std::vector<at::Tensor> tensors_of(void* const* tensors, int32_t count) {
  TORCH_CHECK(count >= 0 && (count == 0 || tensors), "null tensor list");
  std::vector<at::Tensor> list;
  list.reserve(count);
  for (int32_t i = 0; i < count; ++i) list.push_back(avt::tensor_ref(tensors[i]));
  return list;
}
}  // namespace

AVT_EXPORT int avt_store_new(const char* host, int32_t port, int32_t is_server, int32_t world_size, int64_t timeout_ms,
                             void** store) {
  return avt::guarded(
      [&] { return std::string("TCPStore(") + (host ? host : "null") + ":" + std::to_string(port) + ")"; },
      [&] {
        TORCH_CHECK(host && store, "null argument");
        TORCH_CHECK(port > 0 && port < 65536, "port must be in 1..65535");
        c10d::TCPStoreOptions options;
        options.port = static_cast<std::uint16_t>(port);
        options.isServer = is_server != 0;
        options.numWorkers = static_cast<std::size_t>(world_size);
        options.waitWorkers = false;  // the process group's own rendezvous waits for every rank
        options.timeout = std::chrono::milliseconds(timeout_ms);
        *store = new Store(c10::make_intrusive<c10d::TCPStore>(host, options));
      });
}

AVT_EXPORT void avt_store_free(void* store) {
  try {
    delete static_cast<Store*>(store);
  } catch (...) {
  }
}

AVT_EXPORT int avt_store_set(void* store, const char* key, const uint8_t* value, int64_t length) {
  return avt::guarded([&] { return std::string("store.set(") + (key ? key : "null") + ")"; }, [&] {
    TORCH_CHECK(key && (length == 0 || value), "null argument");
    store_ref(store)->set(key, std::vector<uint8_t>(value, value + length));
  });
}

// Waits for the key (up to the store's timeout); writes at most capacity bytes and reports the full length.
AVT_EXPORT int avt_store_get(void* store, const char* key, uint8_t* buffer, int64_t capacity, int64_t* length) {
  return avt::guarded([&] { return std::string("store.get(") + (key ? key : "null") + ")"; }, [&] {
    TORCH_CHECK(key && length && (capacity == 0 || buffer), "null argument");
    const auto value = store_ref(store)->get(key);
    *length = static_cast<int64_t>(value.size());
    std::copy_n(value.begin(), std::min<int64_t>(capacity, *length), buffer);
  });
}

AVT_EXPORT int avt_store_add(void* store, const char* key, int64_t delta, int64_t* value) {
  return avt::guarded([&] { return std::string("store.add(") + (key ? key : "null") + ")"; }, [&] {
    TORCH_CHECK(key && value, "null argument");
    *value = store_ref(store)->add(key, delta);
  });
}

AVT_EXPORT int avt_process_group_gloo_new(void* store, int32_t rank, int32_t size, const char* hostname, int32_t threads,
                                          int64_t timeout_ms, void** group) {
  return avt::guarded([&] { return "ProcessGroupGloo(rank " + std::to_string(rank) + " of " + std::to_string(size) + ")"; }, [&] {
    TORCH_CHECK(group && hostname, "null argument");
    TORCH_CHECK(size >= 1 && rank >= 0 && rank < size, "rank must be in 0..size-1");
    auto options = c10d::ProcessGroupGloo::Options::create(std::chrono::milliseconds(timeout_ms));
    // Only Python's binding fills these: one device on the given address (none: this host's name, else loopback, as
    // torch.distributed does by default), and the worker threads.
    options->devices.push_back(*hostname ? c10d::ProcessGroupGloo::createDeviceForHostname(hostname)
                                         : c10d::ProcessGroupGloo::createDefaultDevice());
    options->threads = threads > 0 ? threads : 2;
    *group = new Group(c10::make_intrusive<c10d::ProcessGroupGloo>(store_ref(store), rank, size, options));
  });
}

AVT_EXPORT void avt_process_group_free(void* group) {
  try {
    delete static_cast<Group*>(group);
  } catch (...) {
  }
}

// Sums each tensor over all ranks, in place (Gloo has no AVG: divide afterwards). c10d reads a list as one tensor on
// several devices, so each tensor is its own collective; a bucket is one flat tensor.
AVT_EXPORT int avt_process_group_allreduce_sum(void* group, void* const* tensors, int32_t count) {
  return avt::guarded([&] { return "allreduce(" + std::to_string(count) + " tensors)"; }, [&] {
    auto list = tensors_of(tensors, count);
    for (auto& tensor : list) {
      std::vector<at::Tensor> one{tensor};
      c10d::AllreduceOptions options;
      options.reduceOp = c10d::ReduceOp::SUM;
      group_ref(group)->allreduce(one, options)->wait();
    }
  });
}

// Every rank's tensors become root's, in place.
AVT_EXPORT int avt_process_group_broadcast(void* group, void* const* tensors, int32_t count, int32_t root) {
  return avt::guarded([&] { return "broadcast(" + std::to_string(count) + " tensors from rank " + std::to_string(root) + ")"; }, [&] {
    auto list = tensors_of(tensors, count);
    for (auto& tensor : list) {
      std::vector<at::Tensor> one{tensor};  // as allreduce: a list would be one tensor on several devices
      c10d::BroadcastOptions options;
      options.rootRank = root;
      group_ref(group)->broadcast(one, options)->wait();
    }
  });
}

AVT_EXPORT int avt_process_group_barrier(void* group) {
  return avt::guarded([&] { return std::string("barrier"); }, [&] { group_ref(group)->barrier()->wait(); });
}
