#include "bundles/yaml_data.h"

#include <yaml-cpp/yaml.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace policyd::bundles {
namespace {

Value Scalar(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  // A quoted or explicitly tagged string scalar is never re-typed.
  if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") {
    return Value::String(text);
  }
  if (text.empty() || text == "~" || text == "null" || text == "Null" ||
      text == "NULL") {
    return Value::Null();
  }
  if (text == "true" || text == "True" || text == "TRUE") {
    return Value::Bool(true);
  }
  if (text == "false" || text == "False" || text == "FALSE") {
    return Value::Bool(false);
  }
  std::string_view number = text;
  if (!number.empty() && number[0] == '+') number.remove_prefix(1);
  if (std::optional<Value> n = Value::NumberFromText(number)) return *n;
  return Value::String(text);
}

absl::StatusOr<Value> Convert(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return Value::Null();
    case YAML::NodeType::Scalar:
      return Scalar(node);
    case YAML::NodeType::Sequence: {
      std::vector<Value> elems;
      elems.reserve(node.size());
      for (const YAML::Node& child : node) {
        POLICYD_ASSIGN_OR_RETURN(Value v, Convert(child));
        elems.push_back(std::move(v));
      }
      return Value::Array(std::move(elems));
    }
    case YAML::NodeType::Map: {
      std::vector<ObjectEntry> entries;
      entries.reserve(node.size());
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "line ", kv.first.Mark().line + 1, ", column ",
              kv.first.Mark().column + 1, ": mapping keys must be scalars"));
        }
        POLICYD_ASSIGN_OR_RETURN(Value v, Convert(kv.second));
        entries.emplace_back(Value::String(kv.first.Scalar()), std::move(v));
      }
      return Value::Object(std::move(entries));
    }
  }
  return Value::Null();
}

absl::Status YamlError(const YAML::Exception& e) {
  return absl::InvalidArgumentError(absl::StrCat(
      "line ", e.mark.line + 1, ", column ", e.mark.column + 1, ": ", e.msg));
}

}  // namespace

absl::StatusOr<Value> ParseYaml(std::string_view text) {
  try {
    return Convert(YAML::Load(std::string(text)));
  } catch (const YAML::Exception& e) {
    return YamlError(e);
  }
}

absl::StatusOr<std::vector<Value>> ParseYamlDocuments(std::string_view text) {
  std::vector<Value> out;
  try {
    for (const YAML::Node& doc : YAML::LoadAll(std::string(text))) {
      if (doc.IsNull() || !doc.IsDefined()) continue;
      absl::StatusOr<Value> v = Convert(doc);
      if (!v.ok()) return v.status();
      out.push_back(*std::move(v));
    }
  } catch (const YAML::Exception& e) {
    return YamlError(e);
  }
  return out;
}

}  // namespace policyd::bundles
