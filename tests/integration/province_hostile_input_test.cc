// The hostile-input catalogue (tests/support/hostile_input.h) against every method of the
// reference provincial receiver: each call ends in a proper refusal (or an ordinary answer to a
// read) with a short message, and the store holds what it held.
#include <gtest/gtest.h>

#include "tests/support/hostile_input.h"
#include "tests/support/province_fixture.h"

namespace chainhub::testing {
namespace {

namespace pv1 = province::v1;

class ProvinceHostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(f_.SetUp());
    pv1::IngestBatchRequest batch;
    batch.set_batch_id("seed");
    pv1::Record* r = batch.add_records();
    r->set_list_version("2026");
    r->set_type(pv1::RECORD_TYPE_PROJECT);
    r->set_id("projects/p1");
    r->set_version(1);
    r->add_categories("new-energy-low-carbon");
    r->mutable_project()->set_name("年产10GW光伏组件项目");
    ASSERT_TRUE(f_.City().Status(&ProvinceStub::IngestBatch, batch).ok());
  }
  void TearDown() override { f_.TearDown(); }

  std::string Snapshot() {
    return TableRows(*f_.store(),
                     {"province_records", "province_record_categories", "province_batches"});
  }

  ProvinceFixture f_;
};

TEST_F(ProvinceHostileInputTest, EveryMethodRefusesHostileInputAndChangesNothing) {
  const std::string before = Snapshot();
  const int calls = Bombard("chainhub.province.v1.ProvinceIngest", f_.target(),
                            MintTestToken("systems/chuzhou", {"admin"}), {});
  EXPECT_GT(calls, 100);
  EXPECT_EQ(Snapshot(), before);
}

}  // namespace
}  // namespace chainhub::testing
