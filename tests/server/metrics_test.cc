#include "server/metrics.h"

#include <gtest/gtest.h>

#include <thread>

#include "server/router.h"

namespace ihub {
namespace {

Reply Noop(Services&, RequestContext&) { return {}; }

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(bhttp::verb::get, "/livez", ApiFamily::kOps, Noop);
    router_.Add(bhttp::verb::get, "/admin/v1/orgs/{orgId}", ApiFamily::kAdmin, Noop);
    metrics_.Configure(router_);
  }
  static bool Has(const std::string& text, const std::string& line) {
    return text.find(line + "\n") != std::string::npos;
  }
  Router router_;
  Metrics metrics_;
};

TEST_F(MetricsTest, SumsShardsIntoCountersAndHistograms) {
  MetricsShard* a = metrics_.AddShard();
  MetricsShard* b = metrics_.AddShard();
  a->Record(metrics_.RouteSlot(1), bhttp::verb::get, 200, 80);      // <= 100us
  b->Record(metrics_.RouteSlot(1), bhttp::verb::get, 200, 3000);    // <= 5ms
  b->Record(metrics_.RouteSlot(1), bhttp::verb::get, 404, 20000000);  // > 10 s
  a->Record(metrics_.UnmatchedSlot(ApiFamily::kOAuth), bhttp::verb::post, 404, 10);
  a->ConnectionOpened();
  b->ConnectionOpened();
  b->ConnectionClosed();
  std::string text = metrics_.Render();
  EXPECT_TRUE(Has(text, "# TYPE ihub_http_requests_total counter")) << text;
  EXPECT_TRUE(Has(text, R"(ihub_http_requests_total{api="admin",route="/admin/v1/orgs/{orgId}",method="GET",code="200"} 2)"));
  EXPECT_TRUE(Has(text, R"(ihub_http_requests_total{api="admin",route="/admin/v1/orgs/{orgId}",method="GET",code="404"} 1)"));
  EXPECT_TRUE(Has(text, R"(ihub_http_requests_total{api="oauth",route="unmatched",method="POST",code="404"} 1)"));
  EXPECT_TRUE(Has(text, "# TYPE ihub_http_request_duration_seconds histogram"));
  const std::string l = R"(api="admin",route="/admin/v1/orgs/{orgId}")";
  EXPECT_TRUE(Has(text, "ihub_http_request_duration_seconds_bucket{" + l + R"(,le="0.0001"} 1)")) << text;
  EXPECT_TRUE(Has(text, "ihub_http_request_duration_seconds_bucket{" + l + R"(,le="0.005"} 2)"));
  EXPECT_TRUE(Has(text, "ihub_http_request_duration_seconds_bucket{" + l + R"(,le="10"} 2)"));
  EXPECT_TRUE(Has(text, "ihub_http_request_duration_seconds_bucket{" + l + R"(,le="+Inf"} 3)"));
  EXPECT_TRUE(Has(text, "ihub_http_request_duration_seconds_count{" + l + "} 3"));
  EXPECT_TRUE(Has(text, "ihub_http_request_duration_seconds_sum{" + l + "} 20.00308"));
  EXPECT_TRUE(Has(text, "ihub_open_connections 1"));
  // Routes never hit have no series.
  EXPECT_EQ(text.find(R"(route="/livez")"), std::string::npos);
}

TEST_F(MetricsTest, CountersGroupByNameAndCountAcrossThreads) {
  Counter* valid = metrics_.AddCounter("ihub_authorize_decisions_total", "Decisions.", R"(reason="VALID")");
  Counter* issued = metrics_.AddCounter("ihub_tokens_issued_total", "Tokens.");
  Counter* expired = metrics_.AddCounter("ihub_authorize_decisions_total", "Decisions.", R"(reason="EXPIRED")");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) valid->Inc();
    });
  }
  for (auto& t : threads) t.join();
  issued->Inc(5);
  expired->Inc();
  std::string text = metrics_.Render();
  size_t header = text.find("# TYPE ihub_authorize_decisions_total counter");
  ASSERT_NE(header, std::string::npos);
  EXPECT_EQ(text.find("# TYPE ihub_authorize_decisions_total", header + 1), std::string::npos);
  size_t v = text.find("ihub_authorize_decisions_total{reason=\"VALID\"} 40000\n");
  size_t e = text.find("ihub_authorize_decisions_total{reason=\"EXPIRED\"} 1\n");
  size_t tok = text.find("ihub_tokens_issued_total 5\n");
  ASSERT_NE(v, std::string::npos) << text;
  ASSERT_NE(e, std::string::npos);
  ASSERT_NE(tok, std::string::npos);
  // The two decision series are contiguous under their one header.
  EXPECT_TRUE(header < v && header < e && (tok < header || tok > std::max(v, e)));
}

TEST_F(MetricsTest, CallbacksRunAtScrapeTime) {
  int records = 3;
  metrics_.AddCallback("ihub_records", "Records per table.", Metrics::Type::kGauge,
                       [&](std::vector<Metrics::Sample>& out) {
                         out.push_back({R"(table="orgs")", static_cast<double>(records)});
                         out.push_back({R"(table="clients")", 0});
                       });
  EXPECT_TRUE(Has(metrics_.Render(), R"(ihub_records{table="orgs"} 3)"));
  records = 9;
  std::string text = metrics_.Render();
  EXPECT_TRUE(Has(text, R"(ihub_records{table="orgs"} 9)"));
  EXPECT_TRUE(Has(text, R"(ihub_records{table="clients"} 0)"));
  EXPECT_TRUE(Has(text, "# TYPE ihub_records gauge"));
}

TEST_F(MetricsTest, ManyStatusCodesNeverLoseCounts) {
  MetricsShard* s = metrics_.AddShard();
  uint64_t total = 0;
  for (unsigned code = 100; code < 200; ++code, ++total) s->Record(0, bhttp::verb::get, code, 1);
  std::string text = metrics_.Render();
  uint64_t sum = 0;
  size_t pos = 0;
  while ((pos = text.find("ihub_http_requests_total{api=\"ops\"", pos)) != std::string::npos) {
    size_t sp = text.find("} ", pos);
    sum += std::stoull(text.substr(sp + 2));
    pos = sp;
  }
  EXPECT_EQ(sum, total);
}

}  // namespace
}  // namespace ihub
