// Writes to `data` through OPA's REST API, for documents outside every
// bundle's roots (inside them: 400, as OPA refuses them):
//   PUT    /v1/data/{path}   the body (JSON) becomes the document at path;
//                            with `If-None-Match: *`, 304 when it exists
//   PATCH  /v1/data/{path}   a JSON Patch (add, remove, replace) applied
//                            below path
//   DELETE /v1/data/{path}   removes the document; 404 when absent
// Each answers 204. A write is an atomic swap to a new snapshot (see
// Store::UpdateOverlay) and never blocks decisions.
#ifndef POLICYD_SERVICE_API_DATA_WRITE_API_H_
#define POLICYD_SERVICE_API_DATA_WRITE_API_H_

#include <optional>
#include <string>
#include <vector>

#include "bundles/snapshot.h"
#include "bundles/store.h"
#include "service/transport/http_server.h"

namespace policyd {

// `segments` is the decoded path below /v1/data.
HttpResponse HandleDataWrite(const HttpRequest& request,
                             const std::vector<std::string>& segments,
                             bundles::Store* store);

// The bundle of `snapshot` whose roots overlap the data path `segments`
// (one contains the other); nullopt when none does.
std::optional<std::string> OwningBundle(const bundles::Snapshot& snapshot,
                                        const std::vector<std::string>& segments);

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_DATA_WRITE_API_H_
