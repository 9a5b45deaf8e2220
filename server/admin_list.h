// The operator API's list envelope (API-DECISIONS items 1-3):
// {"items":[…],"nextCursor":"<key of the last item>"|null}.
//
// Thread-safety: pure function.
#pragma once

#include <string>

#include "codec/json_writer.h"

namespace ihub {

// Writes one page: write_item(JsonWriter&, const Item&) for each of page.items, then the cursor.
template <typename Page, typename WriteItem>
std::string AdminListBody(const Page& page, WriteItem&& write_item) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject().Key("items").BeginArray();
  for (const auto& item : page.items) write_item(w, item);
  w.EndArray();
  if (page.next_cursor.empty()) {
    w.FieldNull("nextCursor");
  } else {
    w.Field("nextCursor", page.next_cursor);
  }
  w.EndObject();
  return body;
}

}  // namespace ihub
