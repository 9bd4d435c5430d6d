#include "service/api/data_write_api.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "bundles/roots.h"
#include "engine/value/json.h"
#include "service/api/rest_util.h"

namespace policyd {
namespace {

using Path = std::vector<std::string>;

// Writes refused before any change is made carry their HTTP answer.
struct WriteError {
  int status;
  std::string code;
  std::string message;
};

// The index `key` names in an array of `size` (`-` appends when allowed).
std::optional<size_t> ArrayIndex(const std::string& key, size_t size, bool append) {
  if (append && key == "-") return size;
  size_t index;
  if (key.empty() || (key.size() > 1 && key[0] == '0') ||
      !absl::SimpleAtoi(key, &index) || index > size || (!append && index == size)) {
    return std::nullopt;
  }
  return index;
}

const Value* Lookup(const Value& root, const Path& path) {
  const Value* v = &root;
  for (const std::string& key : path) {
    if (v->is_object()) {
      v = v->Find(key);
    } else if (v->is_array()) {
      std::optional<size_t> i = ArrayIndex(key, v->elements().size(), false);
      v = i ? &v->elements()[*i] : nullptr;
    } else {
      return nullptr;
    }
    if (v == nullptr) return nullptr;
  }
  return v;
}

enum class Op { kSet, kInsert, kRemove };

// `root` with the document at path[i..] set, inserted (arrays) or removed.
// Objects on the way are created for kSet; anything else missing is an
// error.
absl::StatusOr<Value> Edit(const Value& root, const Path& path, size_t i, Op op,
                           const Value& value) {
  const std::string& key = path[i];
  bool last = i + 1 == path.size();
  if (root.is_object()) {
    std::vector<ObjectEntry> entries = root.entries().ToVector();
    for (auto it = entries.begin(); it != entries.end(); ++it) {
      if (it->first != Value::String(key)) continue;
      if (last) {
        if (op == Op::kRemove) {
          entries.erase(it);
        } else {
          it->second = value;
        }
      } else {
        absl::StatusOr<Value> child = Edit(it->second, path, i + 1, op, value);
        if (!child.ok()) return child.status();
        it->second = *std::move(child);
      }
      return Value::ObjectFromSorted(std::move(entries));
    }
    if (op == Op::kRemove) return absl::NotFoundError(key);
    if (!last && op != Op::kSet) return absl::NotFoundError(key);
    absl::StatusOr<Value> child =
        last ? absl::StatusOr<Value>(value)
             : Edit(Value::Object({}), path, i + 1, op, value);
    if (!child.ok()) return child.status();
    entries.emplace_back(Value::String(key), *std::move(child));
    return Value::Object(std::move(entries));
  }
  if (root.is_array()) {
    std::vector<Value> elems(root.elements().begin(), root.elements().end());
    std::optional<size_t> index =
        ArrayIndex(key, elems.size(), last && op == Op::kInsert);
    if (!index) return absl::NotFoundError(key);
    if (!last) {
      absl::StatusOr<Value> child = Edit(elems[*index], path, i + 1, op, value);
      if (!child.ok()) return child.status();
      elems[*index] = *std::move(child);
    } else if (op == Op::kRemove) {
      elems.erase(elems.begin() + *index);
    } else if (op == Op::kInsert) {
      elems.insert(elems.begin() + *index, value);
    } else {
      elems[*index] = value;
    }
    return Value::Array(std::move(elems));
  }
  return absl::NotFoundError(key);
}

std::string PathText(const Path& path) { return "/" + absl::StrJoin(path, "/"); }

// Applies one change to the overlay's data; the documents under `path` must
// lie outside every bundle's roots.
absl::Status Apply(bundles::Overlay& overlay, const bundles::Snapshot& current,
                   const Path& path, Op op, const Value& value) {
  if (std::optional<std::string> owner = OwningBundle(current, path)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "path \"", PathText(path), "\" is owned by bundle \"", *owner, "\""));
  }
  if (path.empty()) {
    if (op == Op::kRemove) {
      overlay.data = Value::Object({});
    } else if (!value.is_object()) {
      return absl::InvalidArgumentError("the root document must be an object");
    } else {
      overlay.data = value;
    }
    return absl::OkStatus();
  }
  absl::StatusOr<Value> edited = Edit(overlay.data, path, 0, op, value);
  if (!edited.ok()) {
    return absl::NotFoundError(absl::StrCat(
        "storage_not_found_error: ", PathText(path), ": document missing"));
  }
  overlay.data = *std::move(edited);
  return absl::OkStatus();
}

HttpResponse Answer(const absl::Status& status) {
  if (status.ok()) {
    HttpResponse r;
    r.status = 204;
    return r;
  }
  std::string_view message(status.message().data(), status.message().size());
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return RestError(404, "resource_not_found", message);
    case absl::StatusCode::kFailedPrecondition:
      return RestError(400, "invalid_parameter", message);
    case absl::StatusCode::kAlreadyExists: {
      HttpResponse r;
      r.status = 304;
      return r;
    }
    default:
      return RestErrorFor(status);
  }
}

struct PatchOp {
  Op op;
  Path path;
  Value value;
};

absl::StatusOr<std::vector<PatchOp>> ParsePatch(const std::string& body,
                                                const Path& base) {
  absl::StatusOr<Value> doc = ParseJson(body);
  if (!doc.ok() || !doc->is_array()) {
    return absl::InvalidArgumentError(
        "the body must be a JSON Patch: an array of {\"op\", \"path\", \"value\"}");
  }
  std::vector<PatchOp> ops;
  for (const Value& item : doc->elements()) {
    const Value* op = item.is_object() ? item.Find("op") : nullptr;
    const Value* path = item.is_object() ? item.Find("path") : nullptr;
    if (op == nullptr || !op->is_string() || path == nullptr || !path->is_string()) {
      return absl::InvalidArgumentError("each patch needs a string \"op\" and \"path\"");
    }
    PatchOp parsed;
    std::string_view name = op->string();
    if (name == "add") {
      parsed.op = Op::kInsert;
    } else if (name == "replace") {
      parsed.op = Op::kSet;
    } else if (name == "remove") {
      parsed.op = Op::kRemove;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "patch op \"", std::string(name), "\" is not supported (add, remove, replace)"));
    }
    if (parsed.op != Op::kRemove) {
      const Value* value = item.Find("value");
      if (value == nullptr) {
        return absl::InvalidArgumentError("add and replace need a \"value\"");
      }
      parsed.value = *value;
    }
    parsed.path = base;
    // A JSON pointer: "/a/b", with ~1 for "/" and ~0 for "~".
    std::string_view pointer = path->string();
    for (absl::string_view seg : absl::StrSplit(
             absl::string_view(pointer.data(), pointer.size()), '/', absl::SkipEmpty())) {
      std::string key = absl::StrReplaceAll(seg, {{"~1", "/"}, {"~0", "~"}});
      parsed.path.push_back(std::move(key));
    }
    ops.push_back(std::move(parsed));
  }
  return ops;
}

}  // namespace

std::optional<std::string> OwningBundle(const bundles::Snapshot& snapshot,
                                        const std::vector<std::string>& segments) {
  std::string path = absl::StrJoin(segments, "/");
  for (const auto& bundle : snapshot.bundles()) {
    for (const std::string& root : bundle->manifest.roots) {
      if (bundles::RootsOverlap(path, root)) return bundle->name;
    }
  }
  return std::nullopt;
}

HttpResponse HandleDataWrite(const HttpRequest& request,
                             const std::vector<std::string>& segments,
                             bundles::Store* store) {
  if (request.method == "PUT") {
    absl::StatusOr<Value> value = ParseJson(request.body);
    if (!value.ok()) {
      return RestError(400, "invalid_parameter",
                       absl::StrCat("body contains malformed JSON: ",
                                    value.status().message()));
    }
    const std::string* if_none_match = request.Header("if-none-match");
    bool only_if_missing = if_none_match != nullptr && *if_none_match == "*";
    return Answer(store->UpdateOverlay(
        [&](bundles::Overlay& overlay, const bundles::Snapshot& current) {
          if (only_if_missing && Lookup(current.data(), segments) != nullptr) {
            return absl::AlreadyExistsError("exists");
          }
          return Apply(overlay, current, segments, Op::kSet, *value);
        }));
  }
  if (request.method == "DELETE") {
    return Answer(store->UpdateOverlay(
        [&](bundles::Overlay& overlay, const bundles::Snapshot& current) {
          if (!segments.empty() && Lookup(overlay.data, segments) == nullptr) {
            if (std::optional<std::string> owner = OwningBundle(current, segments)) {
              return Apply(overlay, current, segments, Op::kRemove, Value());
            }
            return absl::NotFoundError(absl::StrCat(
                "storage_not_found_error: ", PathText(segments), ": document missing"));
          }
          return Apply(overlay, current, segments, Op::kRemove, Value());
        }));
  }
  // PATCH
  absl::StatusOr<std::vector<PatchOp>> ops = ParsePatch(request.body, segments);
  if (!ops.ok()) return RestErrorFor(ops.status());
  return Answer(store->UpdateOverlay(
      [&](bundles::Overlay& overlay, const bundles::Snapshot& current) {
        for (const PatchOp& op : *ops) {
          if (absl::Status s = Apply(overlay, current, op.path, op.op, op.value); !s.ok()) {
            return s;
          }
        }
        return absl::OkStatus();
      }));
}

}  // namespace policyd
