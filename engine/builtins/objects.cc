// Object and document builtins: object.get, object.keys, object.remove,
// object.filter, object.union, object.union_n, object.subset, json.filter,
// json.remove, json.patch, and the walk relation.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"

namespace policyd {
namespace {

// ---- object.get ----

// The value at `path` below `v`: object keys, array indices (integers), and
// set elements (a set element is its own child). nullptr when absent.
const Value* FindPath(const Value& v, absl::Span<const Value> path) {
  const Value* cur = &v;
  for (const Value& seg : path) {
    switch (cur->kind()) {
      case Kind::kObject:
        cur = cur->Find(seg);
        break;
      case Kind::kArray: {
        int64_t i;
        cur = seg.is_number() && seg.AsInt64(&i) ? cur->At(i) : nullptr;
        break;
      }
      case Kind::kSet:
        cur = cur->Contains(seg) ? &seg : nullptr;
        break;
      default:
        return nullptr;
    }
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

// object.get(obj, key, default): an array key is a path; never undefined.
BuiltinResult ObjectGet(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("object.get", 1, args[0], Kind::kObject));
  const Value* found = args[1].is_array()
                           ? FindPath(args[0], args[1].elements())
                           : args[0].Find(args[1]);
  return ValueResult(found != nullptr ? *found : args[2]);
}

BuiltinResult ObjectKeys(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("object.keys", 1, args[0], Kind::kObject));
  std::vector<Value> keys;
  keys.reserve(args[0].size());
  for (const auto& e : args[0].entries()) keys.push_back(e.first);
  return ValueResult(Value::SetFromSorted(std::move(keys)));
}

// ---- object.remove, object.filter ----

// The keys operand of object.remove/object.filter (array, set, or the keys
// of an object), as something to test membership in.
class KeySet {
 public:
  static absl::StatusOr<KeySet> Of(std::string_view name, const Value& v) {
    switch (v.kind()) {
      case Kind::kSet:
      case Kind::kObject:
        return KeySet(v);
      case Kind::kArray:
        return KeySet(Value::Set(CopyElements(v.elements())));
      default:
        return OperandTypeError(name, 2, "one of {object, set, array}", v);
    }
  }
  bool Contains(const Value& k) const {
    return keys_.is_set() ? keys_.Contains(k) : keys_.Find(k) != nullptr;
  }
  size_t size() const { return keys_.size(); }

 private:
  explicit KeySet(Value keys) : keys_(std::move(keys)) {}
  Value keys_;  // a set, or an object whose keys count
};

BuiltinResult ObjectRemove(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("object.remove", 1, args[0], Kind::kObject));
  POLICYD_ASSIGN_OR_RETURN(KeySet keys, KeySet::Of("object.remove", args[1]));
  std::vector<ObjectEntry> out;
  for (const auto& e : args[0].entries()) {
    if (!keys.Contains(e.first)) out.emplace_back(e.first, e.second);
  }
  if (out.size() == args[0].size()) return ValueResult(args[0]);
  return ValueResult(Value::ObjectFromSorted(std::move(out)));
}

BuiltinResult ObjectFilter(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("object.filter", 1, args[0], Kind::kObject));
  POLICYD_ASSIGN_OR_RETURN(KeySet keys, KeySet::Of("object.filter", args[1]));
  std::vector<ObjectEntry> out;
  for (const auto& e : args[0].entries()) {
    if (keys.Contains(e.first)) out.emplace_back(e.first, e.second);
  }
  if (out.size() == args[0].size()) return ValueResult(args[0]);
  return ValueResult(Value::ObjectFromSorted(std::move(out)));
}

// ---- object.union, object.union_n ----

// Keys of b overwrite those of a, except that two objects under the same key
// merge recursively.
Value Merge(const Value& a, const Value& b) {
  if (a.size() == 0) return b;
  if (b.size() == 0) return a;
  EntriesView x = a.entries();
  EntriesView y = b.entries();
  std::vector<ObjectEntry> out;
  out.reserve(x.size() + y.size());
  size_t i = 0, j = 0;
  while (i < x.size() || j < y.size()) {
    int c = i == x.size() ? 1 : j == y.size() ? -1 : x[i].first.Compare(y[j].first);
    if (c < 0) {
      out.emplace_back(x[i].first, x[i].second);
      ++i;
    } else if (c > 0) {
      out.emplace_back(y[j].first, y[j].second);
      ++j;
    } else {
      const Value& va = x[i].second;
      const Value& vb = y[j].second;
      out.emplace_back(y[j].first,
                       va.is_object() && vb.is_object() ? Merge(va, vb) : vb);
      ++i;
      ++j;
    }
  }
  return Value::ObjectFromSorted(std::move(out));
}

BuiltinResult ObjectUnion(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("object.union", 1, args[0], Kind::kObject));
  POLICYD_RETURN_IF_ERROR(CheckOperand("object.union", 2, args[1], Kind::kObject));
  return ValueResult(Merge(args[0], args[1]));
}

BuiltinResult ObjectUnionN(BuiltinContext&, absl::Span<const Value> args) {
  const Value& objs = args[0];
  POLICYD_RETURN_IF_ERROR(CheckOperand("object.union_n", 1, objs, Kind::kArray));
  for (const Value& o : objs.elements()) {
    if (!o.is_object()) return OperandElementError("object.union_n", 1, objs, "object", o);
  }
  Value result = Value::Object({});
  for (const Value& o : objs.elements()) result = Merge(result, o);
  return ValueResult(std::move(result));
}

// ---- object.subset ----

bool IsSubset(const Value& super, const Value& sub);

bool ArraySubset(absl::Span<const Value> super, absl::Span<const Value> sub) {
  // `sub` must occur as a contiguous run in `super`.
  return std::search(super.begin(), super.end(), sub.begin(), sub.end()) != super.end() ||
         sub.empty();
}

bool SetSubset(const Value& super, const Value& sub) {
  for (const Value& e : sub.elements()) {
    if (!super.Contains(e)) return false;
  }
  return true;
}

bool ObjectSubset(const Value& super, const Value& sub) {
  for (const auto& e : sub.entries()) {
    const Value* s = super.Find(e.first);
    if (s == nullptr) return false;
    if (*s == e.second) continue;
    if (s->kind() != e.second.kind() || s->kind() < Kind::kArray) return false;
    if (!IsSubset(*s, e.second)) return false;
  }
  return true;
}

// For two values of the same collection kind, or an array and a set.
bool IsSubset(const Value& super, const Value& sub) {
  if (super.is_object()) return ObjectSubset(super, sub);
  if (super.is_set()) return SetSubset(super, sub);
  if (sub.is_array()) return ArraySubset(super.elements(), sub.elements());
  // An array and a set: as many array elements as the set has occur in the
  // set. (OPA counts repeated array elements again, and finds nothing in an
  // empty array, even for an empty set; kept for identical results.)
  size_t found = 0;
  for (const Value& e : super.elements()) {
    if (sub.Contains(e)) ++found;
  }
  return super.size() > 0 && found >= sub.size();
}

BuiltinResult ObjectSubsetFn(BuiltinContext&, absl::Span<const Value> args) {
  const Value& super = args[0];
  const Value& sub = args[1];
  bool same = super.kind() == sub.kind() && super.is_collection();
  if (!same && !(super.is_array() && sub.is_set())) {
    return absl::InvalidArgumentError(
        "object.subset: both arguments object.subset must be of the same type or "
        "array and set");
  }
  return BoolResult(IsSubset(super, sub));
}

// ---- json.filter, json.remove ----

// A tree of paths: a leaf selects the whole value below it.
struct PathTree {
  bool leaf = false;
  std::map<Value, std::unique_ptr<PathTree>> children;
  const PathTree* Child(const Value& key) const {
    auto it = children.find(key);
    return it == children.end() ? nullptr : it->second.get();
  }
};

// A path operand element: "a/b/c" (JSON-pointer-like, leading slashes
// ignored, ~1 and ~0 unescaped) or an array of segments.
absl::Status ParsePath(std::string_view name, const Value& p, std::vector<Value>* out) {
  out->clear();
  if (p.is_array()) {
    *out = CopyElements(p.elements());
    return absl::OkStatus();
  }
  if (!p.is_string()) {
    return absl::InvalidArgumentError(
        Concat(name, ": operand 2 must be one of {set, array} containing string paths or "
                     "array of path segments but got ",
               KindName(p.kind())));
  }
  std::string_view s = p.string();
  if (s.empty()) return absl::OkStatus();
  s.remove_prefix(std::min(s.find_first_not_of('/'), s.size()));
  while (true) {
    size_t slash = s.find('/');
    std::string part(s.substr(0, slash));
    std::string unescaped;
    for (size_t i = 0; i < part.size(); ++i) {
      if (part[i] == '~' && i + 1 < part.size() && part[i + 1] == '1') {
        unescaped.push_back('/');
        ++i;
      } else {
        unescaped.push_back(part[i]);
      }
    }
    part.clear();
    for (size_t i = 0; i < unescaped.size(); ++i) {
      if (unescaped[i] == '~' && i + 1 < unescaped.size() && unescaped[i + 1] == '0') {
        part.push_back('~');
        ++i;
      } else {
        part.push_back(unescaped[i]);
      }
    }
    out->push_back(Value::String(std::move(part)));
    if (slash == std::string_view::npos) break;
    s.remove_prefix(slash + 1);
  }
  return absl::OkStatus();
}

// Builds the path tree of json.filter/json.remove's operand 2. A shorter
// path wins over longer ones below it, whatever their order.
absl::StatusOr<PathTree> BuildPathTree(std::string_view name, const Value& paths) {
  if (!paths.is_array() && !paths.is_set()) {
    return OperandTypeError(name, 2, "one of {set, array}", paths);
  }
  PathTree root;
  std::vector<Value> path;
  for (const Value& p : paths.elements()) {
    POLICYD_RETURN_IF_ERROR(ParsePath(name, p, &path));
    if (path.empty()) continue;
    PathTree* node = &root;
    bool covered = false;
    for (size_t i = 0; i + 1 < path.size(); ++i) {
      std::unique_ptr<PathTree>& child = node->children[path[i]];
      if (child == nullptr) child = std::make_unique<PathTree>();
      if (child->leaf) {
        covered = true;
        break;
      }
      node = child.get();
    }
    if (covered) continue;
    auto leaf = std::make_unique<PathTree>();
    leaf->leaf = true;
    node->children[path.back()] = std::move(leaf);
  }
  return root;
}

// Array elements are selected by their index written as a string ("0").
Value IndexKey(size_t i) { return Value::String(std::to_string(i)); }

Value Filter(const Value& v, const PathTree& tree) {
  if (tree.leaf) return v;
  switch (v.kind()) {
    case Kind::kObject: {
      std::vector<ObjectEntry> out;
      for (const auto& e : v.entries()) {
        if (const PathTree* t = tree.Child(e.first)) {
          out.emplace_back(e.first, Filter(e.second, *t));
        }
      }
      return Value::ObjectFromSorted(std::move(out));
    }
    case Kind::kArray: {
      std::vector<Value> out;
      absl::Span<const Value> xs = v.elements();
      for (size_t i = 0; i < xs.size(); ++i) {
        if (const PathTree* t = tree.Child(IndexKey(i))) out.push_back(Filter(xs[i], *t));
      }
      return Value::Array(std::move(out));
    }
    case Kind::kSet: {
      std::vector<Value> out;
      for (const Value& e : v.elements()) {
        if (const PathTree* t = tree.Child(e)) out.push_back(Filter(e, *t));
      }
      return Value::Set(std::move(out));
    }
    default:
      return v;
  }
}

// nullopt when the whole value is removed.
std::optional<Value> Remove(const Value& v, const PathTree* tree) {
  if (tree == nullptr) return v;
  if (tree->leaf) return std::nullopt;
  switch (v.kind()) {
    case Kind::kObject: {
      std::vector<ObjectEntry> out;
      for (const auto& e : v.entries()) {
        if (std::optional<Value> r = Remove(e.second, tree->Child(e.first))) {
          out.emplace_back(e.first, *std::move(r));
        }
      }
      return Value::ObjectFromSorted(std::move(out));
    }
    case Kind::kArray: {
      std::vector<Value> out;
      absl::Span<const Value> xs = v.elements();
      for (size_t i = 0; i < xs.size(); ++i) {
        if (std::optional<Value> r = Remove(xs[i], tree->Child(IndexKey(i)))) {
          out.push_back(*std::move(r));
        }
      }
      return Value::Array(std::move(out));
    }
    case Kind::kSet: {
      std::vector<Value> out;
      for (const Value& e : v.elements()) {
        if (std::optional<Value> r = Remove(e, tree->Child(e))) out.push_back(*std::move(r));
      }
      return Value::Set(std::move(out));
    }
    default:
      return v;
  }
}

BuiltinResult JsonFilter(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("json.filter", 1, args[0], Kind::kObject));
  POLICYD_ASSIGN_OR_RETURN(PathTree tree, BuildPathTree("json.filter", args[1]));
  return ValueResult(Filter(args[0], tree));
}

BuiltinResult JsonRemove(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("json.remove", 1, args[0], Kind::kObject));
  POLICYD_ASSIGN_OR_RETURN(PathTree tree, BuildPathTree("json.remove", args[1]));
  std::optional<Value> r = Remove(args[0], &tree);
  if (!r) return std::nullopt;
  return ValueResult(*std::move(r));
}

// ---- json.patch ----
// Any failing operation (bad path, missing member, failed test) makes the
// result undefined, as in OPA; only a non-array patch list is a type error.

// An array index from a path segment: a number, or a decimal string without
// leading zeros; "-" (the end) only where `insert` allows it. In range
// [0, n] for inserts, [0, n) otherwise.
std::optional<size_t> ArrayIndex(const Value& seg, size_t n, bool insert) {
  int64_t i = -1;
  if (seg.is_number()) {
    if (!seg.AsInt64(&i)) return std::nullopt;
  } else if (seg.is_string()) {
    std::string_view s = seg.string();
    if (s == "-" && insert) return n;
    if (s.empty() || s.size() > 18 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
    i = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      i = i * 10 + (c - '0');
    }
  } else {
    return std::nullopt;
  }
  if (i < 0 || static_cast<uint64_t>(i) > n || (!insert && static_cast<uint64_t>(i) == n)) {
    return std::nullopt;
  }
  return static_cast<size_t>(i);
}

Value WithEntry(const Value& obj, const Value& key, Value value) {
  std::vector<ObjectEntry> out = obj.entries().ToVector();
  auto it = std::lower_bound(out.begin(), out.end(), key,
                             [](const ObjectEntry& e, const Value& k) { return e.first < k; });
  if (it != out.end() && it->first == key) {
    it->second = std::move(value);
  } else {
    out.emplace(it, key, std::move(value));
  }
  return Value::ObjectFromSorted(std::move(out));
}

Value WithoutElement(const Value& set, const Value& elem) {
  std::vector<Value> out;
  out.reserve(set.size());
  for (const Value& e : set.elements()) {
    if (e != elem) out.push_back(e);
  }
  return Value::SetFromSorted(std::move(out));
}

Value WithElement(const Value& set, Value elem) {
  std::vector<Value> out = CopyElements(set.elements());
  out.push_back(std::move(elem));
  return Value::Set(std::move(out));
}

using Path = absl::Span<const Value>;

// `doc` with its child `seg` replaced by `child` (seg known to exist).
Value ReplaceChild(const Value& doc, const Value& seg, Value child) {
  switch (doc.kind()) {
    case Kind::kObject:
      return WithEntry(doc, seg, std::move(child));
    case Kind::kArray: {
      std::vector<Value> out = CopyElements(doc.elements());
      out[*ArrayIndex(seg, out.size(), false)] = std::move(child);
      return Value::Array(std::move(out));
    }
    default:  // a set: the element is replaced by its edited form
      return WithElement(WithoutElement(doc, seg), std::move(child));
  }
}

// The child `seg` of `doc`, or nullptr.
const Value* Child(const Value& doc, const Value& seg) { return FindPath(doc, {&seg, 1}); }

const Value* ChildForPatch(const Value& doc, const Value& seg) {
  if (!doc.is_array()) return Child(doc, seg);
  std::optional<size_t> i = ArrayIndex(seg, doc.size(), false);
  return i ? &doc.elements()[*i] : nullptr;
}

std::optional<Value> PatchAdd(const Value& doc, Path path, const Value& value) {
  if (path.empty()) return value;
  const Value& seg = path.front();
  if (path.size() > 1) {
    const Value* child = ChildForPatch(doc, seg);
    if (child == nullptr) return std::nullopt;
    std::optional<Value> edited = PatchAdd(*child, path.subspan(1), value);
    if (!edited) return std::nullopt;
    return ReplaceChild(doc, seg, *std::move(edited));
  }
  switch (doc.kind()) {
    case Kind::kObject:
      return WithEntry(doc, seg, value);
    case Kind::kArray: {
      std::optional<size_t> i = ArrayIndex(seg, doc.size(), true);
      if (!i) return std::nullopt;
      std::vector<Value> out = CopyElements(doc.elements());
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(*i), value);
      return Value::Array(std::move(out));
    }
    case Kind::kSet:
      // A set member's key is the member itself.
      if (seg != value) return std::nullopt;
      return WithElement(doc, value);
    default:
      return std::nullopt;
  }
}

std::optional<Value> PatchRemove(const Value& doc, Path path) {
  if (path.empty()) return std::nullopt;
  const Value& seg = path.front();
  const Value* child = ChildForPatch(doc, seg);
  if (child == nullptr) return std::nullopt;
  if (path.size() > 1) {
    std::optional<Value> edited = PatchRemove(*child, path.subspan(1));
    if (!edited) return std::nullopt;
    return ReplaceChild(doc, seg, *std::move(edited));
  }
  switch (doc.kind()) {
    case Kind::kObject: {
      std::vector<ObjectEntry> out;
      out.reserve(doc.size());
      for (const auto& e : doc.entries()) {
        if (e.first != seg) out.emplace_back(e.first, e.second);
      }
      return Value::ObjectFromSorted(std::move(out));
    }
    case Kind::kArray: {
      std::vector<Value> out = CopyElements(doc.elements());
      out.erase(out.begin() + (child - doc.elements().data()));
      return Value::Array(std::move(out));
    }
    default:
      return WithoutElement(doc, seg);
  }
}

std::optional<Value> PatchGet(const Value& doc, Path path) {
  const Value* cur = &doc;
  for (const Value& seg : path) {
    cur = ChildForPatch(*cur, seg);
    if (cur == nullptr) return std::nullopt;
  }
  return *cur;
}

// Applies one operation object to `doc`.
std::optional<Value> ApplyPatch(const Value& doc, const Value& op) {
  if (!op.is_object()) return std::nullopt;
  const Value* name = op.Find("op");
  const Value* path_v = op.Find("path");
  if (name == nullptr || !name->is_string() || path_v == nullptr) return std::nullopt;
  std::vector<Value> path;
  if (!ParsePath("json.patch", *path_v, &path).ok()) return std::nullopt;
  std::string_view kind = name->string();
  if (kind == "add" || kind == "replace" || kind == "test") {
    const Value* value = op.Find("value");
    if (value == nullptr) return std::nullopt;
    if (kind == "add") return PatchAdd(doc, path, *value);
    if (kind == "test") {
      std::optional<Value> got = PatchGet(doc, path);
      if (!got || *got != *value) return std::nullopt;
      return doc;
    }
    if (path.empty()) return *value;
    std::optional<Value> removed = PatchRemove(doc, path);
    if (!removed) return std::nullopt;
    return PatchAdd(*removed, path, *value);
  }
  if (kind == "remove") return PatchRemove(doc, path);
  if (kind == "move" || kind == "copy") {
    const Value* from_v = op.Find("from");
    if (from_v == nullptr) return std::nullopt;
    std::vector<Value> from;
    if (!ParsePath("json.patch", *from_v, &from).ok()) return std::nullopt;
    std::optional<Value> chunk = PatchGet(doc, from);
    if (!chunk) return std::nullopt;
    std::optional<Value> base = doc;
    if (kind == "move") {
      base = PatchRemove(doc, from);
      if (!base) return std::nullopt;
    }
    return PatchAdd(*base, path, *chunk);
  }
  return std::nullopt;
}

BuiltinResult JsonPatch(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("json.patch", 2, args[1], Kind::kArray));
  Value doc = args[0];
  for (const Value& op : args[1].elements()) {
    std::optional<Value> next = ApplyPatch(doc, op);
    if (!next) return std::nullopt;
    doc = *std::move(next);
  }
  return ValueResult(std::move(doc));
}

// ---- walk ----

// Appends [path, value] for `v` and everything below it, pre-order.
void Walk(const Value& v, std::vector<Value>* path, std::vector<Value>* out) {
  out->push_back(Value::Array({Value::Array(*path), v}));
  switch (v.kind()) {
    case Kind::kObject:
      for (const auto& e : v.entries()) {
        path->push_back(e.first);
        Walk(e.second, path, out);
        path->pop_back();
      }
      break;
    case Kind::kArray: {
      absl::Span<const Value> xs = v.elements();
      for (size_t i = 0; i < xs.size(); ++i) {
        path->push_back(Value::Int(static_cast<int64_t>(i)));
        Walk(xs[i], path, out);
        path->pop_back();
      }
      break;
    }
    case Kind::kSet:
      for (const Value& e : v.elements()) {
        path->push_back(e);
        Walk(e, path, out);
        path->pop_back();
      }
      break;
    default:
      break;
  }
}

BuiltinResult WalkFn(BuiltinContext&, absl::Span<const Value> args) {
  std::vector<Value> path;
  std::vector<Value> out;
  Walk(args[0], &path, &out);
  return ValueResult(Value::Array(std::move(out)));
}

}  // namespace

void RegisterObjectBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "object.get", .arity = 3, .fn = ObjectGet});
  registry.Add({.name = "object.keys", .arity = 1, .fn = ObjectKeys});
  registry.Add({.name = "object.remove", .arity = 2, .fn = ObjectRemove});
  registry.Add({.name = "object.filter", .arity = 2, .fn = ObjectFilter});
  registry.Add({.name = "object.union", .arity = 2, .fn = ObjectUnion});
  registry.Add({.name = "object.union_n", .arity = 1, .fn = ObjectUnionN});
  registry.Add({.name = "object.subset", .arity = 2, .fn = ObjectSubsetFn});
  registry.Add({.name = "json.filter", .arity = 2, .fn = JsonFilter});
  registry.Add({.name = "json.remove", .arity = 2, .fn = JsonRemove});
  registry.Add({.name = "json.patch", .arity = 2, .fn = JsonPatch});
  registry.Add({.name = "walk", .arity = 1, .fn = WalkFn, .relation = true});
}

}  // namespace policyd
