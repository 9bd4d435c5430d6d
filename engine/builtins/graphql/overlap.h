// The GraphQL validation rule "Overlapping Fields Can Be Merged": fields that
// put their values under one response name must agree (same field, same
// arguments, compatible types, mergeable subfields) unless their parent types
// exclude each other. Follows the graphql-js algorithm that gqlparser uses,
// which compares "within" a selection set once and "between" the sets that
// fragments bring in, remembering compared fragment pairs.
#ifndef POLICYD_ENGINE_BUILTINS_GRAPHQL_OVERLAP_H_
#define POLICYD_ENGINE_BUILTINS_GRAPHQL_OVERLAP_H_

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/builtins/graphql/ast.h"
#include "engine/builtins/graphql/schema.h"

namespace policyd::graphql {

class OverlapChecker {
 public:
  OverlapChecker(const Schema& schema, const QueryDocument& doc) : schema_(schema), doc_(doc) {}

  // Conflicts in `set`, whose fields belong to `parent` (nullptr when
  // unknown): "Fields \"a\" conflict because a and b are different fields.
  // Use different aliases on the fields to fetch both if this was
  // intentional." at the second field of each pair.
  std::vector<Error> Check(const Definition* parent, const std::vector<Selection>& set);

 private:
  struct Field {
    const Selection* selection;
    const Definition* parent;
    const FieldDefinition* def;
  };
  // Fields by response name, in order of first appearance.
  struct FieldMap {
    std::vector<std::string> order;
    std::map<std::string, std::vector<Field>> fields;
  };
  struct Conflict {
    std::string response_name;
    std::string reason;  // empty when `subconflicts` says why
    std::vector<Conflict> subconflicts;
    Position pos;
  };

  void Collect(const Definition* parent, const std::vector<Selection>& set, FieldMap* map,
               std::vector<std::string>* spreads) const;
  void Within(const FieldMap& map, std::vector<Conflict>* out);
  void Between(bool exclusive, const FieldMap& a, const FieldMap& b,
               std::vector<Conflict>* out);
  void BetweenFieldsAndFragment(bool exclusive, const FieldMap& map,
                                const std::string& fragment, std::vector<Conflict>* out);
  void BetweenFragments(bool exclusive, const std::string& a, const std::string& b,
                        std::vector<Conflict>* out);
  std::vector<Conflict> BetweenSubselections(bool exclusive, const Field& a, const Field& b);
  bool FindConflict(bool exclusive, const Field& a, const Field& b, Conflict* out);
  bool TypesConflict(const Type& a, const Type& b) const;
  const FragmentDefinition* Fragment(const std::string& name) const;

  const Schema& schema_;
  const QueryDocument& doc_;
  // Fragment pairs already compared, with whether that was as exclusive.
  std::map<std::pair<std::string, std::string>, bool> compared_pairs_;
  std::set<std::string> compared_fragments_;
};

}  // namespace policyd::graphql

#endif  // POLICYD_ENGINE_BUILTINS_GRAPHQL_OVERLAP_H_
