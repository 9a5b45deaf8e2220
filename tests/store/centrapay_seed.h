// The Centrapay managed-integration seed (000) example request, shared by the store tests, the
// end-to-end tests and bench/managed_integration_benchmark.cc so all of them exercise the same
// body.
//
// Thread-safety: constants only.
#pragma once

#include <string_view>

namespace ihub::centrapay_seed {

// The path of the seed's example: type kete-enrolment, externalId DKTs3U38hdhfEqwF1JKoT2.
inline constexpr std::string_view kExamplePath =
    "/api/managed-integrations/kete-enrolment/DKTs3U38hdhfEqwF1JKoT2";

// The seed's example request body, verbatim (the reqspec's object written as JSON; `active` is
// the string "true", as the seed sends it).
inline constexpr std::string_view kExampleBody = R"({
  "active": "true",
  "params": {
    "bankAccounts": ["06-0384-947723945-00"],
    "givenName": "John",
    "familyName": "Doe",
    "email": "john@doe.com",
    "phoneNumber": "+642803809319"
  }
})";

// The example's params as stored and answered: minified, in the seed's order.
inline constexpr std::string_view kExampleParams =
    R"({"bankAccounts":["06-0384-947723945-00"],"givenName":"John","familyName":"Doe",)"
    R"("email":"john@doe.com","phoneNumber":"+642803809319"})";

}  // namespace ihub::centrapay_seed
