#pragma once

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QList>
#include <QStringList>

#include <memory>
#include <vector>

namespace keyway::cli {

class CliIo;

// One option of a command: its names ("d", "data"), the value it takes ("" for a flag) and a
// one-line description for --help. Every option may be given more than once; a command that keeps
// only one value reads value(), one that collects them (-H, --set, --secret) reads values().
struct CliOption
{
    QStringList names;
    QString valueName;
    QString description;
};

// What a shell may offer for a positional argument or an option's value (`keyway-cli completion`).
enum class CliValue { Text, Environment, Provider, Method, Command, Shell, File, Data };

// The parsed command line of one command: options by any of their names, then the positional
// arguments in order.
class CliArguments
{
public:
    bool isSet(const QString& name) const { return m_parser->isSet(name); }
    QString value(const QString& name) const; // the last one given, "" when absent
    QStringList values(const QString& name) const { return m_parser->values(name); }
    const QStringList& positional() const { return m_positional; }

private:
    friend class CliCommand;
    std::shared_ptr<QCommandLineParser> m_parser;
    QStringList m_positional;
};

// A keyway-cli command: declares its name, synopsis and options, and runs on parsed arguments. The
// base parses (QCommandLineParser, curl-style short options), answers --help, and turns an unknown
// option or a missing value into exit 2 with a message that lists the valid options.
class CliCommand
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::CliCommand)

public:
    virtual ~CliCommand() = default;

    virtual QString name() const = 0; // "call", "env add"
    virtual QStringList aliases() const { return {}; } // other names of the last word ("ls" for "env list")
    virtual QString synopsis() const = 0; // what follows the name: "NAME METHOD PATH [-d BODY|@FILE|@-] ..."
    virtual QString summary() const = 0; // one sentence: what the command does
    virtual QList<CliOption> options() const = 0; // without -h/--help, which every command has
    // What each positional argument is, for shell completion. By default read off the synopsis's leading
    // words: NAME is an environment, METHOD an HTTP method, COMMAND a command, SHELL a shell's name.
    virtual QList<CliValue> positionalValues() const;
    // What an option's value is: read off its names and value name (--provider ID, BODY|@FILE, FILE).
    static CliValue valueOf(const CliOption& option);
    virtual int run(const CliArguments& arguments, CliIo& io) = 0;

    // Parses `args` (after the command's name) and runs the command; --help prints helpText().
    int execute(const QStringList& args, CliIo& io);

    QString usageLine() const; // "Usage: keyway-cli NAME SYNOPSIS"
    QString helpText() const; // usage line, summary, one line per option

    // "keyway-cli NAME: message" on stderr, then the usage line; returns ExitUsage.
    int usageError(CliIo& io, const QString& message) const;

protected:
    QString optionList() const; // "-d/--data, -H/--header, ..." for messages naming the valid options
};

using CliCommandList = std::vector<std::unique_ptr<CliCommand>>;

// Every command of keyway-cli, in the order `keyway-cli --help` lists them.
const CliCommandList& allCliCommands();

} // namespace keyway::cli
