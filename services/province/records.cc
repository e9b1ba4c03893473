#include "services/province/records.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/digest.h"
#include "common/base/fields.h"
#include "google/protobuf/util/json_util.h"

namespace chainhub::province {

// data/province_lists.json and data/province_mapping.json, compiled in (cmake/embed_text.cmake).
const char* ShippedProvinceListsJson();
const char* ShippedProvinceMappingJson();

namespace {

constexpr absl::string_view kListPrefix = "provinceLists/";
constexpr size_t kMaxIdBytes = 200;

absl::StatusOr<ProvinceLists> FromJson(const std::string& text, absl::string_view origin) {
  registry::v1::ListProvinceListsResponse lists;
  google::protobuf::util::JsonParseOptions options;
  auto parsed = google::protobuf::util::JsonStringToMessage(text, &lists, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, ": not a ListProvinceListsResponse: ", parsed.message().as_string()));
  }
  return ProvinceLists::From(lists);
}

}  // namespace

absl::StatusOr<ProvinceLists> ProvinceLists::From(
    const registry::v1::ListProvinceListsResponse& lists) {
  ProvinceLists out;
  for (const auto& l : lists.province_lists()) {
    absl::string_view name = l.name();
    if (!absl::ConsumePrefix(&name, kListPrefix) || name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("province list ", Quoted(l.name()), ": name must be provinceLists/{version}"));
    }
    if (!IsValidDate(l.effective_from()) ||
        (!l.effective_to().empty() && !IsValidDate(l.effective_to()))) {
      return absl::InvalidArgumentError(
          absl::StrCat("province list ", Quoted(l.name()), ": effective dates must be YYYY-MM-DD"));
    }
    List list{std::string(name), l.display_name(), l.effective_from(), l.effective_to(), {}};
    for (const auto& c : l.chains()) list.chains.emplace(c.id(), c.display_name());
    out.lists_.emplace(list.version, std::move(list));
  }
  return out;
}

const ProvinceLists& ProvinceLists::Shipped() {
  static const ProvinceLists* shipped = [] {
    auto lists = FromJson(ShippedProvinceListsJson(), "data/province_lists.json");
    return new ProvinceLists(lists.ok() ? *std::move(lists) : ProvinceLists());
  }();
  return *shipped;
}

const registry::v1::ListChainProvinceMappingsResponse& ShippedChainProvinceMappings() {
  static const auto* mappings = [] {
    auto* m = new registry::v1::ListChainProvinceMappingsResponse();
    (void)google::protobuf::util::JsonStringToMessage(ShippedProvinceMappingJson(), m);
    return m;
  }();
  return *mappings;
}

absl::StatusOr<ProvinceLists> ProvinceLists::FromJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return FromJson(text.str(), path);
}

registry::v1::ListProvinceListsResponse ProvinceLists::ToProto() const {
  registry::v1::ListProvinceListsResponse out;
  for (const auto& [version, list] : lists_) {
    registry::v1::ProvinceList* l = out.add_province_lists();
    l->set_name(absl::StrCat(kListPrefix, version));
    l->set_display_name(list.display_name);
    l->set_effective_from(list.effective_from);
    l->set_effective_to(list.effective_to);
    for (const auto& [id, name] : list.chains) {
      registry::v1::ProvinceChain* c = l->add_chains();
      c->set_id(id);
      c->set_display_name(name);
    }
  }
  return out;
}

const ProvinceLists::List* ProvinceLists::Find(absl::string_view version) const {
  auto it = lists_.find(version);
  return it == lists_.end() ? nullptr : &it->second;
}

const ProvinceLists::List* ProvinceLists::InForceOn(absl::string_view date) const {
  // Dates compare as text (YYYY-MM-DD); the latest list to start on or before the date wins.
  const List* found = nullptr;
  for (const auto& [version, list] : lists_) {
    if (list.effective_from > date) continue;
    if (!list.effective_to.empty() && list.effective_to <= date) continue;
    if (found == nullptr || list.effective_from > found->effective_from) found = &list;
  }
  return found;
}

absl::string_view RecordTypeName(RecordType type) {
  switch (type) {
    case v1::RECORD_TYPE_CHAIN: return "产业链";
    case v1::RECORD_TYPE_ENTERPRISE: return "企业";
    case v1::RECORD_TYPE_PROJECT: return "项目";
    case v1::RECORD_TYPE_PROGRESS: return "月度进展";
    case v1::RECORD_TYPE_ASSESSMENT_RESULT: return "考核结果";
    default: return "";
  }
}

absl::string_view RecordTypeSlug(RecordType type) {
  switch (type) {
    case v1::RECORD_TYPE_CHAIN: return "chain";
    case v1::RECORD_TYPE_ENTERPRISE: return "enterprise";
    case v1::RECORD_TYPE_PROJECT: return "project";
    case v1::RECORD_TYPE_PROGRESS: return "progress";
    case v1::RECORD_TYPE_ASSESSMENT_RESULT: return "assessment_result";
    default: return "";
  }
}

const std::vector<RecordType>& RecordTypes() {
  static const auto* types = new std::vector<RecordType>{
      v1::RECORD_TYPE_CHAIN, v1::RECORD_TYPE_ENTERPRISE, v1::RECORD_TYPE_PROJECT,
      v1::RECORD_TYPE_PROGRESS, v1::RECORD_TYPE_ASSESSMENT_RESULT};
  return *types;
}

namespace {

// The body a record of `type` carries.
Record::BodyCase BodyOf(RecordType type) {
  switch (type) {
    case v1::RECORD_TYPE_CHAIN: return Record::kChain;
    case v1::RECORD_TYPE_ENTERPRISE: return Record::kEnterprise;
    case v1::RECORD_TYPE_PROJECT: return Record::kProject;
    case v1::RECORD_TYPE_PROGRESS: return Record::kProgress;
    case v1::RECORD_TYPE_ASSESSMENT_RESULT: return Record::kAssessmentResult;
    default: return Record::BODY_NOT_SET;
  }
}

}  // namespace

void CheckRecord(const Record& record, const std::string& field, const ProvinceLists& lists,
                 std::vector<FieldViolation>* out) {
  const ProvinceLists::List* list = lists.Find(record.list_version());
  if (list == nullptr) {
    std::vector<std::string> known;
    for (const auto& [version, l] : lists.lists()) known.push_back(version);
    out->push_back({field + ".list_version",
                    absl::StrCat("must be a provincial list this receiver knows (",
                                 absl::StrJoin(known, ", "), "), not ",
                                 Quoted(record.list_version()))});
  }
  if (RecordTypeSlug(record.type()).empty()) {
    out->push_back({field + ".type", "must be a record type (CHAIN … ASSESSMENT_RESULT)"});
  }
  if (record.id().empty()) {
    out->push_back({field + ".id", "must not be empty"});
  } else if (record.id().size() > kMaxIdBytes) {
    out->push_back({field + ".id", absl::StrCat("must be at most ", kMaxIdBytes, " bytes")});
  } else {
    CheckOneLineText(out, field + ".id", record.id(), true, kMaxIdBytes);
  }
  if (record.version() <= 0) out->push_back({field + ".version", "must be positive"});
  if (!record.business_date().empty() && !IsValidDate(record.business_date())) {
    out->push_back({field + ".business_date", "must be a date YYYY-MM-DD"});
  }
  if (record.deleted()) return;
  if (record.body_case() != BodyOf(record.type()) && !RecordTypeSlug(record.type()).empty()) {
    out->push_back({field, absl::StrCat("a live record of type ",
                                        v1::RecordType_Name(record.type()),
                                        " must carry its body (field ",
                                        RecordTypeSlug(record.type()), ")")});
  }
  std::set<absl::string_view> seen;
  for (int i = 0; i < record.categories_size(); ++i) {
    const std::string& c = record.categories(i);
    const std::string at = absl::StrCat(field, ".categories[", i, "]");
    if (list != nullptr && !list->chains.contains(c)) {
      out->push_back({at, absl::StrCat(Quoted(c), " is not a chain of provincial list ",
                                       list->version)});
    } else if (!seen.insert(c).second) {
      out->push_back({at, absl::StrCat(Quoted(c), " is listed twice")});
    }
  }
}

absl::Status ValidateRecord(const Record& record, const std::string& field,
                            const ProvinceLists& lists) {
  std::vector<FieldViolation> v;
  CheckRecord(record, field, lists, &v);
  return ToStatus(v);
}

uint64_t RecordHash(absl::string_view list_version, RecordType type, absl::string_view id,
                    int64_t version) {
  const std::string hex =
      Sha256Hex(absl::StrCat(list_version, "|", static_cast<int>(type), "|", id, "|", version), 8);
  uint64_t h = 0;
  (void)absl::SimpleHexAtoi(hex, &h);
  return h;
}

std::string DigestHex(uint64_t digest) { return absl::StrFormat("%016x", digest); }

uint64_t CombineHalves(int64_t sum_hi, int64_t sum_lo) {
  return (static_cast<uint64_t>(sum_hi) << 32) + static_cast<uint64_t>(sum_lo);
}

void DigestSet::Apply(absl::string_view list_version, RecordType type, absl::string_view id,
                      int64_t version, const std::vector<std::string>& categories, int sign) {
  const uint64_t h = RecordHash(list_version, type, id, version);
  auto bump = [&](const std::string& category) {
    Bucket& b = buckets_[Key(std::string(list_version), static_cast<int>(type), category)];
    b.count += sign;
    b.sum += sign > 0 ? h : -h;  // modulo 2^64
  };
  if (categories.empty()) {
    bump("");
  } else {
    for (const auto& c : categories) bump(c);
  }
}

void DigestSet::Add(const Record& record) {
  if (record.deleted()) return;
  Apply(record.list_version(), record.type(), record.id(), record.version(), CategoriesOf(record),
        +1);
}

std::vector<v1::CategoryDigest> DigestSet::ToProto() const {
  std::vector<v1::CategoryDigest> out;
  for (const auto& [key, bucket] : buckets_) {
    if (bucket.count == 0 && bucket.sum == 0) continue;
    v1::CategoryDigest d;
    d.set_list_version(std::get<0>(key));
    d.set_type(static_cast<RecordType>(std::get<1>(key)));
    d.set_category(std::get<2>(key));
    d.set_count(bucket.count);
    d.set_digest(DigestHex(bucket.sum));
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<std::string> CategoriesOf(const Record& record) {
  return {record.categories().begin(), record.categories().end()};
}

}  // namespace chainhub::province
