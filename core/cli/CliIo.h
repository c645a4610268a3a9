#pragma once

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <termios.h>

namespace keyway::cli {

// Exit codes of keyway-cli (README, "The CLI"): scripts rely on them.
enum ExitCode : int {
    ExitOk = 0,
    ExitProviderRefused = 1, // 4xx, 5xx, envelope error, also after a renewal
    ExitUsage = 2, // usage or bad input
    ExitAuthFailed = 3, // wrong credentials, token endpoint error, state mismatch, browser timeout
    ExitKeychain = 4, // keychain unavailable or locked
    ExitUnreachable = 5 // the server could not be reached: connection, TLS, timeout, overall deadline
};

// stdout / stderr / stdin of one CLI invocation. Tests run commands in-process against buffers;
// keyway-cli passes the process's streams. Every write is flushed at once so JSON Lines reach a
// script while the command is still running.
class CliIo
{
public:
    CliIo(std::FILE* out, std::FILE* err, std::FILE* in, bool stdinIsTerminal);

    void out(const QString& text); // no newline added
    void outLine(const QString& line); // adds "\n"
    void outBytes(const QByteArray& bytes);
    // True once a write to stdout failed (a full disk, /dev/full, a closed pipe): the output is incomplete.
    bool outputFailed() const { return m_outputErrno != 0; }
    QString outputError() const; // the system's words for the failure
    void err(const QString& line); // adds "\n"
    void jsonLine(const nlohmann::ordered_json& object); // one JSON Lines record on stdout

    // Reads one line from stdin without its newline; false at end of input.
    bool readLine(QString* line);
    // Reads stdin to its end, bytes unchanged (`-d @-`, a webhook body).
    QByteArray readAll();
    // Prompts on stderr and reads a line with echo off (terminal only).
    bool readSecret(const QString& prompt, QString* value);

    bool stdinIsTerminal() const { return m_stdinIsTerminal; }

private:
    std::FILE* m_out;
    std::FILE* m_err;
    std::FILE* m_in;
    bool m_stdinIsTerminal;
    int m_outputErrno = 0;
};

// While a no-echo prompt reads from terminal `fd`, SIGINT, SIGTERM, SIGHUP and SIGQUIT first restore
// `saved` (echo back on) and then take their default action: a Ctrl+C never leaves the shell mute.
// The guard's destructor restores the terminal and the previous handlers.
class TerminalEchoGuard
{
public:
    TerminalEchoGuard(int fd, const struct termios& saved);
    ~TerminalEchoGuard();
    TerminalEchoGuard(const TerminalEchoGuard&) = delete;
    TerminalEchoGuard& operator=(const TerminalEchoGuard&) = delete;

    // What the signal handler does, callable from a test: restore the terminal, then re-raise.
    static void onSignal(int signal);
};

} // namespace keyway::cli
