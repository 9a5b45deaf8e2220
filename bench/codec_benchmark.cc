// Codec benchmarks: parsing typical requests into structs and writing typical answers.
//
//   BM_Parse_CreateClient      Capillary create-client body from seed 001 (~330 bytes) -> struct
//   BM_Parse_AuthorizeJson     {"token","method","path"} of POST /v1/authorize -> struct
//   BM_Parse_OAuthForm         client-credentials token form body -> fields, duplicates checked
//   BM_Parse_BasicAuth         Authorization: Basic header -> client id and secret
//   BM_Write_Introspection     RFC 7662 active answer (~190 bytes), into a reused buffer
//   BM_Write_ClientAnswer      Capillary client answer with attribution and two timestamps
//   BM_Format_Iso8601          one timestamp appended to a reused buffer
//   BM_Mask_Authentication     masking string leaves of a stored free-form object
//
// Every writer benchmark reuses its output buffer, as handlers do, so the figures show the
// steady state (no allocation).
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "codec/form.h"
#include "codec/json_raw.h"
#include "codec/json_reader.h"
#include "codec/json_writer.h"
#include "codec/time_format.h"
#include "tests/codec/capillary_schema.h"

namespace ihub {
namespace {

using testing_schema::CreateClient;
constexpr std::string_view kCreateClientBody = testing_schema::kSeedCreateClientBody;

constexpr std::string_view kAuthorizeBody =
    R"({"token":"ihat_4mQ1rV8bXk2pL9sZcT0wYh6nJfG3eDuA7iKoBvRlNxq5_7f3a9c1e","method":"GET",)"
    R"("path":"/v3/targetGroups/1"})";

constexpr std::string_view kTokenForm =
    "grant_type=client_credentials&client_id=ytoxaF6SLgBJQ7erUw2SXS8zi"
    "&client_secret=UEOx1f11D6S2Zw2EmE54tyChCisCiZAagIbmdFH8&scope=TargetGroups+All";

void BM_Parse_CreateClient(benchmark::State& state) {
  for (auto _ : state) {
    CreateClient req;
    FieldErrors errors;
    Status st = testing_schema::ReadCreateClient(kCreateClientBody, req, errors);
    if (!st.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(req);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kCreateClientBody.size()));
  state.SetLabel(std::string("simdjson ") +
                 std::string(simdjson::get_active_implementation()->name()));
}
BENCHMARK(BM_Parse_CreateClient);

void BM_Parse_AuthorizeJson(benchmark::State& state) {
  // A handler-owned request struct reused across requests keeps string capacity warm.
  std::string token, method, path;
  for (auto _ : state) {
    FieldErrors errors;
    Status st = ReadJsonObject(kAuthorizeBody, errors, [&](ObjectReader& o) {
      o.String("token", {.required = true, .max_len = 512}, token);
      o.Enum("method",
             {.required = true,
              .allowed = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}},
             method);
      o.String("path", {.required = true, .max_len = 4096}, path);
    });
    if (!st.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(path.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kAuthorizeBody.size()));
}
BENCHMARK(BM_Parse_AuthorizeJson);

void BM_Parse_OAuthForm(benchmark::State& state) {
  FormFields form;
  for (auto _ : state) {
    if (!ParseForm(kTokenForm, form).ok() || form.duplicate_key()) {
      state.SkipWithError("parse failed");
    }
    benchmark::DoNotOptimize(form.Get("client_secret"));
  }
}
BENCHMARK(BM_Parse_OAuthForm);

void BM_Parse_BasicAuth(benchmark::State& state) {
  const std::string header =
      "Basic " + Base64Encode("ytoxaF6SLgBJQ7erUw2SXS8zi:UEOx1f11D6S2Zw2EmE54tyChCisCiZAagIbmdFH8");
  for (auto _ : state) {
    Result<BasicCredentials> creds = ParseBasicAuth(header);
    benchmark::DoNotOptimize(creds);
  }
}
BENCHMARK(BM_Parse_BasicAuth);

void BM_Write_Introspection(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    out.clear();
    JsonWriter w(out);
    w.BeginObject()
        .Field("active", true)
        .Field("client_id", "ytoxaF6SLgBJQ7erUw2SXS8zi")
        .Field("scope", "TargetGroups All")
        .Field("exp", int64_t{1591838866})
        .Field("iat", int64_t{1591838266})
        .Field("token_type", "Bearer")
        .Field("sub", "ytoxaF6SLgBJQ7erUw2SXS8zi")
        .Field("org", "org_01HZX3K9Q2V7")
        .EndObject();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_Write_Introspection);

void WriteAttributionUser(JsonWriter& w, std::string_view key) {
  w.Key(key).BeginObject();
  w.Field("id", int64_t{50006796}).Field("code", "crn:org_01HZX3K9Q2V7:api-key:deploy");
  w.Field("description", "").Field("name", "deploy").Field("type", "API_KEY");
  w.EndObject();
}

void BM_Write_ClientAnswer(benchmark::State& state) {
  std::string out, time;
  const int64_t created_ms = 1586960046104;
  for (auto _ : state) {
    out.clear();
    JsonWriter w(out);
    w.BeginObject().Key("data").BeginObject();
    w.Field("id", int64_t{880});
    w.Key("attribution").BeginObject();
    time.clear();
    AppendCapillaryTime(time, created_ms);
    w.Field("createdOn", time).Field("lastUpdatedOn", time);
    WriteAttributionUser(w, "lastUpdatedBy");
    WriteAttributionUser(w, "createdBy");
    w.EndObject();
    w.Field("name", "NewName3")
        .Field("clientKey", "ytoxaF6SLgBJQ7erUw2SXS8zi")
        .Field("clientSecret", "UEOx1f11D6S2Zw2EmE54tyChCisCiZAagIbmdFH8")
        .Field("isValid", true)
        .Field("description", "Sample description")
        .Field("expirationTokenTime", int64_t{600})
        .Field("defaultTillId", int64_t{15000449});
    w.Key("scopes").BeginArray();
    w.BeginObject().Field("permission", "READWRITE").Field("entityId", 1).EndObject();
    w.BeginObject().Field("permission", "WRITE").Field("entityId", 2).EndObject();
    w.EndArray().EndObject().FieldNull("errors").EndObject();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_Write_ClientAnswer);

void BM_Format_Iso8601(benchmark::State& state) {
  std::string out;
  int64_t ms = 1591838266499;
  for (auto _ : state) {
    out.clear();
    AppendIso8601Millis(out, ms++);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_Format_Iso8601);

void BM_Mask_Authentication(benchmark::State& state) {
  const std::string stored =
      R"({"api_key":"sk_live_abcdef","account":{"user":"bob","password":"pw","port":443},)"
      R"("endpoints":["https://a.example","https://b.example"],"sandbox":false})";
  std::string out;
  for (auto _ : state) {
    out.clear();
    if (!MaskStringLeaves(stored, out).ok()) state.SkipWithError("mask failed");
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_Mask_Authentication);

}  // namespace
}  // namespace ihub

BENCHMARK_MAIN();
