// A constraint's `spec.match`: which admission requests it applies to, with
// Gatekeeper's rules. Every field given must match:
//  - kinds: any entry whose apiGroups and kinds hold the request's (or "*";
//    an empty list holds everything);
//  - namespaces / excludedNamespaces (globs): the request's namespace, or the
//    name of a Namespace object; other cluster-scoped objects are not
//    filtered by them;
//  - labelSelector: the object's labels (the old object's for DELETE);
//  - namespaceSelector: the labels of the request's namespace, read from the
//    inventory (a Namespace object is matched by its own labels; other
//    cluster-scoped objects always match); an unknown namespace is an error,
//    so that the constraint fails closed;
//  - name (glob), scope (Namespaced, Cluster, *), source (All, Original,
//    Generated; admission requests are Original).
#ifndef POLICYD_ADMISSION_MATCH_H_
#define POLICYD_ADMISSION_MATCH_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "admission/label_selector.h"
#include "engine/value/value.h"

namespace policyd::admission {

struct KindSelector {
  std::vector<std::string> api_groups;
  std::vector<std::string> kinds;
};

struct Match {
  enum class Scope { kAll, kNamespaced, kCluster };
  enum class Source { kAll, kOriginal, kGenerated };
  std::vector<KindSelector> kinds;
  std::vector<std::string> namespaces;
  std::vector<std::string> excluded_namespaces;
  std::optional<LabelSelector> label_selector;
  std::optional<LabelSelector> namespace_selector;
  std::string name;  // empty: any
  Scope scope = Scope::kAll;
  Source source = Source::kAll;
};

// `match` is the value of spec.match (nullptr or null: match everything).
// Errors name the field ("spec.match.scope: ...").
absl::StatusOr<Match> ParseMatch(const Value* match);

// What matching reads of an admission request.
struct MatchTarget {
  std::string group;
  std::string kind;
  std::string name;
  std::string namespace_name;  // empty for cluster-scoped objects
  const Value* labels = nullptr;
  bool is_namespace = false;  // the object is a core/v1 Namespace
  // The namespace object from the inventory, when there is one.
  const Value* namespace_object = nullptr;
  Match::Source source = Match::Source::kOriginal;
};

// `request` is an AdmissionRequest; `inventory` is data.inventory (may be
// null). Both must outlive the target.
MatchTarget TargetOf(const Value& request, const Value& inventory);

absl::StatusOr<bool> Matches(const Match& match, const MatchTarget& target);

}  // namespace policyd::admission

#endif  // POLICYD_ADMISSION_MATCH_H_
