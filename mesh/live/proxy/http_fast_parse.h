// A fast path for reading the common HTTP/1.1 message: the whole message (head and
// Content-Length body) already in the buffer, in the plainest form the grammar
// allows. Beast's parser checks every byte against the grammar through a chain of
// calls and fills the message one field at a time (~5,000 instructions for the
// origin's five-field answer); this reads such a message in one pass.
//
// It accepts a strict subset of what Beast accepts and hands everything else back
// (kFallback) untouched, for Beast's parser to read from its first byte (so the
// 400/431/413 answers and their reasons stay Beast's):
//   - start line: `METHOD SP target SP HTTP/1.x` (METHOD upper-case letters, target
//     visible ASCII) or `HTTP/1.x SP 3DIGIT SP reason` (reason printable ASCII);
//     status 1xx, 204 and 304 (no body whatever the length says) go to Beast;
//   - fields: a token name, ':', optional spaces or tabs, a value of visible ASCII
//     with inner spaces or tabs; no folded lines;
//   - framing: at most one Content-Length (digits), no Transfer-Encoding, no
//     Upgrade; Connection "close" or "keep-alive" or absent; a response without
//     Content-Length goes to Beast (its body runs to the end of the connection);
//   - limits: a head over `header_limit` or a body over `body_limit` (or over 64 KiB,
//     which Beast reads piece by piece) goes to Beast, which refuses or reads it;
//   - an incomplete message goes to Beast too, which reads it as it comes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mesh/live/proxy/http_head.h"

namespace meshproof::live {

enum class FastParse { kDone, kFallback };

// On kDone, `into` holds the message and `used` the bytes it took from `data`.
FastParse fastParse(std::string_view data, HttpHead<true>& into, std::size_t& used, std::size_t header_limit,
                    std::uint64_t body_limit);
FastParse fastParse(std::string_view data, HttpHead<false>& into, std::size_t& used, std::size_t header_limit,
                    std::uint64_t body_limit);

}  // namespace meshproof::live
