// FunctionRef: a non-owning reference to a callable, for callbacks that run before the call that
// receives them returns (JSON readers, walkers). Two words, no allocation, one indirect call.
//
// REQUIRES: the referenced callable outlives every call through the FunctionRef; pass lambdas
// directly as arguments and never store a FunctionRef past the call.
//
// Thread-safety: as the referenced callable.
#pragma once

#include <type_traits>
#include <utility>

namespace ihub {

template <typename Signature>
class FunctionRef;

template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, FunctionRef> &&
             std::is_invocable_r_v<R, F&, Args...>)
  FunctionRef(F&& f)  // NOLINT: implicit by design, like std::function
      : obj_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* obj, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(obj))(std::forward<Args>(args)...);
        }) {}

  R operator()(Args... args) const { return call_(obj_, std::forward<Args>(args)...); }

 private:
  void* obj_;
  R (*call_)(void*, Args...);
};

}  // namespace ihub
