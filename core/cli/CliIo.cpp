#include "core/cli/CliIo.h"

#include <termios.h>
#include <unistd.h>

namespace keyway::cli {

CliIo::CliIo(std::FILE* out, std::FILE* err, std::FILE* in, bool stdinIsTerminal)
    : m_out(out), m_err(err), m_in(in), m_stdinIsTerminal(stdinIsTerminal)
{
}

void CliIo::out(const QString& text)
{
    outBytes(text.toUtf8());
}

void CliIo::outLine(const QString& line)
{
    outBytes(line.toUtf8() + '\n');
}

void CliIo::outBytes(const QByteArray& bytes)
{
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), m_out);
    std::fflush(m_out);
}

void CliIo::err(const QString& line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), m_err);
    std::fflush(m_err);
}

void CliIo::jsonLine(const nlohmann::ordered_json& object)
{
    const std::string text = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
    std::fwrite(text.data(), 1, text.size(), m_out);
    std::fflush(m_out);
}

bool CliIo::readLine(QString* line)
{
    QByteArray buffer;
    int c = 0;
    while ((c = std::fgetc(m_in)) != EOF) {
        if (c == '\n') {
            break;
        }
        buffer.append(static_cast<char>(c));
    }
    if (c == EOF && buffer.isEmpty()) {
        return false;
    }
    if (buffer.endsWith('\r')) {
        buffer.chop(1);
    }
    *line = QString::fromUtf8(buffer);
    return true;
}

bool CliIo::readSecret(const QString& prompt, QString* value)
{
    std::fputs(prompt.toUtf8().constData(), m_err);
    std::fflush(m_err);
    const int fd = fileno(m_in);
    termios saved {};
    const bool isTerminal = isatty(fd) && tcgetattr(fd, &saved) == 0;
    if (isTerminal) {
        termios silent = saved;
        silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(fd, TCSAFLUSH, &silent);
    }
    const bool ok = readLine(value);
    if (isTerminal) {
        tcsetattr(fd, TCSAFLUSH, &saved);
        std::fputs("\n", m_err);
        std::fflush(m_err);
    }
    return ok;
}

} // namespace keyway::cli
