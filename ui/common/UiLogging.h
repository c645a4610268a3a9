#pragma once

#include <QLoggingCategory>

// The GUI's logging categories (keyway.ui.*). Like core's, they never carry a secret value.
Q_DECLARE_LOGGING_CATEGORY(lcUi)
