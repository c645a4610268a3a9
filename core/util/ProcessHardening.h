#pragma once

namespace keyway::ProcessHardening {

// No core file for this process or the programs it starts: a crash in the middle of a sign-in would
// otherwise write the client secret, the tokens and the keychain's answers to disk (in the working
// directory, or to the system's crash collector), outside the keychain. Call once at startup.
// Returns false if the limit could not be set.
bool disableCoreDumps();

} // namespace keyway::ProcessHardening
