// Timestamps in answers (API-DECISIONS item 17), from epoch milliseconds, always UTC:
//   ISO-8601 with milliseconds and Z   2020-06-11T01:17:46.499Z      (admin, Centrapay, OEM)
//   Capillary's attribution form       2020-04-15T14:14:06.104+0000
// Formatting is plain integer arithmetic into a stack buffer: no locale, no strftime, no
// allocation beyond the output string. Years outside 0000-9999 are clamped to that range.
//
// Thread-safety: pure functions.
//
// Example:
//   w.Field("createdAt", FormatIso8601Millis(rec.created_ms));
//   AppendCapillaryTime(out, now_ms);  // appends without quotes, e.g. inside JsonWriter::Raw use
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/status.h"

namespace ihub {

// Milliseconds since the Unix epoch, rounded toward the past (so 499.9 ms prints as .499 and a
// time never appears later than it was).
int64_t ToEpochMillis(std::chrono::system_clock::time_point tp);

// "2020-06-11T01:17:46.499Z" (24 characters).
void AppendIso8601Millis(std::string& out, int64_t epoch_ms);
std::string FormatIso8601Millis(int64_t epoch_ms);

// "2020-04-15T14:14:06.104+0000" (28 characters).
void AppendCapillaryTime(std::string& out, int64_t epoch_ms);
std::string FormatCapillaryTime(int64_t epoch_ms);

// Parses "YYYY-MM-DDTHH:MM:SS[.fff]" followed by "Z", "+0000" or "+00:00" (UTC only), as written
// by the functions above. Fractions beyond milliseconds are truncated. InvalidArgument otherwise.
Result<int64_t> ParseIso8601Millis(std::string_view text);

}  // namespace ihub
