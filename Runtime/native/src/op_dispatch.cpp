// The boxed-dispatcher core: C# looks an operator up by schema name once and calls it with a stack of
// AvtValues. Conversion to IValues is driven by the operator's schema, so the C# side passes plain
// ints, doubles and lists and the shim widens them to what the schema declares.
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/jit_type.h>
#include <algorithm>
#include <cstring>
#include <sstream>
#include <vector>
#include "last_error.h"

namespace {

struct Operator {
  c10::OperatorHandle handle;
  std::string name;
};

c10::TypePtr without_optional(const c10::TypePtr& type) {
  if (auto optional = type->cast<c10::OptionalType>()) return optional->getElementType();
  return type;
}

bool is_int_kind(c10::TypeKind kind) {
  return kind == c10::TypeKind::IntType || kind == c10::TypeKind::SymIntType;
}

std::string describe_value(const AvtValue& value) {
  std::ostringstream out;
  switch (value.tag) {
    case AVT_NONE: out << "None"; break;
    case AVT_TENSOR: out << (value.p ? avt::describe(*static_cast<at::Tensor*>(value.p)) : "null"); break;
    case AVT_INT: out << value.i; break;
    case AVT_DOUBLE: out << value.d; break;
    case AVT_BOOL: out << (value.i ? "true" : "false"); break;
    case AVT_INT_LIST: {
      auto data = static_cast<const int64_t*>(value.p);
      out << "[";
      for (int i = 0; i < value.count; ++i) out << (i ? ", " : "") << data[i];
      out << "]";
      break;
    }
    case AVT_DOUBLE_LIST: {
      auto data = static_cast<const double*>(value.p);
      out << "[";
      for (int i = 0; i < value.count; ++i) out << (i ? ", " : "") << data[i];
      out << "]";
      break;
    }
    case AVT_TENSOR_LIST: {
      auto data = static_cast<void* const*>(value.p);
      out << "[";
      for (int i = 0; i < value.count; ++i)
        out << (i ? ", " : "") << (data[i] ? avt::describe(*static_cast<at::Tensor*>(data[i])) : "None");
      out << "]";
      break;
    }
    case AVT_STRING: out << "'" << std::string(static_cast<const char*>(value.p), value.count) << "'"; break;
    case AVT_SCALAR_TYPE: out << avt::dtype_name(static_cast<at::ScalarType>(value.i)); break;
    case AVT_DEVICE: out << c10::Device(static_cast<c10::DeviceType>(value.i), static_cast<c10::DeviceIndex>(value.count)); break;
    case AVT_GENERATOR: out << "Generator"; break;
    default: out << "<tag " << value.tag << ">"; break;
  }
  return out.str();
}

std::string describe_call(const Operator& op, const AvtValue* args, int32_t nargs) {
  const auto& schema_args = op.handle.schema().arguments();
  std::ostringstream out;
  out << op.name << "(";
  for (int32_t i = 0; i < nargs; ++i) {
    if (i) out << ", ";
    if (static_cast<size_t>(i) < schema_args.size()) out << schema_args[i].name() << ": ";
    out << describe_value(args[i]);
  }
  out << ")";
  return out.str();
}

c10::IValue repeated_int(int64_t value, const c10::Argument& argument) {
  // int[2] stride=1 style arguments: a single int means "the same in every dimension".
  size_t n = argument.N() ? static_cast<size_t>(*argument.N()) : 1;
  return c10::IValue(std::vector<int64_t>(n, value));
}

c10::IValue to_ivalue(const AvtValue& value, const c10::Argument& argument) {
  const c10::TypePtr& declared = argument.type();
  const c10::TypePtr type = without_optional(declared);
  const auto list = type->cast<c10::ListType>();
  const c10::TypeKind element_kind = list ? without_optional(list->getElementType())->kind() : c10::TypeKind::AnyType;
  switch (value.tag) {
    case AVT_NONE:
      if (declared->kind() == c10::TypeKind::OptionalType) return c10::IValue();
      TORCH_CHECK(argument.default_value().has_value(), "argument '", argument.name(), "' may not be None");
      return *argument.default_value();
    case AVT_TENSOR:
      return c10::IValue(avt::tensor_ref(value.p));
    case AVT_INT:
      if (list && is_int_kind(element_kind)) return repeated_int(value.i, argument);
      if (type->kind() == c10::TypeKind::FloatType) return c10::IValue(static_cast<double>(value.i));
      return c10::IValue(static_cast<int64_t>(value.i));
    case AVT_DOUBLE:
      TORCH_CHECK(!is_int_kind(type->kind()), "argument '", argument.name(), "' is an int, got ", value.d);
      if (list && element_kind == c10::TypeKind::FloatType) {
        size_t n = argument.N() ? static_cast<size_t>(*argument.N()) : 1;
        return c10::IValue(std::vector<double>(n, value.d));
      }
      return c10::IValue(value.d);
    case AVT_BOOL:
      return c10::IValue(value.i != 0);
    case AVT_INT_LIST: {
      auto data = static_cast<const int64_t*>(value.p);
      if (list && element_kind == c10::TypeKind::FloatType) return c10::IValue(std::vector<double>(data, data + value.count));
      return c10::IValue(std::vector<int64_t>(data, data + value.count));
    }
    case AVT_DOUBLE_LIST: {
      auto data = static_cast<const double*>(value.p);
      return c10::IValue(std::vector<double>(data, data + value.count));
    }
    case AVT_TENSOR_LIST: {
      auto data = static_cast<void* const*>(value.p);
      const bool optional_elements =
          list && list->getElementType()->kind() == c10::TypeKind::OptionalType;
      if (optional_elements) {
        c10::List<c10::optional<at::Tensor>> tensors;
        tensors.reserve(value.count);
        for (int32_t i = 0; i < value.count; ++i)
          tensors.push_back(data[i] ? c10::optional<at::Tensor>(avt::tensor_ref(data[i])) : c10::nullopt);
        return c10::IValue(std::move(tensors));
      }
      std::vector<at::Tensor> tensors;
      tensors.reserve(value.count);
      for (int32_t i = 0; i < value.count; ++i) {
        TORCH_CHECK(data[i] != nullptr, "argument '", argument.name(), "' element ", i, " is None");
        tensors.push_back(avt::tensor_ref(data[i]));
      }
      return c10::IValue(std::move(tensors));
    }
    case AVT_STRING:
      return c10::IValue(std::string(static_cast<const char*>(value.p), value.count));
    case AVT_SCALAR_TYPE:
      return c10::IValue(static_cast<at::ScalarType>(value.i));
    case AVT_GENERATOR:
      TORCH_CHECK(value.p != nullptr, "argument '", argument.name(), "' is a null generator");
      return c10::IValue(*static_cast<at::Generator*>(value.p));
    case AVT_DEVICE:
      return c10::IValue(c10::Device(static_cast<c10::DeviceType>(value.i), static_cast<c10::DeviceIndex>(value.count)));
    default:
      TORCH_CHECK(false, "argument '", argument.name(), "' has unknown tag ", value.tag);
  }
}

void free_outputs(AvtValue* outs, int32_t n) {
  for (int32_t i = 0; i < n; ++i)
    if (outs[i].tag == AVT_TENSOR) delete static_cast<at::Tensor*>(outs[i].p);
}

void push_output(const c10::IValue& value, AvtValue* outs, int32_t max_outs, int32_t& n) {
  auto next = [&]() -> AvtValue& {
    TORCH_CHECK(n < max_outs, "returned more than ", max_outs, " values");
    AvtValue& slot = outs[n++];
    slot.tag = AVT_NONE;
    slot.count = 0;
    slot.i = 0;
    return slot;
  };
  if (value.isTensor()) {
    const at::Tensor& tensor = value.toTensor();
    AvtValue& slot = next();
    if (tensor.defined()) {
      slot.tag = AVT_TENSOR;
      slot.p = avt::new_handle(tensor);
    }
  } else if (value.isTensorList()) {
    for (const at::Tensor& tensor : value.toTensorVector()) push_output(c10::IValue(tensor), outs, max_outs, n);
  } else if (value.isTuple()) {
    for (const c10::IValue& element : value.toTupleRef().elements()) push_output(element, outs, max_outs, n);
  } else if (value.isList()) {
    for (const c10::IValue& element : value.toListRef()) push_output(element, outs, max_outs, n);
  } else if (value.isNone()) {
    next();
  } else if (value.isBool()) {
    AvtValue& slot = next();
    slot.tag = AVT_BOOL;
    slot.i = value.toBool() ? 1 : 0;
  } else if (value.isInt()) {
    AvtValue& slot = next();
    slot.tag = AVT_INT;
    slot.i = value.toInt();
  } else if (value.isDouble()) {
    AvtValue& slot = next();
    slot.tag = AVT_DOUBLE;
    slot.d = value.toDouble();
  } else {
    TORCH_CHECK(false, "returned a ", value.tagKind(), ", which the shim does not pass back");
  }
}

}  // namespace

AVT_EXPORT int avt_op_find(const char* name, const char* overload, void** op) {
  return avt::guarded(
      [&] { return std::string("op_find(") + (name ? name : "null") + "." + (overload ? overload : "") + ")"; },
      [&] {
        TORCH_CHECK(name && overload && op, "null argument");
        auto handle = c10::Dispatcher::singleton().findSchemaOrThrow(name, overload);
        *op = new Operator{handle, name};
      });
}

AVT_EXPORT int avt_op_schema(void* op, char* buffer, int32_t capacity, int32_t* length) {
  return avt::guarded([] { return std::string("op_schema"); }, [&] {
    TORCH_CHECK(op && length, "null argument");
    std::ostringstream out;
    out << static_cast<Operator*>(op)->handle.schema();
    std::string text = out.str();
    *length = static_cast<int32_t>(text.size());
    if (buffer && capacity > 0) {
      size_t n = std::min(text.size(), static_cast<size_t>(capacity - 1));
      std::memcpy(buffer, text.data(), n);
      buffer[n] = '\0';
    }
  });
}

AVT_EXPORT int avt_op_call(void* op, const AvtValue* args, int32_t nargs, AvtValue* outs, int32_t max_outs,
                           int32_t* nouts) {
  int32_t produced = 0;
  auto* oper = static_cast<Operator*>(op);
  int status = avt::guarded(
      [&] { return oper ? describe_call(*oper, args, nargs) : std::string("op_call(null operator)"); },
      [&] {
        TORCH_CHECK(oper && nouts && (nargs == 0 || args), "null argument");
        const auto& schema = oper->handle.schema();
        const auto& arguments = schema.arguments();
        TORCH_CHECK(static_cast<size_t>(nargs) <= arguments.size(), "takes at most ", arguments.size(),
                    " arguments, got ", nargs);
        torch::jit::Stack stack;
        stack.reserve(arguments.size());
        for (size_t i = 0; i < arguments.size(); ++i) {
          if (i < static_cast<size_t>(nargs)) {
            stack.push_back(to_ivalue(args[i], arguments[i]));
          } else if (arguments[i].default_value()) {
            stack.push_back(*arguments[i].default_value());
          } else {
            TORCH_CHECK(false, "missing argument '", arguments[i].name(), "'");
          }
        }
        oper->handle.callBoxed(&stack);
        for (const c10::IValue& value : stack) push_output(value, outs, max_outs, produced);
        *nouts = produced;
      });
  if (status != AVT_OK) {
    free_outputs(outs, produced);
    if (nouts) *nouts = 0;
  }
  return status;
}
