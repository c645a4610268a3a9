#include "core/vault/CredentialPaste.h"

#include <QRegularExpression>

#include <nlohmann/json.hpp>

namespace keyway {

namespace {

QString normalized(const QString& name)
{
    QString out;
    for (const QChar c : name) {
        if (c.isLetterOrNumber()) {
            out.append(c.toLower());
        }
    }
    return out;
}

QString unquoted(QString value)
{
    value = value.trimmed();
    if (value.size() >= 2
        && ((value.startsWith(QLatin1Char('"')) && value.endsWith(QLatin1Char('"')))
            || (value.startsWith(QLatin1Char('\'')) && value.endsWith(QLatin1Char('\''))))) {
        value = value.mid(1, value.size() - 2);
    }
    if (value.endsWith(QLatin1Char(','))) {
        value.chop(1);
    }
    return value.trimmed();
}

void flatten(const nlohmann::json& json, const QString& prefix, QList<QPair<QString, QString>>* out)
{
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QString key = prefix + QString::fromStdString(it.key());
        if (it->is_object()) {
            flatten(*it, key + QLatin1Char('.'), out);
        } else if (it->is_string()) {
            out->append({key, QString::fromStdString(it->get<std::string>())});
        } else if (it->is_number() || it->is_boolean()) {
            out->append({key, QString::fromStdString(it->dump())});
        }
    }
}

} // namespace

QList<QPair<QString, QString>> CredentialPaste::entries(const QString& text)
{
    QList<QPair<QString, QString>> out;
    const QByteArray utf8 = text.trimmed().toUtf8();
    const auto json = nlohmann::json::parse(utf8.constData(), utf8.constData() + utf8.size(), nullptr, false);
    if (json.is_object()) {
        flatten(json, QString(), &out);
        return out;
    }
    static const QRegularExpression exportPrefix(QStringLiteral("^export\\s+"));
    static const QRegularExpression tableRule(QStringLiteral("^\\|[\\s|:-]+$"));
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i).trimmed();
        // A table's header row is the one its |---|---| rule follows.
        if (i + 1 < lines.size() && tableRule.match(lines.at(i + 1).trimmed()).hasMatch()) {
            continue;
        }
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1String("//"))) {
            continue;
        }
        line.remove(exportPrefix);
        QString key;
        QString value;
        if (line.startsWith(QLatin1Char('|'))) {
            // A Markdown or wiki table row: | name | value |
            QStringList cells = line.split(QLatin1Char('|'));
            cells.removeAll(QString());
            for (QString& cell : cells) {
                cell = cell.trimmed();
            }
            cells.removeAll(QString());
            if (cells.size() < 2 || cells.at(0).startsWith(QLatin1Char('-'))) {
                continue;
            }
            key = cells.at(0);
            value = cells.at(1);
        } else {
            qsizetype at = -1;
            for (const QChar separator : {QLatin1Char('\t'), QLatin1Char('='), QLatin1Char(':')}) {
                const qsizetype found = line.indexOf(separator);
                if (found > 0 && (at < 0 || found < at)) {
                    at = found;
                }
            }
            if (at <= 0) {
                continue;
            }
            key = line.left(at);
            value = line.mid(at + 1);
        }
        key = unquoted(key);
        value = unquoted(value);
        if (!key.isEmpty() && !value.isEmpty()) {
            out.append({key, value});
        }
    }
    return out;
}

CredentialPaste::Result CredentialPaste::match(const QString& text, const ProviderProfile& profile)
{
    // Every name a field answers to: its key, its label, and its key without the credential set.
    QMap<QString, QString> names; // normalized name -> field key
    QMap<QString, int> shortNames; // key without set -> how many fields share it
    for (const CredentialField& field : profile.fields) {
        const qsizetype dot = field.key.indexOf(QLatin1Char('.'));
        if (dot > 0) {
            shortNames[normalized(field.key.mid(dot + 1))] += 1;
        }
    }
    for (const CredentialField& field : profile.fields) {
        names.insert(normalized(field.key), field.key);
        names.insert(normalized(field.label), field.key);
        const qsizetype dot = field.key.indexOf(QLatin1Char('.'));
        if (dot > 0 && shortNames.value(normalized(field.key.mid(dot + 1))) == 1) {
            names.insert(normalized(field.key.mid(dot + 1)), field.key);
        }
    }
    const QStringList prefixes = {normalized(profile.id), normalized(profile.name), QStringLiteral("keyway")};

    Result result;
    for (const auto& [source, value] : entries(text)) {
        QString name = normalized(source);
        QString key = names.value(name);
        for (qsizetype i = 0; key.isEmpty() && i < prefixes.size(); ++i) {
            if (!prefixes.at(i).isEmpty() && name.startsWith(prefixes.at(i))) {
                key = names.value(name.mid(prefixes.at(i).size()));
            }
        }
        if (key.isEmpty()) {
            result.ignored.append(source);
            continue;
        }
        const CredentialField* field = profile.field(key);
        if (field && !field->choices.isEmpty() && !field->choices.contains(value)) {
            result.ignored.append(source);
            continue;
        }
        result.values.insert(key, value);
        result.matched.append(source == key ? key : tr("%1 → %2").arg(source, key));
    }
    return result;
}

QString CredentialPaste::summary(const Result& result)
{
    QString text = result.matched.isEmpty() ? tr("Nothing matched a field of this provider.")
                                            : tr("Filled %1.").arg(result.matched.join(QStringLiteral(", ")));
    if (!result.ignored.isEmpty()) {
        text += QLatin1Char(' ') + tr("Ignored: %1.").arg(result.ignored.join(QStringLiteral(", ")));
    }
    return text;
}

} // namespace keyway
