// The province contract (protos/chainhub/province/v1/province.proto) as code both sides share:
// the provincial lists a record may be expressed in, what makes a record valid, and the
// order-independent digest of a set of records that sender and receiver compare to reconcile.
#ifndef CHAINHUB_SERVICES_PROVINCE_RECORDS_H_
#define CHAINHUB_SERVICES_PROVINCE_RECORDS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/province/v1/province.pb.h"
#include "common/base/status_util.h"
#include "chainhub/registry/v1/registry.pb.h"

namespace chainhub::province {

using v1::Record;
using v1::RecordType;

// The provincial lists (省十大产业链) by version, each with its effective dates and chain ids.
class ProvinceLists {
 public:
  struct List {
    std::string version;       // "2021"
    std::string display_name;
    std::string effective_from;  // YYYY-MM-DD, inclusive
    std::string effective_to;    // YYYY-MM-DD, exclusive; empty while in force
    std::map<std::string, std::string> chains;  // id → display name
  };

  ProvinceLists() = default;
  // From the registry's lists (name provinceLists/{version}); INVALID_ARGUMENT for a bad one.
  static absl::StatusOr<ProvinceLists> From(const registry::v1::ListProvinceListsResponse& lists);
  // The lists shipped in data/province_lists.json, compiled in.
  static const ProvinceLists& Shipped();
  // Reads a file in the form of data/province_lists.json.
  static absl::StatusOr<ProvinceLists> FromJsonFile(const std::string& path);

  // Back to the registry's form (ProvinceList messages named provinceLists/{version}).
  registry::v1::ListProvinceListsResponse ToProto() const;

  const List* Find(absl::string_view version) const;
  // The list in force on `date` (YYYY-MM-DD), or null when none is.
  const List* InForceOn(absl::string_view date) const;
  const std::map<std::string, List, std::less<>>& lists() const { return lists_; }
  bool empty() const { return lists_.empty(); }

 private:
  std::map<std::string, List, std::less<>> lists_;
};

// The city-to-province mapping shipped in data/province_mapping.json, compiled in: what the main
// job seeds, for tests and the benchmark to seed the same.
const registry::v1::ListChainProvinceMappingsResponse& ShippedChainProvinceMappings();

// The record type's Chinese name (a sheet's name, a log's words): 产业链, 企业, 项目, 月度进展,
// 考核结果.
absl::string_view RecordTypeName(RecordType type);
// "chain", "enterprise", "project", "progress", "assessment_result" (file names, flags).
absl::string_view RecordTypeSlug(RecordType type);
// The record types, in the order above.
const std::vector<RecordType>& RecordTypes();

// Checks a record as IngestBatch receives it; violations name `field` (e.g. "records[3]")
// followed by the record's field. A live record must carry the body of its type and categories
// of its list; a deleted one needs only its key and version.
void CheckRecord(const Record& record, const std::string& field, const ProvinceLists& lists,
                 std::vector<FieldViolation>* out);
absl::Status ValidateRecord(const Record& record, const std::string& field,
                            const ProvinceLists& lists);

// The record's contribution to its buckets' digest: the first 8 bytes of
// SHA-256("{list_version}|{type number}|{id}|{version}"), big-endian.
uint64_t RecordHash(absl::string_view list_version, RecordType type, absl::string_view id,
                    int64_t version);
// 16 lowercase hex digits.
std::string DigestHex(uint64_t digest);
// The digest from the sums of the hashes' high and low 32-bit halves (each sum exact in 64 bits
// for fewer than 2^31 records): (hi << 32) + lo, modulo 2^64.
uint64_t CombineHalves(int64_t sum_hi, int64_t sum_lo);

// Counts and digests per (list_version, type, category) of a set of live records. A record with
// several categories counts in each; one with none counts under the empty category.
class DigestSet {
 public:
  using Key = std::tuple<std::string, int, std::string>;
  struct Bucket {
    int64_t count = 0;
    uint64_t sum = 0;
  };

  // Adds (sign +1) or removes (sign -1) a live record of the given key, version and categories.
  void Apply(absl::string_view list_version, RecordType type, absl::string_view id,
             int64_t version, const std::vector<std::string>& categories, int sign);
  void Add(const Record& record);
  const std::map<Key, Bucket>& buckets() const { return buckets_; }
  // In (list_version, type, category) order; buckets that are empty are left out.
  std::vector<v1::CategoryDigest> ToProto() const;

 private:
  std::map<Key, Bucket> buckets_;
};

// A record's categories as a vector ("" never appears: an uncategorised record has none).
std::vector<std::string> CategoriesOf(const Record& record);

}  // namespace chainhub::province

#endif  // CHAINHUB_SERVICES_PROVINCE_RECORDS_H_
