#include "store/managed_types.h"

#include <array>

namespace ihub {
namespace {

// The registry. A new type adds its file and one line here.
constexpr std::array<const ManagedType*, 1> kTypes = {
    &kKeteEnrolmentType,
};

}  // namespace

const ManagedType* FindManagedType(std::string_view name) {
  for (const ManagedType* type : kTypes) {
    if (type->name == name) return type;
  }
  return nullptr;
}

std::span<const ManagedType* const> ManagedTypes() { return kTypes; }

Status ReadManagedUpsertBody(std::string_view body, const ManagedType* type, FieldErrors& errors,
                             ManagedUpsertBody& out) {
  Status st = ReadJsonObject(body, errors, [&](ObjectReader& o) {
    o.Bool("active", {.required = true, .accept_string = true}, out.active);
    o.Value("params", {.required = true}, [&](JsonValueReader& v) {
      if (v.IsNull()) {
        v.Fail(FieldErrorKind::kMissing, "is required");
      } else if (type == nullptr) {
        v.Skip();
      } else {
        type->read_params(v, out.params);
      }
    });
  });
  if (!st.ok()) return st;
  if (!errors.empty()) return Status::InvalidArgument("invalid params");
  return Status::Ok();
}

}  // namespace ihub
