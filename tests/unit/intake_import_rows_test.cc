#include <gtest/gtest.h>

#include "services/intake/import_rows.h"

namespace chainhub::intake {
namespace {

TEST(IntakeImportRows, ARowsOwnErrorsAreTheRequestsAndTheRegistrys) {
  for (const absl::Status& s :
       {absl::InvalidArgumentError("x"), absl::AlreadyExistsError("x"),
        absl::FailedPreconditionError("x"), absl::PermissionDeniedError("x"),
        absl::NotFoundError("x"), absl::UnavailableError("x")}) {
    EXPECT_TRUE(IsRowError(s)) << s;
  }
  for (const absl::Status& s : {absl::InternalError("x"), absl::AbortedError("x"),
                                absl::DataLossError("x"), absl::OkStatus()}) {
    EXPECT_FALSE(IsRowError(s)) << s;
  }
}

TEST(IntakeImportRows, ARowErrorGoesIntoTheResultAndTheBatchGoesOn) {
  v1::ImportRowResult r;
  EXPECT_TRUE(RowFailed(absl::InvalidArgumentError("project.county: must not be empty"), &r).ok());
  EXPECT_EQ(r.code(), static_cast<int32_t>(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(r.message(), "project.county: must not be empty");
}

TEST(IntakeImportRows, AStoreErrorAbortsTheBatch) {
  v1::ImportRowResult r;
  EXPECT_EQ(RowFailed(absl::InternalError("disk"), &r).code(), absl::StatusCode::kInternal);
  EXPECT_EQ(r.code(), 0);
  EXPECT_TRUE(RowFailed(absl::OkStatus(), &r).ok());
  EXPECT_EQ(r.code(), 0);
}

TEST(IntakeImportRows, RowsAreCountedByOutcomeAndAFailedRowLosesItsOutcome) {
  v1::ImportProjectsResponse resp;
  v1::ImportRowResult created, updated, unchanged, failed;
  created.set_outcome(std::string(kRowCreated));
  updated.set_outcome(std::string(kRowUpdated));
  unchanged.set_outcome(std::string(kRowUnchanged));
  failed.set_outcome(std::string(kRowCreated));
  failed.set_code(static_cast<int32_t>(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(TallyRow(&created, &resp), "created");
  EXPECT_EQ(TallyRow(&updated, &resp), "updated");
  EXPECT_EQ(TallyRow(&unchanged, &resp), "unchanged");
  EXPECT_EQ(TallyRow(&failed, &resp), "failed");
  EXPECT_EQ(failed.outcome(), "");
  EXPECT_EQ(resp.created_count(), 1);
  EXPECT_EQ(resp.updated_count(), 1);
  EXPECT_EQ(resp.unchanged_count(), 1);
  EXPECT_EQ(resp.failed_count(), 1);
}

}  // namespace
}  // namespace chainhub::intake
