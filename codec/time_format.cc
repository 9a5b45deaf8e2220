#include "codec/time_format.h"

#include <algorithm>

namespace ihub {
namespace {

constexpr int64_t kMsPerDay = 86'400'000;
// 0000-01-01T00:00:00.000 and 9999-12-31T23:59:59.999 as epoch milliseconds.
constexpr int64_t kMinMs = -62'167'219'200'000;
constexpr int64_t kMaxMs = 253'402'300'799'999;

struct Civil {
  int64_t year;
  unsigned month, day;
};

// Days since 1970-01-01 to a proleptic Gregorian date, by 400-year eras (146097 days each) with
// years starting in March so the leap day falls at the end.
Civil CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;                                  // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);            // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                 // March = 0
  const unsigned day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const unsigned month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2), month, day};
}

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void Put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

// Writes "YYYY-MM-DDTHH:MM:SS.mmm" (23 characters) into `p`.
void FormatBase(char* p, int64_t epoch_ms) {
  epoch_ms = std::clamp(epoch_ms, kMinMs, kMaxMs);
  int64_t days = epoch_ms / kMsPerDay;
  int64_t ms_of_day = epoch_ms % kMsPerDay;
  if (ms_of_day < 0) {  // floor division for times before 1970
    ms_of_day += kMsPerDay;
    --days;
  }
  const Civil c = CivilFromDays(days);
  const auto year = static_cast<unsigned>(c.year);
  const auto ms = static_cast<unsigned>(ms_of_day);
  Put2(p, year / 100);
  Put2(p + 2, year % 100);
  p[4] = '-';
  Put2(p + 5, c.month);
  p[7] = '-';
  Put2(p + 8, c.day);
  p[10] = 'T';
  Put2(p + 11, ms / 3'600'000);
  p[13] = ':';
  Put2(p + 14, ms / 60'000 % 60);
  p[16] = ':';
  Put2(p + 17, ms / 1000 % 60);
  p[19] = '.';
  p[20] = static_cast<char>('0' + ms % 1000 / 100);
  Put2(p + 21, ms % 100);
}

// Reads `n` decimal digits at text[pos]; -1 when any is not a digit.
int64_t Digits(std::string_view text, size_t pos, size_t n) {
  if (pos + n > text.size()) return -1;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

}  // namespace

int64_t ToEpochMillis(std::chrono::system_clock::time_point tp) {
  return std::chrono::floor<std::chrono::milliseconds>(tp.time_since_epoch()).count();
}

void AppendIso8601Millis(std::string& out, int64_t epoch_ms) {
  char buf[24];
  FormatBase(buf, epoch_ms);
  buf[23] = 'Z';
  out.append(buf, sizeof(buf));
}

std::string FormatIso8601Millis(int64_t epoch_ms) {
  std::string out;
  AppendIso8601Millis(out, epoch_ms);
  return out;
}

void AppendCapillaryTime(std::string& out, int64_t epoch_ms) {
  char buf[28];
  FormatBase(buf, epoch_ms);
  buf[23] = '+';
  buf[24] = buf[25] = buf[26] = buf[27] = '0';
  out.append(buf, sizeof(buf));
}

std::string FormatCapillaryTime(int64_t epoch_ms) {
  std::string out;
  AppendCapillaryTime(out, epoch_ms);
  return out;
}

Result<int64_t> ParseIso8601Millis(std::string_view text) {
  // Built only on failure: a Status holds a string, and this runs on every request.
  auto bad = [] { return Status::InvalidArgument("invalid timestamp"); };
  const int64_t year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
  const int64_t hour = Digits(text, 11, 2), minute = Digits(text, 14, 2),
                second = Digits(text, 17, 2);
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text[13] != ':' || text[16] != ':' || year < 0 || month < 1 || month > 12 || day < 1 ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return bad();
  }
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > kDays[month - 1] + (month == 2 && leap)) return bad();
  size_t pos = 19;
  int64_t millis = 0;
  if (text[pos] == '.') {
    size_t digits = 0;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
    }
    if (digits == 0) return bad();
    for (; digits < 3; ++digits) millis *= 10;
  }
  const std::string_view zone = text.substr(pos);
  if (zone != "Z" && zone != "+0000" && zone != "+00:00") return bad();
  const int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * kMsPerDay + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}

}  // namespace ihub
