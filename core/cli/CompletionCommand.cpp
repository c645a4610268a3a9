// keyway-cli completion bash|zsh|fish: shell completion written from the commands themselves (their
// names, options and synopses), so it can never list an option the CLI does not have or miss a new one.
// The package installs the output of each (packaging/CMakeLists.txt).
#include "core/cli/CliCommand.h"
#include "core/cli/CliIo.h"
#include "core/cli/Commands.h"

#include <QCoreApplication>

namespace keyway::cli {

namespace {

const QStringList kMethods = {QStringLiteral("GET"),
                              QStringLiteral("POST"),
                              QStringLiteral("PUT"),
                              QStringLiteral("PATCH"),
                              QStringLiteral("DELETE"),
                              QStringLiteral("HEAD"),
                              QStringLiteral("OPTIONS")};
const QStringList kShells = {QStringLiteral("bash"), QStringLiteral("zsh"), QStringLiteral("fish")};

QString spelled(const QString& name)
{
    return (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name;
}

QString valueWord(CliValue value)
{
    switch (value) {
    case CliValue::Environment:
        return QStringLiteral("environment");
    case CliValue::Provider:
        return QStringLiteral("provider");
    case CliValue::Method:
        return QStringLiteral("method");
    case CliValue::Command:
        return QStringLiteral("command");
    case CliValue::Shell:
        return QStringLiteral("shell");
    case CliValue::File:
        return QStringLiteral("file");
    case CliValue::Data:
        return QStringLiteral("data");
    case CliValue::Text:
        break;
    }
    return QStringLiteral("text");
}

// One line of text for a shell's single-quoted string.
QString quoted(QString text)
{
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (text.endsWith(QLatin1Char('.'))) {
        text.chop(1);
    }
    return QLatin1Char('\'') + text.replace(QLatin1Char('\''), QStringLiteral("'\\''")) + QLatin1Char('\'');
}

QList<CliOption> optionsWithHelp(const CliCommand& command)
{
    return command.options()
        + QList<CliOption> {
            {{QStringLiteral("h"), QStringLiteral("help")}, {}, CliCommand::tr("Show this help and exit.")}};
}

// The first words of the commands ("env" once), in the order --help lists them, and what each does.
QList<QPair<QString, QString>> topWords()
{
    QList<QPair<QString, QString>> words;
    QStringList seen;
    for (const auto& command : allCliCommands()) {
        const QStringList name = command->name().split(QLatin1Char(' '));
        if (seen.contains(name.first())) {
            continue;
        }
        seen.append(name.first());
        words.append(
            {name.first(),
             name.size() > 1
                 ? QCoreApplication::translate("keyway::cli::CompletionCommand", "%1 commands").arg(name.first())
                 : command->summary()});
    }
    words.append({QStringLiteral("help"),
                  QCoreApplication::translate("keyway::cli::CompletionCommand", "Show the usage of a command")});
    return words;
}

// The second words of a group ("add list show rm set", aliases included).
QStringList groupWords(const QString& group)
{
    QStringList words;
    for (const auto& command : allCliCommands()) {
        const QStringList name = command->name().split(QLatin1Char(' '));
        if (name.size() == 2 && name.first() == group) {
            words.append(name.last());
            words.append(command->aliases());
        }
    }
    return words;
}

QStringList groups()
{
    QStringList names;
    for (const auto& command : allCliCommands()) {
        const QStringList name = command->name().split(QLatin1Char(' '));
        if (name.size() == 2 && !names.contains(name.first())) {
            names.append(name.first());
        }
    }
    return names;
}

QStringList firstWords()
{
    QStringList words;
    for (const auto& [word, description] : topWords()) {
        words.append(word);
    }
    return words;
}

// The names a command answers to ("env rm" and "env remove").
QStringList spellings(const CliCommand& command)
{
    QStringList names {command.name()};
    const QString stem = command.name().section(QLatin1Char(' '), 0, -2);
    for (const QString& alias : command.aliases()) {
        names.append(stem.isEmpty() ? alias : stem + QLatin1Char(' ') + alias);
    }
    return names;
}

QString bash()
{
    QString out = QStringLiteral(
        "# bash completion for keyway-cli, written by `keyway-cli completion bash`          -*- shell-script -*-\n"
        "\n"
        "_keyway_cli_offer()\n"
        "{\n"
        "    case $1 in\n"
        "        environment) COMPREPLY=($(compgen -W \"$(keyway-cli env list 2>/dev/null | awk 'NF { print $1 "
        "}')\" -- \"$cur\")) ;;\n"
        "        provider) COMPREPLY=($(compgen -W \"$(keyway-cli providers 2>/dev/null | awk '/^[^ ]/ { print "
        "$1 }')\" -- \"$cur\")) ;;\n");
    out += QStringLiteral("        method) COMPREPLY=($(compgen -W \"%1\" -- \"$cur\")) ;;\n")
               .arg(kMethods.join(QLatin1Char(' ')));
    out += QStringLiteral("        command) COMPREPLY=($(compgen -W \"%1\" -- \"$cur\")) ;;\n")
               .arg(firstWords().join(QLatin1Char(' ')));
    out += QStringLiteral("        shell) COMPREPLY=($(compgen -W \"%1\" -- \"$cur\")) ;;\n")
               .arg(kShells.join(QLatin1Char(' ')));
    out += QStringLiteral("        file) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
                          "        data) [[ $cur == @* ]] && COMPREPLY=($(compgen -P @ -f -- \"${cur#@}\")) ;;\n"
                          "    esac\n"
                          "}\n\n"
                          "# What the value of option $2 of command $1 is; nothing for an option without a value.\n"
                          "_keyway_cli_option_value()\n"
                          "{\n"
                          "    case \"$1 $2\" in\n");
    QString positionals;
    QString optionLists;
    for (const auto& command : allCliCommands()) {
        QStringList all;
        for (const CliOption& option : optionsWithHelp(*command)) {
            QStringList cases;
            for (const QString& name : option.names) {
                all.append(spelled(name));
                for (const QString& spelling : spellings(*command)) {
                    cases.append(QStringLiteral("\"%1 %2\"").arg(spelling, spelled(name)));
                }
            }
            if (!option.valueName.isEmpty()) {
                out += QStringLiteral("        %1) echo %2 ;;\n")
                           .arg(cases.join(QLatin1Char('|')), valueWord(CliCommand::valueOf(option)));
            }
        }
        QStringList names;
        for (const QString& spelling : spellings(*command)) {
            names.append(QLatin1Char('"') + spelling + QLatin1Char('"'));
        }
        optionLists += QStringLiteral("        %1) options=\"%2\" ;;\n")
                           .arg(names.join(QLatin1Char('|')), all.join(QLatin1Char(' ')));
        const QList<CliValue> values = command->positionalValues();
        for (qsizetype i = 0; i < values.size(); ++i) {
            QStringList cases;
            for (const QString& spelling : spellings(*command)) {
                cases.append(QStringLiteral("\"%1 %2\"").arg(spelling).arg(i));
            }
            positionals
                += QStringLiteral("        %1) echo %2 ;;\n").arg(cases.join(QLatin1Char('|')), valueWord(values[i]));
        }
    }
    positionals += QStringLiteral("        \"help 0\") echo command ;;\n        \"help 1\") echo group ;;\n");
    out += QStringLiteral("    esac\n}\n\n# What positional argument $2 (from 0) of command $1 is.\n"
                          "_keyway_cli_positional()\n{\n    case \"$1 $2\" in\n")
        + positionals + QStringLiteral("    esac\n}\n\n");
    out += QStringLiteral("_keyway_cli()\n"
                          "{\n"
                          "    local cur prev words cword\n"
                          "    _init_completion || return\n"
                          "\n"
                          "    if [[ $cword -eq 1 ]]; then\n"
                          "        COMPREPLY=($(compgen -W \"%1 --help --version\" -- \"$cur\"))\n"
                          "        return\n"
                          "    fi\n"
                          "    local command=${words[1]} first=2\n"
                          "    case $command in\n")
               .arg(firstWords().join(QLatin1Char(' ')));
    for (const QString& group : groups()) {
        out += QStringLiteral("        %1)\n"
                              "            if [[ $cword -eq 2 ]]; then\n"
                              "                COMPREPLY=($(compgen -W \"%2\" -- \"$cur\"))\n"
                              "                return\n"
                              "            fi\n"
                              "            command=\"%1 ${words[2]}\" first=3 ;;\n")
                   .arg(group, groupWords(group).join(QLatin1Char(' ')));
    }
    out += QStringLiteral("    esac\n"
                          "    local options=\"\"\n"
                          "    case $command in\n");
    out += optionLists;
    out += QStringLiteral("    esac\n"
                          "    # The word being completed is the value of the option before it.\n"
                          "    local kind\n"
                          "    if [[ $prev == -* ]]; then\n"
                          "        kind=$(_keyway_cli_option_value \"$command\" \"$prev\")\n"
                          "        if [[ -n $kind ]]; then\n"
                          "            _keyway_cli_offer \"$kind\"\n"
                          "            return\n"
                          "        fi\n"
                          "    fi\n"
                          "    if [[ $cur == -* ]]; then\n"
                          "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
                          "        return\n"
                          "    fi\n"
                          "    # Which positional argument this is: options and their values do not count.\n"
                          "    local i n=0\n"
                          "    for ((i = first; i < cword; i++)); do\n"
                          "        if [[ ${words[i]} == -* ]]; then\n"
                          "            [[ -n $(_keyway_cli_option_value \"$command\" \"${words[i]}\") ]] && ((i++))\n"
                          "        else\n"
                          "            ((n++))\n"
                          "        fi\n"
                          "    done\n"
                          "    kind=$(_keyway_cli_positional \"$command\" \"$n\")\n"
                          "    if [[ $kind == group ]]; then\n"
                          "        case ${words[2]} in\n");
    for (const QString& group : groups()) {
        out += QStringLiteral("            %1) COMPREPLY=($(compgen -W \"%2\" -- \"$cur\")) ;;\n")
                   .arg(group, groupWords(group).join(QLatin1Char(' ')));
    }
    out += QStringLiteral("        esac\n"
                          "        return\n"
                          "    fi\n"
                          "    [[ -n $kind ]] && _keyway_cli_offer \"$kind\"\n"
                          "}\n"
                          "complete -F _keyway_cli keyway-cli\n");
    return out;
}

QString zshValue(CliValue value)
{
    switch (value) {
    case CliValue::Environment:
        return QStringLiteral("_keyway_cli_environments");
    case CliValue::Provider:
        return QStringLiteral("_keyway_cli_providers");
    case CliValue::Method:
        return QStringLiteral("(") + kMethods.join(QLatin1Char(' ')) + QLatin1Char(')');
    case CliValue::Command:
        return QStringLiteral("(") + firstWords().join(QLatin1Char(' ')) + QLatin1Char(')');
    case CliValue::Shell:
        return QStringLiteral("(") + kShells.join(QLatin1Char(' ')) + QLatin1Char(')');
    case CliValue::File:
    case CliValue::Data:
        return QStringLiteral("_files");
    case CliValue::Text:
        break;
    }
    return QStringLiteral(" ");
}

// An _arguments spec's description: no brackets or colons, which end it.
QString zshText(QString text)
{
    text.replace(QLatin1Char('['), QLatin1Char('(')).replace(QLatin1Char(']'), QLatin1Char(')'));
    text.replace(QLatin1Char(':'), QLatin1Char(' '));
    return text;
}

QString zshArguments(const CliCommand& command)
{
    QStringList specs;
    for (const CliOption& option : optionsWithHelp(command)) {
        for (const QString& name : option.names) {
            QString spec
                = QLatin1Char('*') + spelled(name) + QLatin1Char('[') + zshText(option.description) + QLatin1Char(']');
            if (!option.valueName.isEmpty()) {
                spec += QLatin1Char(':') + zshText(option.valueName).toLower() + QLatin1Char(':')
                    + zshValue(CliCommand::valueOf(option));
            }
            specs.append(quoted(spec));
        }
    }
    const QList<CliValue> values = command.positionalValues();
    for (qsizetype i = 0; i < values.size(); ++i) {
        specs.append(quoted(QStringLiteral("%1:%2:%3").arg(i + 1).arg(valueWord(values[i]), zshValue(values[i]))));
    }
    return QStringLiteral("_arguments -s \\\n                ") + specs.join(QStringLiteral(" \\\n                "));
}

QString zsh()
{
    QString out
        = QStringLiteral("#compdef keyway-cli\n"
                         "# zsh completion for keyway-cli, written by `keyway-cli completion zsh`\n"
                         "\n"
                         "_keyway_cli_environments() {\n"
                         "    local -a names\n"
                         "    names=(${(f)\"$(keyway-cli env list 2>/dev/null | awk 'NF { print $1 }')\"})\n"
                         "    _describe environment names\n"
                         "}\n"
                         "\n"
                         "_keyway_cli_providers() {\n"
                         "    local -a names\n"
                         "    names=(${(f)\"$(keyway-cli providers 2>/dev/null | awk '/^[^ ]/ { print $1 }')\"})\n"
                         "    _describe provider names\n"
                         "}\n"
                         "\n"
                         "_keyway-cli() {\n"
                         "    local -a commands\n"
                         "    commands=(\n");
    for (const auto& [word, description] : topWords()) {
        out += QStringLiteral("        %1\n").arg(quoted(word + QLatin1Char(':') + zshText(description)));
    }
    out += QStringLiteral("    )\n"
                          "    if (( CURRENT == 2 )); then\n"
                          "        _describe command commands\n"
                          "        return\n"
                          "    fi\n"
                          "    # From here on the command's own words: $words[1] is its (last) name.\n"
                          "    local name=$words[2]\n"
                          "    shift words\n"
                          "    (( CURRENT-- ))\n"
                          "    case $name in\n");
    for (const QString& group : groups()) {
        out += QStringLiteral("        %1)\n"
                              "            if (( CURRENT == 2 )); then\n"
                              "                compadd %2\n"
                              "                return\n"
                              "            fi\n"
                              "            name=\"%1 $words[2]\"\n"
                              "            shift words\n"
                              "            (( CURRENT-- )) ;;\n")
                   .arg(group, groupWords(group).join(QLatin1Char(' ')));
    }
    out += QStringLiteral("    esac\n    case $name in\n");
    for (const auto& command : allCliCommands()) {
        QStringList names;
        for (const QString& spelling : spellings(*command)) {
            names.append(QLatin1Char('"') + spelling + QLatin1Char('"'));
        }
        out += QStringLiteral("        %1)\n            %2 ;;\n")
                   .arg(names.join(QLatin1Char('|')), zshArguments(*command));
    }
    out += QStringLiteral("        help)\n            _arguments '1:command:(%1)' ;;\n")
               .arg(firstWords().join(QLatin1Char(' ')));
    out += QStringLiteral("    esac\n}\n\n_keyway-cli \"$@\"\n");
    return out;
}

QString fishValue(CliValue value)
{
    switch (value) {
    case CliValue::Environment:
        return QStringLiteral(" -x -a '(__keyway_cli_environments)'");
    case CliValue::Provider:
        return QStringLiteral(" -x -a '(__keyway_cli_providers)'");
    case CliValue::Method:
        return QStringLiteral(" -x -a '") + kMethods.join(QLatin1Char(' ')) + QLatin1Char('\'');
    case CliValue::Command:
        return QStringLiteral(" -x -a '") + firstWords().join(QLatin1Char(' ')) + QLatin1Char('\'');
    case CliValue::Shell:
        return QStringLiteral(" -x -a '") + kShells.join(QLatin1Char(' ')) + QLatin1Char('\'');
    case CliValue::File:
    case CliValue::Data:
        return QStringLiteral(" -r -F");
    case CliValue::Text:
        break;
    }
    return QStringLiteral(" -x");
}

// The fish condition "this command line is command `name`".
QString fishCondition(const CliCommand& command)
{
    const QStringList name = command.name().split(QLatin1Char(' '));
    if (name.size() == 1) {
        return QStringLiteral("__fish_seen_subcommand_from ") + name.first();
    }
    return QStringLiteral("__fish_seen_subcommand_from %1; and __fish_seen_subcommand_from %2")
        .arg(name.first(), QStringList(QStringList {name.last()} + command.aliases()).join(QLatin1Char(' ')));
}

QString fish()
{
    QString out = QStringLiteral("# fish completion for keyway-cli, written by `keyway-cli completion fish`\n"
                                 "\n"
                                 "function __keyway_cli_environments\n"
                                 "    keyway-cli env list 2>/dev/null | awk 'NF { print $1 }'\n"
                                 "end\n"
                                 "\n"
                                 "function __keyway_cli_providers\n"
                                 "    keyway-cli providers 2>/dev/null | awk '/^[^ ]/ { print $1 }'\n"
                                 "end\n"
                                 "\n"
                                 "complete -c keyway-cli -f\n"
                                 "complete -c keyway-cli -n __fish_use_subcommand -l help -d 'Show the usage'\n"
                                 "complete -c keyway-cli -n __fish_use_subcommand -l version -d 'Show the version'\n");
    for (const auto& [word, description] : topWords()) {
        out += QStringLiteral("complete -c keyway-cli -n __fish_use_subcommand -a %1 -d %2\n")
                   .arg(word, quoted(description));
    }
    for (const QString& group : groups()) {
        out += QStringLiteral("complete -c keyway-cli -n \"__fish_seen_subcommand_from %1; and not "
                              "__fish_seen_subcommand_from %2\" -a %3\n")
                   .arg(group,
                        groupWords(group).join(QLatin1Char(' ')),
                        quoted(groupWords(group).join(QLatin1Char(' '))));
    }
    out += QStringLiteral("complete -c keyway-cli -n \"__fish_seen_subcommand_from help\" -a %1\n")
               .arg(quoted(firstWords().join(QLatin1Char(' '))));
    for (const auto& command : allCliCommands()) {
        const QString condition = fishCondition(*command);
        for (const CliOption& option : optionsWithHelp(*command)) {
            QString line = QStringLiteral("complete -c keyway-cli -n \"%1\"").arg(condition);
            for (const QString& name : option.names) {
                line += (name.size() == 1 ? QStringLiteral(" -s ") : QStringLiteral(" -l ")) + name;
            }
            if (!option.valueName.isEmpty()) {
                line += fishValue(CliCommand::valueOf(option));
            }
            out += line + QStringLiteral(" -d ") + quoted(option.description) + QLatin1Char('\n');
        }
        const QList<CliValue> values = command->positionalValues();
        if (!values.isEmpty() && values.first() != CliValue::Text) {
            out += QStringLiteral("complete -c keyway-cli -n \"%1\"%2\n").arg(condition, fishValue(values.first()));
        }
    }
    return out;
}

class CompletionCommand : public CliCommand
{
    Q_DECLARE_TR_FUNCTIONS(keyway::cli::CompletionCommand)

public:
    QString name() const override { return QStringLiteral("completion"); }
    QString synopsis() const override { return QStringLiteral("SHELL"); }
    QString summary() const override { return tr("Prints the shell completion script for SHELL: bash, zsh or fish."); }
    QList<CliOption> options() const override { return {}; }

    int run(const CliArguments& arguments, CliIo& io) override
    {
        if (arguments.positional().size() != 1) {
            return usageError(io, tr("name one shell: bash, zsh or fish"));
        }
        const QString shell = arguments.positional().first();
        if (shell == QLatin1String("bash")) {
            io.out(bash());
        } else if (shell == QLatin1String("zsh")) {
            io.out(zsh());
        } else if (shell == QLatin1String("fish")) {
            io.out(fish());
        } else {
            return usageError(io, tr("no completion for '%1'; choose bash, zsh or fish").arg(shell));
        }
        return io.outputFailed() ? ExitUsage : ExitOk;
    }
};

} // namespace

std::unique_ptr<CliCommand> makeCompletionCommand()
{
    return std::make_unique<CompletionCommand>();
}

} // namespace keyway::cli
