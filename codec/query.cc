#include "codec/query.h"

#include <charconv>

#include "codec/utf8.h"

namespace ihub {
namespace {

constexpr size_t kMaxParamLength = 256;

std::string Num(int64_t v) {
  char buf[24];
  return std::string(buf, std::to_chars(buf, buf + sizeof(buf), v).ptr);
}

// Reads integer parameter `name` into `out` when present; records a FieldError otherwise.
void ReadIntParam(const FormFields& form, std::string_view name, int64_t min, int64_t max,
                  int64_t& out, FieldErrors& errors) {
  const std::optional<std::string_view> text = form.Get(name);
  if (!text) return;
  const std::string field(name);
  int64_t value = 0;
  const char* end = text->data() + text->size();
  const auto r = std::from_chars(text->data(), end, value);
  if (text->empty() || r.ptr != end || (r.ec != std::errc() && r.ec != std::errc::result_out_of_range)) {
    errors.Add(field, FieldErrorKind::kWrongType, field + " must be an integer");
  } else if (r.ec != std::errc() || value < min || value > max) {
    errors.Add(field, FieldErrorKind::kOutOfRange,
               field + " must be between " + Num(min) + " and " + Num(max));
  } else {
    out = value;
  }
}

void ReadStringParam(const FormFields& form, std::string_view name,
                     std::optional<std::string>& out, FieldErrors& errors) {
  const std::optional<std::string_view> text = form.Get(name);
  if (!text) return;
  if (CountCodePoints(*text) > kMaxParamLength) {
    const std::string field(name);
    errors.Add(field, FieldErrorKind::kTooLong,
               field + " must be at most " + Num(kMaxParamLength) + " characters");
    return;
  }
  out.emplace(*text);
}

}  // namespace

Target SplitTarget(std::string_view target) {
  if (const size_t hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

Result<int64_t> ParseBoundedInt(std::string_view text, int64_t min, int64_t max) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  // from_chars accepts a leading '-' but neither '+' nor spaces, as wanted.
  const auto r = std::from_chars(text.data(), end, value);
  if (text.empty() || r.ec != std::errc() || r.ptr != end || value < min || value > max) {
    return Status::InvalidArgument("invalid integer parameter");
  }
  return value;
}

bool ParseListQuery(std::string_view query, const ListQueryRule& rule, ListQuery& out,
                    FieldErrors& errors) {
  thread_local FormFields form;
  out.limit = rule.default_limit;
  if (!ParseQuery(query, form).ok()) {
    errors.SetMalformed("query string is not valid percent-encoded UTF-8");
    return false;
  }
  ReadIntParam(form, "limit", 1, rule.max_limit, out.limit, errors);
  ReadIntParam(form, "page", 1, 1'000'000'000, out.page, errors);
  ReadStringParam(form, "cursor", out.cursor, errors);
  ReadStringParam(form, "type", out.type, errors);
  ReadStringParam(form, "status", out.status, errors);
  return errors.empty();
}

}  // namespace ihub
