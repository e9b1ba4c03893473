#include "common/base/message_file.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"

namespace chainhub {
namespace {

namespace pb = google::protobuf;

// "Direction" → "DIRECTION_", "MeasureEntity" → "MEASURE_ENTITY_": the prefix protobuf style
// puts on every value of an enum.
std::string EnumPrefix(const pb::EnumDescriptor* type) {
  std::string prefix;
  for (size_t i = 0; i < type->name().size(); ++i) {
    const char c = type->name()[i];
    if (i > 0 && absl::ascii_isupper(static_cast<unsigned char>(c))) prefix.push_back('_');
    prefix.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  return prefix + "_";
}

std::string Position(const YAML::Mark& mark) {
  if (mark.is_null()) return "line 1, column 1";
  return absl::StrCat("line ", mark.line + 1, ", column ", mark.column + 1);
}

std::string Join(const std::string& path, absl::string_view key) {
  return path.empty() ? std::string(key) : absl::StrCat(path, ".", key);
}

// Turns YAML nodes into a message by its descriptor, refusing what the message cannot hold.
class Reader {
 public:
  explicit Reader(const OutputOnlyFields& output_only) : output_only_(output_only) {}

  absl::Status Message(const YAML::Node& node, const YAML::Mark& where, const std::string& path,
                       pb::Message* message) {
    CHAINHUB_RETURN_IF_ERROR(Count(node, where));
    if (node.IsNull()) return absl::OkStatus();
    if (!node.IsMap()) return Error(node, where, path, "must be a map of fields");
    const pb::Descriptor* type = message->GetDescriptor();
    const pb::Reflection* reflection = message->GetReflection();
    std::set<int> seen;
    for (YAML::const_iterator it = node.begin(); it != node.end(); ++it) {
      // Copies: `it->` yields a temporary pair, references into it would dangle.
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      const YAML::Mark key_mark = MarkOf(key, where);
      if (!key.IsScalar()) return Error(key, where, path, "a key must be a plain name");
      const pb::FieldDescriptor* field = FindField(type, key.Scalar());
      if (field == nullptr) {
        return Error(
            key, where, path,
            absl::StrCat("unknown key ", Quoted(key.Scalar()), " (known: ", KnownKeys(type), ")"));
      }
      const std::string field_path = Join(path, field->name());
      if (!seen.insert(field->number()).second) {
        return Error(key, where, path, absl::StrCat("duplicate key ", Quoted(key.Scalar())));
      }
      if (output_only_.contains(field->full_name())) continue;
      if (const pb::OneofDescriptor* oneof = field->real_containing_oneof(); oneof != nullptr) {
        if (const auto* other = reflection->GetOneofFieldDescriptor(*message, oneof)) {
          return Error(key, where, path,
                       absl::StrCat("sets both ", other->name(), " and ", field->name(), "; ",
                                    oneof->name(), " is exactly one of them"));
        }
      }
      CHAINHUB_RETURN_IF_ERROR(Field(value, key_mark, field_path, field, message));
    }
    return absl::OkStatus();
  }

 private:
  // Every node visited counts; a file of aliases to aliases cannot make the walk explode. A node
  // may carry no tag but the core schema's: the reader would ignore any other (e.g.
  // !!python/object), and the file would mean something other than its author wrote.
  absl::Status Count(const YAML::Node& node, const YAML::Mark& where) {
    if (++visited_ > kMaxMessageFileValues) {
      return Error(node, where, "",
                   absl::StrCat("the file holds more than ", kMaxMessageFileValues, " values"));
    }
    if (!IsCoreTag(node.Tag())) {
      return Error(node, where, "", absl::StrCat("unsupported tag ", Quoted(node.Tag())));
    }
    return absl::OkStatus();
  }

  // No tag ("?" plain, "!" quoted) or one of YAML's core schema.
  static bool IsCoreTag(const std::string& tag) {
    static const auto* const kCore = new absl::flat_hash_set<std::string>{"",
                                                                          "?",
                                                                          "!",
                                                                          "tag:yaml.org,2002:str",
                                                                          "tag:yaml.org,2002:int",
                                                                          "tag:yaml.org,2002:float",
                                                                          "tag:yaml.org,2002:bool",
                                                                          "tag:yaml.org,2002:null",
                                                                          "tag:yaml.org,2002:map",
                                                                          "tag:yaml.org,2002:seq"};
    return kCore->contains(tag);
  }

  // Where a node is; a missing value (null) is placed where its key is, not where the parser
  // noticed it was missing (the next line).
  static YAML::Mark MarkOf(const YAML::Node& node, const YAML::Mark& fallback) {
    const YAML::Mark mark = node.Mark();
    return mark.is_null() || node.IsNull() ? fallback : mark;
  }

  static absl::Status Error(const YAML::Node& node, const YAML::Mark& where,
                            const std::string& path, absl::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat(Position(MarkOf(node, where)), ": ", path.empty() ? "" : path + ": ", what));
  }

  static const pb::FieldDescriptor* FindField(const pb::Descriptor* type, const std::string& key) {
    if (const auto* field = type->FindFieldByName(key)) return field;
    for (int i = 0; i < type->field_count(); ++i) {
      if (type->field(i)->json_name() == key) return type->field(i);
    }
    return nullptr;
  }

  std::string KnownKeys(const pb::Descriptor* type) const {
    std::vector<std::string> names;
    for (int i = 0; i < type->field_count(); ++i) {
      if (!output_only_.contains(type->field(i)->full_name()))
        names.push_back(type->field(i)->name());
    }
    return absl::StrJoin(names, ", ");
  }

  absl::Status Field(const YAML::Node& value, const YAML::Mark& key_mark, const std::string& path,
                     const pb::FieldDescriptor* field, pb::Message* message) {
    const YAML::Mark where = MarkOf(value, key_mark);
    if (!field->is_repeated()) return Single(value, where, path, field, message);
    CHAINHUB_RETURN_IF_ERROR(Count(value, where));
    if (value.IsNull()) return absl::OkStatus();
    if (!value.IsSequence()) return Error(value, where, path, "must be a list");
    int i = 0;
    for (YAML::const_iterator it = value.begin(); it != value.end(); ++it, ++i) {
      const YAML::Node element = *it;
      CHAINHUB_RETURN_IF_ERROR(
          Single(element, MarkOf(element, where), absl::StrCat(path, "[", i, "]"), field, message));
    }
    return absl::OkStatus();
  }

  // One value of `field` (an element, when repeated).
  absl::Status Single(const YAML::Node& node, const YAML::Mark& where, const std::string& path,
                      const pb::FieldDescriptor* field, pb::Message* message) {
    const pb::Reflection* r = message->GetReflection();
    const bool repeated = field->is_repeated();
    if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      pb::Message* sub =
          repeated ? r->AddMessage(message, field) : r->MutableMessage(message, field);
      return Message(node, where, path, sub);
    }
    CHAINHUB_RETURN_IF_ERROR(Count(node, where));
    if (node.IsNull() && field->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING) {
      repeated ? r->AddString(message, field, "") : r->SetString(message, field, "");
      return absl::OkStatus();
    }
    if (node.IsNull()) return Error(node, where, path, "needs a value");
    if (!node.IsScalar()) return Error(node, where, path, "must be a single value");
    const std::string& text = node.Scalar();
    switch (field->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_STRING:
        // Text a proto can carry (UTF-8) and a terminal shows safely; one-line fields are held
        // to their stricter rule by the write rules.
        if (std::string rule = TextRuleBroken(text, TextKind::kMultiLine); !rule.empty()) {
          return Error(node, where, path, rule);
        }
        repeated ? r->AddString(message, field, text) : r->SetString(message, field, text);
        return absl::OkStatus();
      case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      case pb::FieldDescriptor::CPPTYPE_FLOAT: {
        double x = 0;
        if (!absl::SimpleAtod(text, &x) || !std::isfinite(x)) {
          return Error(node, where, path, absl::StrCat("must be a number, got ", Quoted(text)));
        }
        if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_FLOAT) {
          const auto f = static_cast<float>(x);
          repeated ? r->AddFloat(message, field, f) : r->SetFloat(message, field, f);
        } else {
          repeated ? r->AddDouble(message, field, x) : r->SetDouble(message, field, x);
        }
        return absl::OkStatus();
      }
      case pb::FieldDescriptor::CPPTYPE_INT32:
      case pb::FieldDescriptor::CPPTYPE_INT64:
        return Integer(node, where, path, field, message);
      case pb::FieldDescriptor::CPPTYPE_BOOL: {
        if (text != "true" && text != "false") {
          return Error(node, where, path,
                       absl::StrCat("must be true or false, got ", Quoted(text)));
        }
        repeated ? r->AddBool(message, field, text == "true")
                 : r->SetBool(message, field, text == "true");
        return absl::OkStatus();
      }
      case pb::FieldDescriptor::CPPTYPE_ENUM: {
        const pb::EnumDescriptor* type = field->enum_type();
        const pb::EnumValueDescriptor* value = type->FindValueByName(text);
        if (value == nullptr) value = type->FindValueByName(EnumPrefix(type) + text);
        if (value == nullptr) {
          std::vector<std::string> names;
          for (int i = 0; i < type->value_count(); ++i) names.push_back(type->value(i)->name());
          return Error(
              node, where, path,
              absl::StrCat("must be one of ", absl::StrJoin(names, ", "), ", got ", Quoted(text)));
        }
        repeated ? r->AddEnum(message, field, value) : r->SetEnum(message, field, value);
        return absl::OkStatus();
      }
      default:
        return Error(node, where, path, "cannot be read from a file");
    }
  }

  // int32 and int64: digits, or a number written with an exponent that is a whole number in
  // range (1e9 for 1000000000 yuan).
  absl::Status Integer(const YAML::Node& node, const YAML::Mark& where, const std::string& path,
                       const pb::FieldDescriptor* field, pb::Message* message) {
    const std::string& text = node.Scalar();
    const bool is32 = field->cpp_type() == pb::FieldDescriptor::CPPTYPE_INT32;
    const int64_t lo =
        is32 ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int64_t>::min();
    const int64_t hi =
        is32 ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int64_t>::max();
    int64_t n = 0;
    double x = 0;
    bool ok = absl::SimpleAtoi(text, &n);
    if (!ok && absl::SimpleAtod(text, &x) && std::isfinite(x) && x == std::trunc(x) &&
        std::fabs(x) < 9e18) {
      n = static_cast<int64_t>(x);
      ok = true;
    }
    if (!ok || n < lo || n > hi) {
      return Error(
          node, where, path,
          absl::StrCat("must be a whole number", is32 ? " (32-bit)" : "", ", got ", Quoted(text)));
    }
    const pb::Reflection* r = message->GetReflection();
    if (is32) {
      const auto v = static_cast<int32_t>(n);
      field->is_repeated() ? r->AddInt32(message, field, v) : r->SetInt32(message, field, v);
    } else {
      field->is_repeated() ? r->AddInt64(message, field, n) : r->SetInt64(message, field, n);
    }
    return absl::OkStatus();
  }

  const OutputOnlyFields& output_only_;
  int visited_ = 0;
};

// Notes where each document starts and ignores the rest: counting documents without building them.
class DocumentStarts final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  std::vector<YAML::Mark> starts;
};

// The file's one document, or INVALID_ARGUMENT with the parser's position. (Not YAML::LoadAll:
// in yaml-cpp 0.7 it can loop forever on a malformed stream; here the parser is asked for at most
// two documents.)
absl::StatusOr<YAML::Node> Load(absl::string_view text) {
  if (text.size() > kMaxMessageFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the file is ", text.size(), " bytes, more than ", kMaxMessageFileBytes));
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a byte order mark
  const absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(text);
  const absl::string_view format =
      !trimmed.empty() && (trimmed[0] == '{' || trimmed[0] == '[') ? "JSON" : "YAML";
  const std::string input(text);
  YAML::Node root;
  DocumentStarts documents;
  try {
    root = YAML::Load(input);
    std::istringstream stream(input);
    YAML::Parser parser(stream);
    if (parser.HandleNextDocument(documents)) parser.HandleNextDocument(documents);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(Position(e.mark), ": not valid ", format, ": ", ShownValue(e.msg, 200)));
  }
  if (root.IsNull()) return absl::InvalidArgumentError("line 1, column 1: the file is empty");
  if (documents.starts.size() > 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        Position(documents.starts[1]), ": the file holds more than one document (---)"));
  }
  return root;
}

// Numbers as the files write them: plain digits that read back to the same double (shortest
// such), an exponent only far outside the amounts and weights a scheme holds.
std::string YamlNumber(double x) {
  char buffer[400];
  const double magnitude = std::fabs(x);
  const auto format = magnitude >= 1e21 || (magnitude != 0 && magnitude < 1e-12)
                          ? std::chars_format::general
                          : std::chars_format::fixed;
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, x, format);
  return std::string(buffer, result.ptr);
}

void Emit(const pb::Message& message, const OutputOnlyFields& output_only, YAML::Emitter* out);

void EmitValue(const pb::Message& message, const pb::FieldDescriptor* field, int index,
               const OutputOnlyFields& output_only, YAML::Emitter* out) {
  const pb::Reflection* r = message.GetReflection();
  const bool repeated = field->is_repeated();
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      Emit(repeated ? r->GetRepeatedMessage(message, field, index) : r->GetMessage(message, field),
           output_only, out);
      break;
    case pb::FieldDescriptor::CPPTYPE_STRING:
      *out << (repeated ? r->GetRepeatedString(message, field, index)
                        : r->GetString(message, field));
      break;
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      *out << YamlNumber(repeated ? r->GetRepeatedDouble(message, field, index)
                                  : r->GetDouble(message, field));
      break;
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
      *out << YamlNumber(repeated ? r->GetRepeatedFloat(message, field, index)
                                  : r->GetFloat(message, field));
      break;
    case pb::FieldDescriptor::CPPTYPE_INT32:
      *out << absl::StrCat(repeated ? r->GetRepeatedInt32(message, field, index)
                                    : r->GetInt32(message, field));
      break;
    case pb::FieldDescriptor::CPPTYPE_INT64:
      *out << absl::StrCat(repeated ? r->GetRepeatedInt64(message, field, index)
                                    : r->GetInt64(message, field));
      break;
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      *out << ((repeated ? r->GetRepeatedBool(message, field, index) : r->GetBool(message, field))
                   ? "true"
                   : "false");
      break;
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      const int number = repeated ? r->GetRepeatedEnumValue(message, field, index)
                                  : r->GetEnumValue(message, field);
      const auto* value = field->enum_type()->FindValueByNumber(number);
      *out << (value != nullptr ? value->name() : absl::StrCat(number));
      break;
    }
    default:
      *out << YAML::Null;
      break;
  }
}

void Emit(const pb::Message& message, const OutputOnlyFields& output_only, YAML::Emitter* out) {
  const pb::Descriptor* type = message.GetDescriptor();
  const pb::Reflection* r = message.GetReflection();
  bool any = false;
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* field = type->field(i);
    any |= !output_only.contains(field->full_name()) &&
           (field->is_repeated() ? r->FieldSize(message, field) > 0 : r->HasField(message, field));
  }
  if (!any) {
    *out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
    return;
  }
  *out << YAML::BeginMap;
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* field = type->field(i);
    if (output_only.contains(field->full_name())) continue;
    if (field->is_repeated()) {
      const int n = r->FieldSize(message, field);
      if (n == 0) continue;
      *out << YAML::Key << field->name() << YAML::Value << YAML::BeginSeq;
      for (int k = 0; k < n; ++k) EmitValue(message, field, k, output_only, out);
      *out << YAML::EndSeq;
    } else if (r->HasField(message, field)) {
      *out << YAML::Key << field->name() << YAML::Value;
      EmitValue(message, field, -1, output_only, out);
    }
  }
  *out << YAML::EndMap;
}

}  // namespace

absl::Status ParseMessageFile(absl::string_view text, const OutputOnlyFields& output_only,
                              pb::Message* message) {
  CHAINHUB_ASSIGN_OR_RETURN(YAML::Node root, Load(text));
  Reader reader(output_only);
  return reader.Message(root, root.Mark(), "", message);
}

absl::Status ParseListFile(absl::string_view text, absl::string_view list_field,
                           absl::string_view file_kind, const OutputOnlyFields& output_only,
                           pb::Message* message) {
  CHAINHUB_ASSIGN_OR_RETURN(YAML::Node root, Load(text));
  if (root.IsSequence()) {
    // The bare list is read as the map holding it, for the same checks and paths.
    YAML::Node wrapped(YAML::NodeType::Map);
    wrapped[std::string(list_field)] = root;
    Reader reader(output_only);
    return reader.Message(wrapped, root.Mark(), "", message);
  }
  if (root.IsMap()) {
    for (YAML::const_iterator it = root.begin(); it != root.end(); ++it) {
      const YAML::Node key = it->first;
      if (!key.IsScalar() || key.Scalar() != list_field) {
        return absl::InvalidArgumentError(
            absl::StrCat(Position(key.Mark()), ": ", file_kind, " holds only the key '", list_field,
                         "', got ", key.IsScalar() ? Quoted(key.Scalar()) : "a complex key"));
      }
    }
  }
  Reader reader(output_only);
  return reader.Message(root, root.Mark(), "", message);
}

std::string MessageToYaml(const pb::Message& message, const OutputOnlyFields& output_only) {
  YAML::Emitter out;
  Emit(message, output_only, &out);
  return absl::StrCat(out.c_str(), "\n");
}

}  // namespace chainhub
