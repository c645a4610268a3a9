#include "core/util/ProcessHardening.h"

#include <sys/resource.h>

namespace keyway::ProcessHardening {

bool disableCoreDumps()
{
    // The hard limit too, so nothing later in the process (or a child) raises it again. systemd-coredump
    // and apport honour a zero limit as well. PR_SET_DUMPABLE would also forbid core files, but it hides
    // /proc/PID from every process of the same user, the keyring daemon included.
    const rlimit none {0, 0};
    return ::setrlimit(RLIMIT_CORE, &none) == 0;
}

} // namespace keyway::ProcessHardening
