// OPA's `explain` query parameter: a trace of the evaluation, kept by a
// tracer and rendered as OPA's explanation. `notes` keeps the trace()
// notes, `fails` the expressions that failed, `full` every event (Enter,
// Eval, Fail, Exit, Note). With `pretty` each event is a line of text
// (`FILE:ROW  OP  SOURCE`, as OPA's pretty trace); otherwise an object
// {"op", "type", "location": {"file", "row", "col"}, "node", "message"}
// whose "node" is the source text of the expression or rule (OPA gives its
// AST there). At most kMaxEvents events are kept.
#ifndef POLICYD_SERVICE_API_EXPLAIN_H_
#define POLICYD_SERVICE_API_EXPLAIN_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bundles/snapshot.h"
#include "engine/engine.h"
#include "engine/value/value.h"

namespace policyd {

class ExplainTracer : public EvalTracer {
 public:
  enum class Mode { kNotes, kFails, kFull };
  static constexpr size_t kMaxEvents = 10000;

  // "notes", "fails" or "full"; nullopt for anything else.
  static std::optional<Mode> ParseMode(std::string_view text);

  explicit ExplainTracer(Mode mode) : mode_(mode) {}

  void EnterRule(std::string_view file, const ast::Location& loc) override;
  void EvalExpr(std::string_view file, const ast::Location& loc) override;
  void FailExpr(std::string_view file, const ast::Location& loc) override;
  void ExitRule(std::string_view file, const ast::Location& loc) override;
  void Note(std::string_view file, const ast::Location& loc,
            std::string_view message) override;

  // The explanation, with source text from the modules of `snapshot` (the
  // query's own expressions show `query`).
  Value Explanation(const bundles::Snapshot& snapshot, std::string_view query,
                    bool pretty) const;

 private:
  struct Event {
    std::string_view op;
    bool rule;
    std::string file;
    ast::Location loc;
    std::string message;
  };
  void Add(std::string_view op, bool rule, std::string_view file,
           const ast::Location& loc, std::string_view message = {});

  Mode mode_;
  std::vector<Event> events_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_EXPLAIN_H_
