// Merges data documents placed at paths of `data` (from data.json/data.yaml
// files, possibly of several bundles) into one object. Objects merge key by
// key; any other overlap is a conflict naming both sources. A document is
// kept whole (never copied) unless a later one must merge into it.
#ifndef POLICYD_BUNDLES_DATA_TREE_H_
#define POLICYD_BUNDLES_DATA_TREE_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "bundles/roots.h"
#include "engine/value/value.h"

namespace policyd::bundles {

class DataTree {
 public:
  // `source` names where the document came from ("authz/roles/data.json").
  absl::Status Insert(const DataPath& path, Value value,
                      const std::string& source);

  // The merged `data` object.
  Value Build() const;

 private:
  struct Node {
    std::optional<Value> leaf;
    std::string source;
    std::map<std::string, Node> children;
  };
  static std::string SourceOf(const Node& node);
  static void Explode(Node& node);
  static absl::Status Merge(Node& node, DataPath& at, Value value,
                            const std::string& source);
  static Value BuildNode(const Node& node);

  Node root_;
};

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_DATA_TREE_H_
