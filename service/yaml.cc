#include "service/yaml.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "yaml-cpp/yaml.h"

namespace policyd {
namespace {

constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";

Value ScalarValue(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  // "!" marks a quoted scalar; an explicit !!str tag also forces a string.
  if (node.Tag() == "!" || node.Tag() == kStrTag) return Value::String(text);
  if (text.empty() || text == "~" || text == "null" || text == "Null" ||
      text == "NULL") {
    return Value();
  }
  if (text == "true" || text == "True" || text == "TRUE") {
    return Value::Bool(true);
  }
  if (text == "false" || text == "False" || text == "FALSE") {
    return Value::Bool(false);
  }
  if (std::optional<Value> number = Value::NumberFromText(text)) {
    return *std::move(number);
  }
  return Value::String(text);
}

absl::StatusOr<Value> ToValue(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return Value();
    case YAML::NodeType::Scalar:
      return ScalarValue(node);
    case YAML::NodeType::Sequence: {
      std::vector<Value> elems;
      elems.reserve(node.size());
      for (const YAML::Node& child : node) {
        absl::StatusOr<Value> elem = ToValue(child);
        if (!elem.ok()) return elem.status();
        elems.push_back(*std::move(elem));
      }
      return Value::Array(std::move(elems));
    }
    case YAML::NodeType::Map: {
      std::vector<ObjectEntry> entries;
      entries.reserve(node.size());
      for (const auto& pair : node) {
        if (!pair.first.IsScalar()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "line ", pair.first.Mark().line + 1,
              ": mapping keys must be scalars"));
        }
        absl::StatusOr<Value> value = ToValue(pair.second);
        if (!value.ok()) return value.status();
        entries.emplace_back(Value::String(pair.first.Scalar()),
                             *std::move(value));
      }
      return Value::Object(std::move(entries));
    }
  }
  return Value();
}

}  // namespace

absl::StatusOr<Value> ParseYaml(std::string_view text) {
  try {
    return ToValue(YAML::Load(std::string(text)));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("yaml: ", e.what()));
  }
}

}  // namespace policyd
