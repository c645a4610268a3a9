#pragma once

#include "core/http/HttpMessage.h"

#include <QString>

namespace keyway {

class Redactor;

// "Copy as curl": a shell command that repeats a request. Secrets are replaced by placeholders unless
// the user explicitly asks to reveal them (reveal = true, or no redactor given).
QString toCurlCommand(const HttpRequest& request, const Redactor* redactor, bool reveal = false);

} // namespace keyway
