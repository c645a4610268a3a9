#include "core/cli/CliCommand.h"

#include "core/cli/CliIo.h"

namespace keyway::cli {

namespace {

const QString helpName = QStringLiteral("help");

QString optionNames(const CliOption& option)
{
    QStringList names;
    for (const QString& name : option.names) {
        names.append((name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name);
    }
    return names.join(QStringLiteral(", "));
}

} // namespace

QString CliArguments::value(const QString& name) const
{
    const QStringList all = m_parser->values(name);
    return all.isEmpty() ? QString() : all.last();
}

QList<CliValue> CliCommand::positionalValues() const
{
    QList<CliValue> values;
    const QStringList words = synopsis().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString& word : words) {
        if (word.startsWith(QLatin1Char('[')) || word.startsWith(QLatin1Char('-'))) {
            break;
        }
        if (word == QLatin1String("NAME")) {
            values.append(CliValue::Environment);
        } else if (word == QLatin1String("METHOD")) {
            values.append(CliValue::Method);
        } else if (word == QLatin1String("COMMAND")) {
            values.append(CliValue::Command);
        } else if (word == QLatin1String("SHELL")) {
            values.append(CliValue::Shell);
        } else {
            values.append(CliValue::Text);
        }
    }
    return values;
}

CliValue CliCommand::valueOf(const CliOption& option)
{
    if (option.valueName.isEmpty()) {
        return CliValue::Text;
    }
    if (option.names.contains(QLatin1String("provider"))) {
        return CliValue::Provider;
    }
    if (option.valueName.contains(QLatin1String("@FILE"))) {
        return CliValue::Data;
    }
    if (option.valueName == QLatin1String("FILE")) {
        return CliValue::File;
    }
    return CliValue::Text;
}

QString CliCommand::usageLine() const
{
    return tr("Usage: keyway-cli %1 %2").arg(name(), synopsis()).trimmed();
}

QString CliCommand::optionList() const
{
    QStringList names;
    for (const CliOption& option : options()) {
        QStringList spelled;
        for (const QString& n : option.names) {
            spelled.append((n.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + n);
        }
        names.append(spelled.join(QLatin1Char('/')));
    }
    names.append(QStringLiteral("-h/--help"));
    return names.join(QStringLiteral(", "));
}

QString CliCommand::helpText() const
{
    QList<QPair<QString, QString>> rows;
    for (const CliOption& option : options()) {
        QString left = optionNames(option);
        if (!option.valueName.isEmpty()) {
            left += QLatin1Char(' ') + option.valueName;
        }
        rows.append({left, option.description});
    }
    rows.append({QStringLiteral("-h, --help"), tr("Show this help and exit.")});
    qsizetype width = 0;
    for (const auto& row : rows) {
        width = qMax(width, row.first.size());
    }
    QString text = usageLine() + QLatin1Char('\n') + summary() + QStringLiteral("\n\n") + tr("Options:");
    for (const auto& [left, description] : rows) {
        text += QStringLiteral("\n  ") + left.leftJustified(width + 2) + description;
    }
    return text;
}

int CliCommand::usageError(CliIo& io, const QString& message) const
{
    io.err(QStringLiteral("keyway-cli %1: ").arg(name()) + message);
    io.err(usageLine());
    return ExitUsage;
}

int CliCommand::execute(const QStringList& args, CliIo& io)
{
    auto parser = std::make_shared<QCommandLineParser>();
    parser->setSingleDashWordOptionMode(QCommandLineParser::ParseAsCompactedShortOptions);
    parser->setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    for (const CliOption& option : options()) {
        parser->addOption(QCommandLineOption(option.names, option.description, option.valueName));
    }
    parser->addOption(QCommandLineOption({QStringLiteral("h"), helpName}, tr("Show this help and exit.")));
    if (!parser->parse(QStringList {QStringLiteral("keyway-cli")} + args)) {
        const QStringList unknown = parser->unknownOptionNames();
        const QString problem = unknown.isEmpty()
            ? parser->errorText()
            : tr("unknown option '%1'.")
                  .arg((unknown.first().size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + unknown.first());
        return usageError(io, problem + QLatin1Char(' ') + tr("Valid options: %1").arg(optionList()));
    }
    if (parser->isSet(helpName)) {
        io.outLine(helpText());
        return ExitOk;
    }
    CliArguments arguments;
    arguments.m_parser = parser;
    arguments.m_positional = parser->positionalArguments();
    return run(arguments, io);
}

} // namespace keyway::cli
