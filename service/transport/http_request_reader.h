// What the HTTP server makes of one request Beast has parsed: the
// HttpRequest its handlers see (HEAD as GET, the query split off, header
// names in lower case, a gzip body decompressed within the body limit), and
// the facts of the request the connection needs to answer it. One function,
// so that the server and the request-path fuzz target read requests alike.
#ifndef POLICYD_SERVICE_TRANSPORT_HTTP_REQUEST_READER_H_
#define POLICYD_SERVICE_TRANSPORT_HTTP_REQUEST_READER_H_

#include <cstddef>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "absl/status/statusor.h"
#include "service/transport/http_server.h"

namespace policyd {

struct ReadRequest {
  HttpRequest request;
  unsigned version = 11;   // 10 or 11
  bool keep_alive = false;
  bool head = false;       // a HEAD request: answer without a body
  bool gzip_ok = false;    // the client accepts a gzip-encoded answer
};

// The request of `message`, or the error to answer with: kResourceExhausted
// (413) for a gzip body beyond `max_body_bytes` once decompressed,
// kInvalidArgument (400) for a malformed gzip body, kUnimplemented (415) for
// a content encoding other than gzip or identity. Takes the body out of
// `message`.
absl::StatusOr<ReadRequest> ReadHttpRequest(
    boost::beast::http::request<boost::beast::http::string_body>& message,
    size_t max_body_bytes);

}  // namespace policyd

#endif  // POLICYD_SERVICE_TRANSPORT_HTTP_REQUEST_READER_H_
