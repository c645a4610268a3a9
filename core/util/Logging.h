#pragma once

#include <QLoggingCategory>

// One category per area. None of them ever prints a secret value: log key names,
// step ids and status codes, and run anything reply-shaped through Redactor first.
Q_DECLARE_LOGGING_CATEGORY(lcProfile)
Q_DECLARE_LOGGING_CATEGORY(lcSecrets)
Q_DECLARE_LOGGING_CATEGORY(lcEnvironments)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcSandbox)
Q_DECLARE_LOGGING_CATEGORY(lcChecks)
Q_DECLARE_LOGGING_CATEGORY(lcCli)
