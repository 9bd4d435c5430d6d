#include "engine/syntax/printer.h"

#include <string>
#include <string_view>

namespace policyd::ast {
namespace {

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

void AppendTerm(const Term& t, std::string* out);

void AppendList(const std::vector<TermPtr>& items, size_t from,
                std::string* out) {
  for (size_t i = from; i < items.size(); ++i) {
    if (i > from) out->append(", ");
    AppendTerm(*items[i], out);
  }
}

void AppendBody(const Body& body, std::string* out) {
  for (size_t i = 0; i < body.size(); ++i) {
    if (i) out->append("; ");
    out->append(ExprString(body[i]));
  }
}

void AppendRef(const std::vector<TermPtr>& items, std::string* out) {
  for (size_t i = 0; i < items.size(); ++i) {
    const Term& item = *items[i];
    if (i == 0) {
      AppendTerm(item, out);
    } else if (item.kind == TermKind::kScalar && item.value.is_string() &&
               IsIdentifier(item.value.string())) {
      out->push_back('.');
      out->append(item.value.string());
    } else {
      out->push_back('[');
      AppendTerm(item, out);
      out->push_back(']');
    }
  }
}

void AppendTemplateLiteral(std::string_view text, std::string* out) {
  // The value's own quoting, minus the quotes, then braces escaped.
  std::string quoted = Value::String(text).ToRego();
  for (char c : std::string_view(quoted).substr(1, quoted.size() - 2)) {
    if (c == '{') out->push_back('\\');
    out->push_back(c);
  }
}

void AppendTerm(const Term& t, std::string* out) {
  switch (t.kind) {
    case TermKind::kScalar:
      t.value.AppendRego(out);
      return;
    case TermKind::kVar:
      out->append(t.name);
      return;
    case TermKind::kRef:
      AppendRef(t.items, out);
      return;
    case TermKind::kArray:
      out->push_back('[');
      AppendList(t.items, 0, out);
      out->push_back(']');
      return;
    case TermKind::kSet:
      if (t.items.empty()) {
        out->append("set()");
        return;
      }
      out->push_back('{');
      AppendList(t.items, 0, out);
      out->push_back('}');
      return;
    case TermKind::kObject:
      out->push_back('{');
      for (size_t i = 0; i < t.pairs.size(); ++i) {
        if (i) out->append(", ");
        AppendTerm(*t.pairs[i].first, out);
        out->append(": ");
        AppendTerm(*t.pairs[i].second, out);
      }
      out->push_back('}');
      return;
    case TermKind::kArrayCompr:
    case TermKind::kSetCompr:
    case TermKind::kObjectCompr:
      out->push_back(t.kind == TermKind::kArrayCompr ? '[' : '{');
      if (t.kind == TermKind::kObjectCompr) {
        AppendTerm(*t.key, out);
        out->append(": ");
      }
      AppendTerm(*t.head, out);
      out->append(" | ");
      AppendBody(*t.body, out);
      out->push_back(t.kind == TermKind::kArrayCompr ? ']' : '}');
      return;
    case TermKind::kCall:
      AppendTerm(*t.items[0], out);
      out->push_back('(');
      AppendList(t.items, 1, out);
      out->push_back(')');
      return;
    case TermKind::kTemplate:
      out->append("$\"");
      for (size_t i = 0; i < t.items.size(); ++i) {
        if (i % 2 == 0) {
          AppendTemplateLiteral(t.items[i]->value.string(), out);
        } else {
          out->push_back('{');
          AppendTerm(*t.items[i], out);
          out->push_back('}');
        }
      }
      out->push_back('"');
      return;
  }
}

void AppendHead(const Rule& rule, std::string* out) {
  const RuleHead& head = rule.head;
  if (rule.is_default) out->append("default ");
  AppendTerm(*head.ref, out);
  if (head.has_args || !head.args.empty()) {
    out->push_back('(');
    AppendList(head.args, 0, out);
    out->push_back(')');
  }
  if (head.key) {
    out->append(" contains ");
    AppendTerm(*head.key, out);
  }
  if (head.value) {
    out->append(head.assign ? " := " : " = ");
    AppendTerm(*head.value, out);
  }
}

}  // namespace

std::string TermString(const Term& term) {
  std::string out;
  AppendTerm(term, &out);
  return out;
}

std::string ExprString(const Expr& e) {
  std::string out;
  if (e.negated) out.append("not ");
  switch (e.kind) {
    case ExprKind::kTerm:
      AppendTerm(*e.term, &out);
      break;
    case ExprKind::kUnify:
    case ExprKind::kAssign:
      AppendTerm(*e.lhs, &out);
      out.append(e.kind == ExprKind::kUnify ? " = " : " := ");
      AppendTerm(*e.rhs, &out);
      break;
    case ExprKind::kSome:
      out.append("some ");
      AppendList(e.vars, 0, &out);
      break;
    case ExprKind::kSomeIn:
    case ExprKind::kEvery:
      out.append(e.kind == ExprKind::kSomeIn ? "some " : "every ");
      if (e.key) {
        AppendTerm(*e.key, &out);
        out.append(", ");
      }
      AppendTerm(*e.value, &out);
      out.append(" in ");
      AppendTerm(*e.collection, &out);
      if (e.kind == ExprKind::kEvery) {
        out.append(" { ");
        AppendBody(*e.body, &out);
        out.append(" }");
      }
      break;
  }
  for (const With& w : e.withs) {
    out.append(" with ");
    AppendTerm(*w.target, &out);
    out.append(" as ");
    AppendTerm(*w.value, &out);
  }
  return out;
}

std::string BodyString(const Body& body) {
  std::string out;
  AppendBody(body, &out);
  return out;
}

std::string RuleString(const Rule& rule) {
  std::string out;
  AppendHead(rule, &out);
  for (const Rule* r = &rule; r != nullptr; r = r->else_rule.get()) {
    if (r != &rule) {
      out.append(" else");
      if (r->head.value) {
        out.append(r->head.assign ? " := " : " = ");
        AppendTerm(*r->head.value, &out);
      }
    }
    if (!r->body.empty()) {
      out.append(" if { ");
      AppendBody(r->body, &out);
      out.append(" }");
    }
  }
  return out;
}

}  // namespace policyd::ast
