// ValueError: thrown by the text parsers (units, retryOn) that know what is wrong
// with a value but not where it is; the reader of the field turns it into a
// ConfigError with file, line and field path. The message follows "<field>: ".
#pragma once
#include <stdexcept>

namespace meshproof::config {

class ValueError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace meshproof::config
