#pragma once

#include "core/cli/CliCommand.h"

#include <optional>

namespace keyway {
struct FlowEvent;
}

namespace keyway::cli {

// The options of every command that talks to a server (auth, call, check, conform), so each of their
// rules is written once: --max-time and -v behave the same wherever they appear.
class NetworkOptions
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::NetworkOptions)

public:
    static constexpr int kDefaultMaxTimeMs = 30'000;

    static CliOption maxTime();
    static CliOption signInTimeout();
    static CliOption verbose();

    // Reads --max-time (seconds, fractions allowed; default 30) and makes it the overall deadline of every
    // request this thread sends from now on. Returns ExitUsage, after saying why, on a bad value.
    static std::optional<int> applyMaxTime(const CliCommand& command, const CliArguments& arguments, CliIo& io);

    // Reads --sign-in-timeout (seconds, the same rule as --max-time) into *browserTimeoutMs, which is
    // FlowOptions::browserTimeoutMs: the engine's own timer then ends the wait for a browser sign-in's redirect
    // (and for a device code without a stated lifetime), so the CLI has no timer of its own. Without the option
    // the engine's default stays. A separate option, not --max-time: a request is over in seconds, a person
    // signing in (a password, a second factor) takes minutes.
    static std::optional<int>
    readSignInTimeout(const CliCommand& command, const CliArguments& arguments, CliIo& io, int* browserTimeoutMs);

    // After a sign-in that ended because no redirect arrived in time: what to do next, on stderr.
    static void adviseOnSignInTimeout(CliIo& io);

    // -v: a request or response event as `curl -v` shows it, on stderr. Events are redacted already.
    static void printExchange(CliIo& io, const FlowEvent& event);
};

} // namespace keyway::cli
