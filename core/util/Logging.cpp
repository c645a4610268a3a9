#include "core/util/Logging.h"

Q_LOGGING_CATEGORY(lcProfile, "keyway.core.profile", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSecrets, "keyway.core.secrets", QtInfoMsg)
Q_LOGGING_CATEGORY(lcEnvironments, "keyway.core.environments", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "keyway.core.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "keyway.core.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSandbox, "keyway.core.sandbox", QtInfoMsg)
Q_LOGGING_CATEGORY(lcChecks, "keyway.core.checks", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCli, "keyway.cli", QtWarningMsg)
