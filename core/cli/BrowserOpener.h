#pragma once

#include "core/flow/FlowEngine.h"

namespace keyway::cli {

class CliIo;

// The CLI's "open this URL" for browser sign-ins: xdg-open, or with --no-browser the URL on stderr
// (with --json the engine's authorize_url event carries it instead). The flow then waits for the
// loopback redirect either way; without --json the person is told for how long (waitMs, the flow's
// browserTimeoutMs).
UrlOpener makeBrowserOpener(CliIo& io, bool noBrowser, bool json, int waitMs);

// A device sign-in's code (RFC 8628), for the person who approves it: where to go and what to type, on
// stderr (with --json the device_code event carries it instead). Does nothing for other events.
void printDeviceCode(CliIo& io, const FlowEvent& event);

} // namespace keyway::cli
