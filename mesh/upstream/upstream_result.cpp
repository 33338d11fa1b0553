// Maps local-origin failures to the HTTP codes Envoy counts them as.
#include "mesh/upstream/upstream_result.h"

namespace meshproof::upstream {

int outlierStatusFor(LocalOriginFailure failure) {
  switch (failure) {
    case LocalOriginFailure::kConnectFailure:
    case LocalOriginFailure::kConnectTimeout:
    case LocalOriginFailure::kReset:
      return 503;
    case LocalOriginFailure::kRequestTimeout:
      return 504;
  }
  return 503;
}

}  // namespace meshproof::upstream
