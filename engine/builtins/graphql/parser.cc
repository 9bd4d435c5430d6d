#include "engine/builtins/graphql/parser.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/go/quote.h"
#include "engine/builtins/graphql/lexer.h"

namespace policyd::graphql {

namespace {

bool IsDirectiveLocation(std::string_view name) {
  static constexpr std::string_view kLocations[] = {
      "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION",
      "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA",
      "SCALAR", "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION",
      "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT",
      "INPUT_FIELD_DEFINITION"};
  for (std::string_view l : kLocations) {
    if (l == name) return true;
  }
  return false;
}

// A recursive-descent parser that stops at the first error: once `error_` is
// set, Peek and Next keep returning the last consumed token, so every loop
// winds down without further messages.
class Parser {
 public:
  explicit Parser(std::string_view source) : lexer_(source) {}

  void ParseQueryDocument(QueryDocument* doc);
  void ParseSchemaDocument(SchemaDocument* doc);
  const std::optional<Error>& error() const { return error_; }

 private:
  const Token& Peek();
  Token Next();
  void Fail(const Token& at, std::string message) {
    if (!error_) error_ = Error{std::move(message), at.pos};
  }
  void UnexpectedToken(const Token& t) { Fail(t, "Unexpected " + t.Describe()); }
  void Unexpected() { UnexpectedToken(Peek()); }
  Token Expect(TokenKind kind);
  Token ExpectKeyword(std::string_view keyword);
  bool Skip(TokenKind kind);
  // `start item* end`, or nothing when the next token is not `start`.
  void Many(TokenKind start, TokenKind end, const std::function<void()>& item);
  // `start item+ end`, or nothing when the next token is not `start`.
  void Some(TokenKind start, TokenKind end, const std::function<void()>& item);

  std::string ParseName() { return Expect(TokenKind::kName).value; }
  std::string ParseOperationType();
  OperationDefinition ParseOperationDefinition();
  FragmentDefinition ParseFragmentDefinition();
  std::string ParseFragmentName();
  std::vector<VariableDefinition> ParseVariableDefinitions();
  std::vector<Selection> ParseSelectionSet(bool required);
  Selection ParseSelection();
  std::vector<Argument> ParseArguments(bool is_const);
  std::vector<Directive> ParseDirectives(bool is_const);
  Value ParseValue(bool is_const);
  Type ParseType();

  std::string ParseDescription();
  Definition ParseTypeDefinition(std::string description);
  void ParseExtension(SchemaDocument* doc);
  SchemaDefinition ParseSchemaDefinition(std::string description, bool extension);
  std::vector<std::string> ParseImplements();
  std::vector<std::string> ParseUnionMembers();
  std::vector<FieldDefinition> ParseFields(bool input);
  std::vector<InputValueDefinition> ParseArgumentDefinitions();
  InputValueDefinition ParseInputValue();
  std::vector<EnumValueDefinition> ParseEnumValues();
  DirectiveDefinition ParseDirectiveDefinition(std::string description);

  Lexer lexer_;
  Token prev_;
  Token peeked_;
  bool has_peeked_ = false;
  std::optional<Error> error_;
};

const Token& Parser::Peek() {
  if (error_) return prev_;
  if (!has_peeked_) {
    peeked_ = lexer_.Next();
    has_peeked_ = true;
  }
  return peeked_;
}

Token Parser::Next() {
  if (error_) return prev_;
  if (has_peeked_) {
    has_peeked_ = false;
    prev_ = std::move(peeked_);
  } else {
    prev_ = lexer_.Next();
  }
  return prev_;
}

Token Parser::Expect(TokenKind kind) {
  const Token& t = Peek();
  if (t.kind == kind) return Next();
  Fail(t, Concat("Expected ", TokenKindName(kind), ", found ", TokenKindName(t.kind)));
  return t;
}

Token Parser::ExpectKeyword(std::string_view keyword) {
  const Token& t = Peek();
  if (t.kind == TokenKind::kName && t.value == keyword) return Next();
  Fail(t, Concat("Expected ", GoQuote(keyword), ", found ", t.Describe()));
  return t;
}

bool Parser::Skip(TokenKind kind) {
  if (error_ || Peek().kind != kind) return false;
  Next();
  return true;
}

void Parser::Many(TokenKind start, TokenKind end, const std::function<void()>& item) {
  if (!Skip(start)) return;
  while (Peek().kind != end && !error_) item();
  Next();
}

void Parser::Some(TokenKind start, TokenKind end, const std::function<void()>& item) {
  if (!Skip(start)) return;
  bool any = false;
  while (Peek().kind != end && !error_) {
    any = true;
    item();
  }
  if (!any) {
    Fail(Peek(), Concat("expected at least one definition, found ",
                        TokenKindName(Peek().kind)));
    return;
  }
  Next();
}

// ---- Executable documents ----

void Parser::ParseQueryDocument(QueryDocument* doc) {
  while (Peek().kind != TokenKind::kEof && !error_) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kBraceL ||
        (t.kind == TokenKind::kName &&
         (t.value == "query" || t.value == "mutation" || t.value == "subscription"))) {
      doc->operations.push_back(ParseOperationDefinition());
    } else if (t.kind == TokenKind::kName && t.value == "fragment") {
      doc->fragments.push_back(ParseFragmentDefinition());
    } else {
      Unexpected();
    }
  }
}

std::string Parser::ParseOperationType() {
  Token t = Next();
  if (t.value == "query" || t.value == "mutation" || t.value == "subscription") {
    return t.value;
  }
  UnexpectedToken(t);
  return "";
}

OperationDefinition Parser::ParseOperationDefinition() {
  OperationDefinition op;
  op.pos = Peek().pos;
  if (Peek().kind == TokenKind::kBraceL) {
    op.operation = "query";
    op.selection_set = ParseSelectionSet(true);
    return op;
  }
  op.operation = ParseOperationType();
  if (Peek().kind == TokenKind::kName) op.name = Next().value;
  op.variable_definitions = ParseVariableDefinitions();
  op.directives = ParseDirectives(false);
  op.selection_set = ParseSelectionSet(true);
  return op;
}

std::vector<VariableDefinition> Parser::ParseVariableDefinitions() {
  std::vector<VariableDefinition> defs;
  Many(TokenKind::kParenL, TokenKind::kParenR, [&] {
    VariableDefinition def;
    def.pos = Peek().pos;
    Expect(TokenKind::kDollar);
    def.variable = ParseName();
    Expect(TokenKind::kColon);
    def.type = ParseType();
    if (Skip(TokenKind::kEquals)) def.default_value = ParseValue(true);
    def.directives = ParseDirectives(false);
    defs.push_back(std::move(def));
  });
  return defs;
}

std::vector<Selection> Parser::ParseSelectionSet(bool required) {
  std::vector<Selection> selections;
  if (required && Peek().kind != TokenKind::kBraceL) {
    Fail(Peek(), Concat("Expected {, found ", TokenKindName(Peek().kind)));
    return selections;
  }
  Some(TokenKind::kBraceL, TokenKind::kBraceR,
       [&] { selections.push_back(ParseSelection()); });
  return selections;
}

Selection Parser::ParseSelection() {
  Selection s;
  if (Peek().kind != TokenKind::kSpread) {
    s.kind = Selection::Kind::kField;
    s.pos = Peek().pos;
    s.alias = ParseName();
    s.name = Skip(TokenKind::kColon) ? ParseName() : s.alias;
    s.arguments = ParseArguments(false);
    s.directives = ParseDirectives(false);
    if (Peek().kind == TokenKind::kBraceL) s.selection_set = ParseSelectionSet(false);
    return s;
  }
  Expect(TokenKind::kSpread);
  if (Peek().kind == TokenKind::kName && Peek().value != "on") {
    s.kind = Selection::Kind::kFragmentSpread;
    s.pos = Peek().pos;
    s.name = ParseFragmentName();
    s.directives = ParseDirectives(false);
    return s;
  }
  s.kind = Selection::Kind::kInlineFragment;
  s.pos = Peek().pos;
  if (Peek().value == "on") {
    Next();
    s.type_condition = ParseName();
  }
  s.directives = ParseDirectives(false);
  s.selection_set = ParseSelectionSet(true);
  return s;
}

FragmentDefinition Parser::ParseFragmentDefinition() {
  FragmentDefinition def;
  def.pos = Peek().pos;
  ExpectKeyword("fragment");
  def.name = ParseFragmentName();
  def.variable_definition = ParseVariableDefinitions();
  ExpectKeyword("on");
  def.type_condition = ParseName();
  def.directives = ParseDirectives(false);
  def.selection_set = ParseSelectionSet(true);
  return def;
}

std::string Parser::ParseFragmentName() {
  if (Peek().value == "on") {
    Unexpected();
    return "";
  }
  return ParseName();
}

std::vector<Argument> Parser::ParseArguments(bool is_const) {
  std::vector<Argument> args;
  Many(TokenKind::kParenL, TokenKind::kParenR, [&] {
    Argument arg;
    arg.pos = Peek().pos;
    arg.name = ParseName();
    Expect(TokenKind::kColon);
    arg.value = ParseValue(is_const);
    args.push_back(std::move(arg));
  });
  return args;
}

std::vector<Directive> Parser::ParseDirectives(bool is_const) {
  std::vector<Directive> dirs;
  while (Peek().kind == TokenKind::kAt && !error_) {
    Expect(TokenKind::kAt);
    Directive d;
    d.pos = Peek().pos;
    d.name = ParseName();
    d.arguments = ParseArguments(is_const);
    dirs.push_back(std::move(d));
  }
  return dirs;
}

Value Parser::ParseValue(bool is_const) {
  Value v;
  Token t = Peek();
  v.pos = t.pos;
  switch (t.kind) {
    case TokenKind::kBracketL:
      v.kind = ValueKind::kList;
      Many(TokenKind::kBracketL, TokenKind::kBracketR, [&] {
        ChildValue c;
        c.pos = Peek().pos;
        c.value = ParseValue(is_const);
        v.children.push_back(std::move(c));
      });
      return v;
    case TokenKind::kBraceL:
      v.kind = ValueKind::kObject;
      Many(TokenKind::kBraceL, TokenKind::kBraceR, [&] {
        ChildValue c;
        c.pos = Peek().pos;
        c.name = ParseName();
        Expect(TokenKind::kColon);
        c.value = ParseValue(is_const);
        v.children.push_back(std::move(c));
      });
      return v;
    case TokenKind::kDollar:
      if (is_const) {
        Unexpected();
        return v;
      }
      Expect(TokenKind::kDollar);
      v.kind = ValueKind::kVariable;
      v.raw = ParseName();
      return v;
    case TokenKind::kInt: v.kind = ValueKind::kInt; break;
    case TokenKind::kFloat: v.kind = ValueKind::kFloat; break;
    case TokenKind::kString: v.kind = ValueKind::kString; break;
    case TokenKind::kBlockString: v.kind = ValueKind::kBlock; break;
    case TokenKind::kName:
      v.kind = t.value == "true" || t.value == "false" ? ValueKind::kBoolean
               : t.value == "null"                     ? ValueKind::kNull
                                                       : ValueKind::kEnum;
      break;
    default:
      Unexpected();
      return v;
  }
  Next();
  v.raw = t.value;
  return v;
}

Type Parser::ParseType() {
  Type type;
  if (Skip(TokenKind::kBracketL)) {
    type.pos = Peek().pos;
    type.elem = std::make_shared<Type>(ParseType());
    Expect(TokenKind::kBracketR);
  } else {
    type.pos = Peek().pos;
    type.named_type = ParseName();
  }
  type.non_null = Skip(TokenKind::kBang);
  return type;
}

// ---- Type system documents ----

void Parser::ParseSchemaDocument(SchemaDocument* doc) {
  while (Peek().kind != TokenKind::kEof && !error_) {
    std::string description = ParseDescription();
    if (Peek().kind != TokenKind::kName) {
      Unexpected();
      return;
    }
    const std::string& word = Peek().value;
    if (word == "scalar" || word == "type" || word == "interface" || word == "union" ||
        word == "enum" || word == "input") {
      doc->definitions.push_back(ParseTypeDefinition(std::move(description)));
    } else if (word == "schema") {
      doc->schema.push_back(ParseSchemaDefinition(std::move(description), false));
    } else if (word == "directive") {
      doc->directives.push_back(ParseDirectiveDefinition(std::move(description)));
    } else if (word == "extend") {
      // Extensions take no description: point at the one given.
      if (!description.empty()) UnexpectedToken(prev_);
      ParseExtension(doc);
    } else {
      Unexpected();
      return;
    }
  }
}

std::string Parser::ParseDescription() {
  TokenKind k = Peek().kind;
  if (k != TokenKind::kString && k != TokenKind::kBlockString) return "";
  return Next().value;
}

Definition Parser::ParseTypeDefinition(std::string description) {
  Definition def;
  def.description = std::move(description);
  std::string word = Next().value;
  def.pos = Peek().pos;
  def.name = ParseName();
  if (word == "scalar") {
    def.kind = "SCALAR";
    def.directives = ParseDirectives(true);
  } else if (word == "type" || word == "interface") {
    def.kind = word == "type" ? "OBJECT" : "INTERFACE";
    def.interfaces = ParseImplements();
    def.directives = ParseDirectives(true);
    def.fields = ParseFields(false);
  } else if (word == "union") {
    def.kind = "UNION";
    def.directives = ParseDirectives(true);
    def.types = ParseUnionMembers();
  } else if (word == "enum") {
    def.kind = "ENUM";
    def.directives = ParseDirectives(true);
    def.enum_values = ParseEnumValues();
  } else {
    def.kind = "INPUT_OBJECT";
    def.directives = ParseDirectives(true);
    def.fields = ParseFields(true);
  }
  return def;
}

void Parser::ParseExtension(SchemaDocument* doc) {
  ExpectKeyword("extend");
  std::string word = Peek().value;
  if (word == "schema") {
    doc->schema_extension.push_back(ParseSchemaDefinition("", true));
    return;
  }
  if (word != "scalar" && word != "type" && word != "interface" && word != "union" &&
      word != "enum" && word != "input") {
    Unexpected();
    return;
  }
  Definition def = ParseTypeDefinition("");
  // An extension must add something.
  if (def.directives.empty() && def.interfaces.empty() && def.fields.empty() &&
      def.types.empty() && def.enum_values.empty()) {
    Unexpected();
  }
  doc->extensions.push_back(std::move(def));
}

SchemaDefinition Parser::ParseSchemaDefinition(std::string description, bool extension) {
  SchemaDefinition def;
  def.description = std::move(description);
  ExpectKeyword("schema");
  def.pos = Peek().pos;
  def.directives = ParseDirectives(true);
  Some(TokenKind::kBraceL, TokenKind::kBraceR, [&] {
    OperationTypeDefinition op;
    op.pos = Peek().pos;
    op.operation = ParseOperationType();
    Expect(TokenKind::kColon);
    op.type = ParseName();
    def.operation_types.push_back(std::move(op));
  });
  if (extension && def.directives.empty() && def.operation_types.empty()) Unexpected();
  return def;
}

std::vector<std::string> Parser::ParseImplements() {
  std::vector<std::string> names;
  if (Peek().kind != TokenKind::kName || Peek().value != "implements") return names;
  Next();
  Skip(TokenKind::kAmp);
  names.push_back(ParseName());
  while (Skip(TokenKind::kAmp) && !error_) names.push_back(ParseName());
  return names;
}

std::vector<std::string> Parser::ParseUnionMembers() {
  std::vector<std::string> names;
  if (!Skip(TokenKind::kEquals)) return names;
  Skip(TokenKind::kPipe);
  names.push_back(ParseName());
  while (Skip(TokenKind::kPipe) && !error_) names.push_back(ParseName());
  return names;
}

std::vector<FieldDefinition> Parser::ParseFields(bool input) {
  std::vector<FieldDefinition> fields;
  Some(TokenKind::kBraceL, TokenKind::kBraceR, [&] {
    FieldDefinition f;
    f.pos = Peek().pos;
    f.description = ParseDescription();
    f.name = ParseName();
    if (!input) f.arguments = ParseArgumentDefinitions();
    Expect(TokenKind::kColon);
    f.type = ParseType();
    if (input && Skip(TokenKind::kEquals)) f.default_value = ParseValue(true);
    f.directives = ParseDirectives(true);
    fields.push_back(std::move(f));
  });
  return fields;
}

std::vector<InputValueDefinition> Parser::ParseArgumentDefinitions() {
  std::vector<InputValueDefinition> args;
  Some(TokenKind::kParenL, TokenKind::kParenR, [&] { args.push_back(ParseInputValue()); });
  return args;
}

InputValueDefinition Parser::ParseInputValue() {
  InputValueDefinition def;
  def.pos = Peek().pos;
  def.description = ParseDescription();
  def.name = ParseName();
  Expect(TokenKind::kColon);
  def.type = ParseType();
  if (Skip(TokenKind::kEquals)) def.default_value = ParseValue(true);
  def.directives = ParseDirectives(true);
  return def;
}

std::vector<EnumValueDefinition> Parser::ParseEnumValues() {
  std::vector<EnumValueDefinition> values;
  Some(TokenKind::kBraceL, TokenKind::kBraceR, [&] {
    EnumValueDefinition v;
    v.pos = Peek().pos;
    v.description = ParseDescription();
    v.name = ParseName();
    v.directives = ParseDirectives(true);
    values.push_back(std::move(v));
  });
  return values;
}

DirectiveDefinition Parser::ParseDirectiveDefinition(std::string description) {
  DirectiveDefinition def;
  def.description = std::move(description);
  ExpectKeyword("directive");
  Expect(TokenKind::kAt);
  def.pos = Peek().pos;
  def.name = ParseName();
  def.arguments = ParseArgumentDefinitions();
  if (Peek().kind == TokenKind::kName && Peek().value == "repeatable") {
    def.is_repeatable = true;
    Next();
  }
  ExpectKeyword("on");
  Skip(TokenKind::kPipe);
  do {
    Token t = Expect(TokenKind::kName);
    if (error_) break;
    if (!IsDirectiveLocation(t.value)) {
      UnexpectedToken(t);
      break;
    }
    def.locations.push_back(t.value);
  } while (Skip(TokenKind::kPipe) && !error_);
  return def;
}

}  // namespace

std::optional<Error> ParseQuery(std::string_view source, QueryDocument* doc) {
  Parser parser(source);
  parser.ParseQueryDocument(doc);
  return parser.error();
}

std::optional<Error> ParseSchema(std::string_view source, SchemaDocument* doc) {
  Parser parser(source);
  parser.ParseSchemaDocument(doc);
  return parser.error();
}

}  // namespace policyd::graphql
