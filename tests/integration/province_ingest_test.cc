// The reference provincial receiver over real gRPC and SQLite: batches applied once whatever is
// replayed, versions that only move forward, digests equal to the sender's own, paging, refusals.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "services/province/records.h"
#include "tests/support/province_fixture.h"

namespace chainhub::testing {
namespace {

using province::DigestSet;
using province::v1::CategoryDigest;
using province::v1::GetDigestsRequest;
using province::v1::GetDigestsResponse;
using province::v1::IngestBatchRequest;
using province::v1::IngestBatchResponse;
using province::v1::ListRecordsRequest;
using province::v1::ListRecordsResponse;
using province::v1::Record;
using Stub = province::v1::ProvinceIngest::Stub;

Record Project(const std::string& id, int64_t version, const std::string& list_version,
               std::vector<std::string> categories) {
  Record r;
  r.set_list_version(list_version);
  r.set_type(province::v1::RECORD_TYPE_PROJECT);
  r.set_id("projects/" + id);
  r.set_version(version);
  r.set_business_date(list_version == "2021" ? "2025-06-01" : "2026-03-01");
  for (auto& c : categories) r.add_categories(c);
  r.mutable_project()->set_project_id(id);
  r.mutable_project()->set_name("年产10GW光伏组件项目 " + id);
  r.mutable_project()->set_total_investment_yuan(1'000'000'000);
  return r;
}

IngestBatchRequest Batch(const std::string& id, std::vector<Record> records) {
  IngestBatchRequest b;
  b.set_batch_id(id);
  for (auto& r : records) *b.add_records() = std::move(r);
  return b;
}

std::vector<std::string> AsText(const std::vector<CategoryDigest>& digests) {
  std::vector<std::string> out;
  for (const auto& d : digests) {
    out.push_back(d.list_version() + "|" + std::to_string(d.type()) + "|" + d.category() + "|" +
                  std::to_string(d.count()) + "|" + d.digest());
  }
  return out;
}

std::vector<std::string> Digests(ProvinceCaller as) {
  GetDigestsResponse resp;
  grpc::Status s = as(&Stub::GetDigests, GetDigestsRequest(), &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return AsText({resp.digests().begin(), resp.digests().end()});
}

class ProvinceIngestTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(receiver_.SetUp()); }
  void TearDown() override { receiver_.TearDown(); }
  ProvinceFixture receiver_;
};

TEST_F(ProvinceIngestTest, ABatchAppliesOnceAndItsDigestsEqualTheSendersOwn) {
  std::vector<Record> sent = {Project("a", 3, "2021", {"pv-storage"}),
                              Project("b", 5, "2021", {"pv-storage", "nev-icv"}),
                              Project("c", 1, "2026", {})};
  IngestBatchResponse first;
  ASSERT_TRUE(receiver_.City()(&Stub::IngestBatch, Batch("push-1", sent), &first).ok());
  EXPECT_EQ(first.applied_count(), 3);
  EXPECT_FALSE(first.duplicate());

  DigestSet expected;
  for (const auto& r : sent) expected.Add(r);
  EXPECT_EQ(Digests(receiver_.Province()), AsText(expected.ToProto()));

  // The same batch again (a lost reply): the first answer, nothing applied twice.
  IngestBatchResponse again;
  ASSERT_TRUE(receiver_.City()(&Stub::IngestBatch, Batch("push-1", sent), &again).ok());
  EXPECT_TRUE(again.duplicate());
  EXPECT_EQ(again.applied_count(), 3);
  EXPECT_EQ(Digests(receiver_.Province()), AsText(expected.ToProto()));

  // An older version of b is stale; a newer one of a moves it to another category; c is deleted.
  Record a4 = Project("a", 4, "2021", {"nev-icv"});
  Record c2 = Project("c", 2, "2026", {});
  c2.set_deleted(true);
  c2.clear_project();
  IngestBatchResponse next;
  ASSERT_TRUE(receiver_.City()(&Stub::IngestBatch,
                               Batch("push-2", {Project("b", 4, "2021", {"pv-storage"}), a4, c2}),
                               &next).ok());
  EXPECT_EQ(next.applied_count(), 2);
  EXPECT_EQ(next.stale_count(), 1);
  DigestSet now;
  now.Add(a4);
  now.Add(sent[1]);
  EXPECT_EQ(Digests(receiver_.Province()), AsText(now.ToProto()));

  // The tombstone keeps an older c from coming back.
  IngestBatchResponse late;
  ASSERT_TRUE(receiver_.City()(&Stub::IngestBatch, Batch("push-3", {Project("c", 1, "2026", {})}),
                               &late).ok());
  EXPECT_EQ(late.stale_count(), 1);
  ListRecordsRequest list;
  list.set_list_version("2026");
  ListRecordsResponse held;
  ASSERT_TRUE(receiver_.Province()(&Stub::ListRecords, list, &held).ok());
  EXPECT_EQ(held.records_size(), 0);
}

TEST_F(ProvinceIngestTest, ABatchIdReusedForOtherRecordsIsRefused) {
  ASSERT_TRUE(receiver_.City()
                  .Status(&Stub::IngestBatch, Batch("push-1", {Project("a", 1, "2021", {})}))
                  .ok());
  grpc::Status s =
      receiver_.City().Status(&Stub::IngestBatch, Batch("push-1", {Project("a", 2, "2021", {})}));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("push-1"), std::string::npos) << s.error_message();
}

TEST_F(ProvinceIngestTest, BadRecordsAreRefusedNamingTheFieldAndNothingIsApplied) {
  struct Case {
    IngestBatchRequest batch;
    std::string field;
  };
  Record unknown_list = Project("a", 1, "2021", {});
  unknown_list.set_list_version("2019");
  Record bad_category = Project("b", 1, "2026", {"pv-storage"});  // a 2021 id
  Record no_body = Project("c", 1, "2021", {});
  no_body.clear_project();
  Record zero_version = Project("d", 0, "2021", {});
  Record twice = Project("e", 1, "2021", {"nev-icv", "nev-icv"});
  std::vector<Record> too_many(1001, Project("f", 1, "2021", {}));
  std::vector<Case> cases = {
      {Batch("", {Project("a", 1, "2021", {})}), "batch_id"},
      {Batch("bad id!", {Project("a", 1, "2021", {})}), "batch_id"},
      {Batch("b1", {}), "records"},
      {Batch("b2", too_many), "records"},
      {Batch("b3", {Project("ok", 1, "2021", {}), unknown_list}), "records[1].list_version"},
      {Batch("b4", {bad_category}), "records[0].categories[0]"},
      {Batch("b5", {no_body}), "records[0]"},
      {Batch("b6", {zero_version}), "records[0].version"},
      {Batch("b7", {twice}), "records[0].categories[1]"},
  };
  for (const auto& c : cases) {
    grpc::Status s = receiver_.City().Status(&Stub::IngestBatch, c.batch);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_EQ(s.error_message().rfind(c.field + ":", 0), 0u)
        << "want " << c.field << ", got " << s.error_message();
  }
  EXPECT_TRUE(Digests(receiver_.Province()).empty());
}

TEST_F(ProvinceIngestTest, OnlyTheCitysTokenMayWriteAndOnlyTheProvinceOrAdminRead) {
  IngestBatchRequest batch = Batch("push-1", {Project("a", 1, "2021", {})});
  EXPECT_EQ(receiver_.As("").Status(&Stub::IngestBatch, batch).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(receiver_.Province().Status(&Stub::IngestBatch, batch).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto viewer = receiver_.As(MintTestToken("systems/viewer", {"viewer"}));
  EXPECT_EQ(viewer.Status(&Stub::GetDigests, GetDigestsRequest()).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Digests(receiver_.Province()).empty());
  EXPECT_TRUE(receiver_.City().Status(&Stub::IngestBatch, batch).ok());
  EXPECT_EQ(Digests(receiver_.City()).size(), 1u);
}

TEST_F(ProvinceIngestTest, ACategoryIsListedInKeyOrderAcrossPagesWithNoRepeat) {
  std::vector<Record> records;
  std::set<std::string> storage_ids;
  for (int i = 0; i < 250; ++i) {
    const std::string id = "p" + std::to_string(1000 + i);
    const bool storage = i % 3 != 0;
    records.push_back(Project(id, 1, "2021", {storage ? "pv-storage" : "nev-icv"}));
    if (storage) storage_ids.insert("projects/" + id);
  }
  ASSERT_TRUE(receiver_.City().Status(&Stub::IngestBatch, Batch("push-1", records)).ok());

  for (bool keys_only : {false, true}) {
    ListRecordsRequest req;
    req.set_list_version("2021");
    req.set_category("pv-storage");
    req.set_page_size(70);
    req.set_keys_only(keys_only);
    std::vector<std::string> seen;
    int pages = 0;
    do {
      ListRecordsResponse page;
      grpc::Status s = receiver_.Province()(&Stub::ListRecords, req, &page);
      ASSERT_TRUE(s.ok()) << s.error_message();
      for (const auto& r : page.records()) {
        seen.push_back(r.id());
        EXPECT_EQ(r.version(), 1);
        EXPECT_EQ(r.has_project(), !keys_only);
      }
      req.set_page_token(page.next_page_token());
      ++pages;
    } while (!req.page_token().empty());
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(seen, std::vector<std::string>(storage_ids.begin(), storage_ids.end()));
  }

  // A token belongs to its query.
  ListRecordsRequest first;
  first.set_list_version("2021");
  first.set_page_size(10);
  ListRecordsResponse page;
  ASSERT_TRUE(receiver_.Province()(&Stub::ListRecords, first, &page).ok());
  first.set_page_token(page.next_page_token());
  first.set_category("nev-icv");
  EXPECT_EQ(receiver_.Province().Status(&Stub::ListRecords, first).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace chainhub::testing
