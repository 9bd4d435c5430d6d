#include "bundles/data_tree.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace policyd::bundles {

std::string DataTree::SourceOf(const Node& node) {
  if (node.leaf.has_value()) return node.source;
  for (const auto& [key, child] : node.children) {
    if (std::string s = SourceOf(child); !s.empty()) return s;
  }
  return "";
}

void DataTree::Explode(Node& node) {
  for (const auto& [key, v] : node.leaf->entries()) {
    Node& child = node.children[std::string(key.string())];
    child.leaf = v;
    child.source = node.source;
  }
  node.leaf.reset();
}

absl::Status DataTree::Merge(Node& node, DataPath& at, Value value,
                             const std::string& source) {
  if (!node.leaf.has_value() && node.children.empty()) {
    node.leaf = std::move(value);
    node.source = source;
    return absl::OkStatus();
  }
  bool existing_is_object = !node.leaf.has_value() || node.leaf->is_object();
  if (!value.is_object() || !existing_is_object) {
    return absl::InvalidArgumentError(absl::StrCat(
        "conflicting data at ", DataPathText(at), ": ", source, " and ",
        SourceOf(node)));
  }
  if (node.leaf.has_value()) Explode(node);
  for (const auto& [key, v] : value.entries()) {
    at.push_back(std::string(key.string()));
    absl::Status s = Merge(node.children[at.back()], at, v, source);
    at.pop_back();
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status DataTree::Insert(const DataPath& path, Value value,
                              const std::string& source) {
  if (path.empty() && !value.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": data at the top of a bundle must be an object"));
  }
  Node* node = &root_;
  DataPath at;
  for (const std::string& seg : path) {
    if (node->leaf.has_value()) {
      if (!node->leaf->is_object()) {
        return absl::InvalidArgumentError(
            absl::StrCat("conflicting data at ", DataPathText(at), ": ",
                         source, " and ", node->source));
      }
      Explode(*node);
    }
    at.push_back(seg);
    node = &node->children[seg];
  }
  return Merge(*node, at, std::move(value), source);
}

Value DataTree::BuildNode(const Node& node) {
  if (node.leaf.has_value()) return *node.leaf;
  std::vector<ObjectEntry> entries;
  entries.reserve(node.children.size());
  for (const auto& [key, child] : node.children) {
    entries.emplace_back(Value::String(key), BuildNode(child));
  }
  return Value::Object(std::move(entries));
}

Value DataTree::Build() const { return BuildNode(root_); }

}  // namespace policyd::bundles
