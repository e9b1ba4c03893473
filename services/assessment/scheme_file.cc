#include "services/assessment/scheme_file.h"

#include <cmath>
#include <set>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/reflection.h>
#include <yaml-cpp/yaml.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"
#include "services/assessment/methods.h"

namespace chainhub::assessment {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Fields the service sets; a file that carries them is refused (they would be ignored).
const std::set<std::string>& OutputOnly() {
  static const std::set<std::string>* fields = new std::set<std::string>{
      "version", "etag", "create_time", "update_time", "version_time"};
  return *fields;
}

absl::Status Error(const YAML::Node& node, const std::string& path, absl::string_view rule) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return InvalidField(path.empty() ? "file" : path, rule);
  return InvalidField(path.empty() ? "file" : path,
                      absl::StrCat(rule, " (line ", mark.line + 1, ", column ", mark.column + 1,
                                   ")"));
}

// DIRECTION for Direction, MEASURE_ENTITY for MeasureEntity: the prefix of the enum's values.
std::string EnumPrefix(const EnumDescriptor& e) {
  std::string out;
  for (char c : e.name()) {
    if (absl::ascii_isupper(c) && !out.empty()) out.push_back('_');
    out.push_back(absl::ascii_toupper(c));
  }
  return out;
}

absl::Status SetScalar(const YAML::Node& node, const FieldDescriptor& field, Message* msg,
                       const std::string& path) {
  if (!node.IsScalar()) return Error(node, path, "must be a single value");
  const std::string text = node.Scalar();
  const Reflection& r = *msg->GetReflection();
  const bool repeated = field.is_repeated();
  auto bad = [&](absl::string_view what) {
    return Error(node, path, absl::StrCat("must be ", what, ", got ", Quoted(text)));
  };
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      repeated ? r.AddString(msg, &field, text) : r.SetString(msg, &field, text);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v = 0;
      if (!absl::SimpleAtoi(text, &v)) return bad("a whole number");
      repeated ? r.AddInt32(msg, &field, v) : r.SetInt32(msg, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v = 0;
      if (!absl::SimpleAtoi(text, &v)) return bad("a whole number");
      repeated ? r.AddInt64(msg, &field, v) : r.SetInt64(msg, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double v = 0;
      if (!absl::SimpleAtod(text, &v) || !std::isfinite(v)) return bad("a number");
      repeated ? r.AddDouble(msg, &field, v) : r.SetDouble(msg, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v = false;
      if (text == "true") {
        v = true;
      } else if (text != "false") {
        return bad("true or false");
      }
      repeated ? r.AddBool(msg, &field, v) : r.SetBool(msg, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumDescriptor& e = *field.enum_type();
      const EnumValueDescriptor* value = e.FindValueByName(text);
      if (value == nullptr) value = e.FindValueByName(absl::StrCat(EnumPrefix(e), "_", text));
      if (value == nullptr || value->number() == 0) {
        std::string names;
        for (int i = 1; i < e.value_count(); ++i) {
          absl::StrAppend(&names, i > 1 ? ", " : "", e.value(i)->name());
        }
        return bad(absl::StrCat("one of ", names));
      }
      repeated ? r.AddEnum(msg, &field, value) : r.SetEnum(msg, &field, value);
      return absl::OkStatus();
    }
    default:
      return Error(node, path, "cannot be written in a file");
  }
}

absl::Status FillMessage(const YAML::Node& node, Message* msg, const std::string& path);

absl::Status SetField(const YAML::Node& node, const FieldDescriptor& field, Message* msg,
                      const std::string& path) {
  const Reflection& r = *msg->GetReflection();
  if (field.is_repeated()) {
    if (!node.IsSequence()) return Error(node, path, "must be a list");
    for (size_t i = 0; i < node.size(); ++i) {
      const std::string item_path = absl::StrCat(path, "[", i, "]");
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        CHAINHUB_RETURN_IF_ERROR(FillMessage(node[i], r.AddMessage(msg, &field), item_path));
      } else {
        CHAINHUB_RETURN_IF_ERROR(SetScalar(node[i], field, msg, item_path));
      }
    }
    return absl::OkStatus();
  }
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    // `efficacy: {}` or a bare `efficacy:` both choose the method.
    Message* child = r.MutableMessage(msg, &field);
    if (node.IsNull()) return absl::OkStatus();
    return FillMessage(node, child, path);
  }
  return SetScalar(node, field, msg, path);
}

absl::Status FillMessage(const YAML::Node& node, Message* msg, const std::string& path) {
  if (node.IsNull()) return absl::OkStatus();
  if (!node.IsMap()) return Error(node, path, "must be a mapping of field: value");
  const Descriptor& d = *msg->GetDescriptor();
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    const std::string field_path = path.empty() ? key : absl::StrCat(path, ".", key);
    const FieldDescriptor* field = d.FindFieldByName(key);
    if (field == nullptr) {
      std::string names;
      for (int i = 0; i < d.field_count(); ++i) {
        if (OutputOnly().contains(d.field(i)->name())) continue;
        absl::StrAppend(&names, names.empty() ? "" : ", ", d.field(i)->name());
      }
      return Error(entry.first, field_path,
                   absl::StrCat("is not a field of ", d.name(), " (fields: ", names, ")"));
    }
    if (OutputOnly().contains(key)) {
      return Error(entry.first, field_path, "is set by the service, not in a file");
    }
    if (field->containing_oneof() != nullptr &&
        msg->GetReflection()->HasOneof(*msg, field->containing_oneof())) {
      return Error(entry.first, field_path,
                   absl::StrCat("conflicts with another choice of ",
                                field->containing_oneof()->name(), ": set only one"));
    }
    CHAINHUB_RETURN_IF_ERROR(SetField(entry.second, *field, msg, field_path));
  }
  return absl::OkStatus();
}

absl::StatusOr<YAML::Node> Load(absl::string_view text) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return InvalidField("file", absl::StrCat(e.msg, " (line ", e.mark.line + 1, ", column ",
                                             e.mark.column + 1, ")"));
  }
}

// --- Writing ------------------------------------------------------------------------------------

std::string ScalarText(const Message& msg, const FieldDescriptor& field, int index) {
  const Reflection& r = *msg.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return repeated ? r.GetRepeatedString(msg, &field, index) : r.GetString(msg, &field);
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(repeated ? r.GetRepeatedInt32(msg, &field, index)
                                   : r.GetInt32(msg, &field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(repeated ? r.GetRepeatedInt64(msg, &field, index)
                                   : r.GetInt64(msg, &field));
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      const double v =
          repeated ? r.GetRepeatedDouble(msg, &field, index) : r.GetDouble(msg, &field);
      // Round-trips: the shortest text that reads back as the same double.
      for (int precision = 6; precision <= 17; ++precision) {
        char buf[32];
        std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
        double back = 0;
        if (absl::SimpleAtod(buf, &back) && back == v) return buf;
      }
      return absl::StrCat(v);
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      return (repeated ? r.GetRepeatedBool(msg, &field, index) : r.GetBool(msg, &field))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return (repeated ? r.GetRepeatedEnum(msg, &field, index) : r.GetEnum(msg, &field))->name();
    default:
      return "";
  }
}

void Emit(YAML::Emitter& out, const Message& msg) {
  const Reflection& r = *msg.GetReflection();
  const Descriptor& d = *msg.GetDescriptor();
  out << YAML::BeginMap;
  for (int i = 0; i < d.field_count(); ++i) {
    const FieldDescriptor& field = *d.field(i);
    if (OutputOnly().contains(field.name())) continue;
    if (field.is_repeated() ? r.FieldSize(msg, &field) == 0 : !r.HasField(msg, &field)) continue;
    out << YAML::Key << field.name() << YAML::Value;
    if (field.is_repeated()) {
      out << YAML::BeginSeq;
      for (int j = 0; j < r.FieldSize(msg, &field); ++j) {
        if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          Emit(out, r.GetRepeatedMessage(msg, &field, j));
        } else {
          out << ScalarText(msg, field, j);
        }
      }
      out << YAML::EndSeq;
    } else if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Emit(out, r.GetMessage(msg, &field));
    } else {
      out << ScalarText(msg, field, 0);
    }
  }
  out << YAML::EndMap;
}

}  // namespace

absl::StatusOr<v1::Scheme> ParseSchemeFile(absl::string_view text) {
  CHAINHUB_ASSIGN_OR_RETURN(YAML::Node root, Load(text));
  v1::Scheme scheme;
  CHAINHUB_RETURN_IF_ERROR(FillMessage(root, &scheme, ""));
  return scheme;
}

absl::StatusOr<std::vector<v1::Indicator>> ParseIndicatorsFile(absl::string_view text) {
  CHAINHUB_ASSIGN_OR_RETURN(YAML::Node root, Load(text));
  if (!root.IsMap() || !root["indicators"] || !root["indicators"].IsSequence()) {
    return Error(root, "indicators", "the file must hold `indicators:`, a list of indicators");
  }
  std::vector<v1::Indicator> out;
  const YAML::Node list = root["indicators"];
  for (size_t i = 0; i < list.size(); ++i) {
    v1::Indicator indicator;
    CHAINHUB_RETURN_IF_ERROR(
        FillMessage(list[i], &indicator, absl::StrCat("indicators[", i, "]")));
    out.push_back(std::move(indicator));
  }
  return out;
}

std::string SchemeToYaml(const v1::Scheme& scheme) {
  YAML::Emitter out;
  out.SetIndent(2);
  Emit(out, scheme);
  return std::string(out.c_str()) + "\n";
}

}  // namespace chainhub::assessment
