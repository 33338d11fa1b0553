// How a server of live mode answers a request Beast could not read: malformed
// input gets a 400, a body over the limit 413, a header block over the limit 431;
// a connection that simply ended or failed gets no answer.
#pragma once
#include <boost/beast/http/error.hpp>
#include <boost/system/error_code.hpp>

namespace meshproof::live::http {

// The status to answer a failed read with, or 0 when the connection is just gone
// (end of stream, reset, timeout, cancelled): then close without answering.
inline int statusForReadError(const boost::system::error_code& ec) {
  namespace bhttp = boost::beast::http;
  if (ec == bhttp::error::body_limit) return 413;
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return 0;
  if (&ec.category() == &bhttp::make_error_code(bhttp::error::bad_target).category()) return 400;
  return 0;
}

}  // namespace meshproof::live::http
