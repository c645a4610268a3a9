#include "core/cli/CliIo.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <iterator>
#include <unistd.h>

namespace keyway::cli {

namespace {

// The terminal a no-echo prompt is reading from, for the signal handler (which can only see globals).
int g_echoFd = -1;
struct termios g_echoSaved
{
};
constexpr int guardedSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
struct sigaction g_previous[sizeof guardedSignals / sizeof guardedSignals[0]] {};

} // namespace

TerminalEchoGuard::TerminalEchoGuard(int fd, const struct termios& saved)
{
    g_echoSaved = saved;
    g_echoFd = fd;
    struct sigaction action
    {
    };
    action.sa_handler = &TerminalEchoGuard::onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND; // the re-raise in onSignal then takes the default action
    for (size_t i = 0; i < std::size(guardedSignals); ++i) {
        sigaction(guardedSignals[i], &action, &g_previous[i]);
    }
}

TerminalEchoGuard::~TerminalEchoGuard()
{
    if (g_echoFd >= 0) {
        tcsetattr(g_echoFd, TCSAFLUSH, &g_echoSaved);
    }
    g_echoFd = -1;
    for (size_t i = 0; i < std::size(guardedSignals); ++i) {
        sigaction(guardedSignals[i], &g_previous[i], nullptr);
    }
}

void TerminalEchoGuard::onSignal(int signal)
{
    // Only async-signal-safe calls: tcsetattr, signal, raise.
    if (g_echoFd >= 0) {
        tcsetattr(g_echoFd, TCSANOW, &g_echoSaved);
        g_echoFd = -1;
    }
    ::signal(signal, SIG_DFL);
    ::raise(signal);
}

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
    if (m_outputErrno != 0) {
        return; // the first failure is the one reported
    }
    errno = 0;
    const size_t written = std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), m_out);
    if (written != static_cast<size_t>(bytes.size()) || std::fflush(m_out) != 0) {
        m_outputErrno = errno != 0 ? errno : EIO;
    }
}

QString CliIo::outputError() const
{
    return QString::fromLocal8Bit(std::strerror(m_outputErrno));
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
    outBytes(QByteArray(text.data(), static_cast<qsizetype>(text.size())));
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

QByteArray CliIo::readAll()
{
    QByteArray input;
    char buffer[65536];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, m_in)) > 0) {
        input.append(buffer, static_cast<qsizetype>(n));
    }
    return input;
}

bool CliIo::readSecret(const QString& prompt, QString* value)
{
    std::fputs(prompt.toUtf8().constData(), m_err);
    std::fflush(m_err);
    const int fd = fileno(m_in);
    termios saved {};
    const bool isTerminal = isatty(fd) && tcgetattr(fd, &saved) == 0;
    if (!isTerminal) {
        return readLine(value);
    }
    bool ok = false;
    {
        TerminalEchoGuard guard(fd, saved); // installed before echo goes off
        termios silent = saved;
        silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(fd, TCSAFLUSH, &silent);
        ok = readLine(value);
    }
    std::fputs("\n", m_err);
    std::fflush(m_err);
    return ok;
}

} // namespace keyway::cli
