#pragma once

#include "core/flow/FlowEngine.h"

namespace keyway::cli {

class CliIo;

// The CLI's "open this URL" for browser sign-ins: xdg-open, or with --no-browser the URL on stderr
// (with --json the engine's authorize_url event carries it instead). The flow then waits for the
// loopback redirect either way.
UrlOpener makeBrowserOpener(CliIo& io, bool noBrowser, bool json);

} // namespace keyway::cli
