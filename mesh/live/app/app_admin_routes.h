// The application's admin port: the faults the orchestrator injects into an app
// process (SCENARIO.md faults of type latency, abort and cpu), its readiness, and
// its counters.
//
//   PUT    /fault/latency  {"delay_ms": N, "jitter_ms": N}   jitter_ms optional (0)
//   DELETE /fault/latency
//   PUT    /fault/abort    {"http_status": 503, "percentage": 50}
//   DELETE /fault/abort
//   PUT    /fault/cpu      {"factor": 0.25}                   1 = normal speed
//   DELETE /fault/cpu                                          back to 1
//   GET    /ready          200 "ready"
//   GET    /stats          the AppInstance's counters, slots and faults as JSON
//
// A PUT answers 200 with the fault as applied (JSON); a body that is not a JSON
// object, a missing, unknown or out-of-range field answers 400 naming it.
#pragma once
#include "mesh/app/app_instance.h"
#include "mesh/live/http/admin_server.h"

namespace meshproof::live {

// `app` must outlive `admin`'s routes.
void addAppAdminRoutes(http::AdminServer& admin, app::AppInstance& app);

}  // namespace meshproof::live
